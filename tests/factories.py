"""Factories shared by the test suite (factory_boy). Writes go through the services where the
service adds behaviour (paths, audit), so tests see what production sees."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from congvu.org.models import Unit, UnitKind
from congvu.org.services import person_create, role_grant, unit_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.vn")
    password = factory.PostGenerationMethodCall("set_password", "secret-pass-123")

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save()


_seq = iter(range(1, 10_000_000))


def make_unit(name: str = "", *, kind: str = UnitKind.AGENCY, parent: Unit | None = None, code: str = "", **kw) -> Unit:
    n = next(_seq)
    return unit_create(code=code or f"T{n:05d}", name=name or f"Đơn vị thử {n}", kind=kind, parent=parent, **kw)


def make_person(unit: Unit, name: str = "", **kw):
    n = next(_seq)
    kw.setdefault("category", "cong_chuc")
    return person_create(full_name=name or f"Nguyễn Văn {n}", unit=unit, **kw)


def make_user_with_role(role: str, unit: Unit, username: str = ""):
    user = UserFactory(username=username or f"u{next(_seq)}")
    role_grant(user=user, role=role, unit=unit)
    return user
