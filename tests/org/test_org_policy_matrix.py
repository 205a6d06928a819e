"""Walks the whole role × action matrix, in scope and out of scope."""

import pytest

from congvu.common.errors import NotAllowed
from congvu.org.policy import decide, require, scope_roots, scoped_units
from congvu.org.roles import GLOBAL_ACTIONS, ROLE_ACTIONS, Action, Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree(province, district, commune):
    from factories import make_unit

    other_district = make_unit("Huyện Mộ Đức", kind="district", parent=province)
    return {"province": province, "district": district, "commune": commune, "other": other_district}


@pytest.mark.parametrize("role", list(Role))
def test_role_action_matrix(tree, role):
    from factories import make_user_with_role

    user = make_user_with_role(role.value, tree["district"])
    for action in Action:
        expected = action in ROLE_ACTIONS[role]
        inside = decide(user, action, tree["commune"])
        assert inside.allowed is expected, (role, action, inside.reason)
        outside = decide(user, action, tree["other"])
        if role is Role.SYSTEM_ADMIN or (expected and action in GLOBAL_ACTIONS):
            assert outside.allowed, (role, action)
        else:
            assert outside.allowed is False, (role, action)
            assert outside.reason  # always a reason a person can read


def test_every_role_and_action_is_in_the_table():
    assert set(ROLE_ACTIONS) == set(Role)
    assert ROLE_ACTIONS[Role.SYSTEM_ADMIN] == frozenset(Action)


def test_anonymous_and_inactive(tree):
    from django.contrib.auth.models import AnonymousUser

    from factories import make_user_with_role

    assert not decide(AnonymousUser(), Action.UNIT_VIEW, tree["province"])
    user = make_user_with_role("unit_leader", tree["province"])
    user.is_active = False
    assert "khóa" in decide(user, Action.UNIT_VIEW).reason


def test_require_raises_with_reason(tree):
    from factories import make_user_with_role

    user = make_user_with_role("onestop_officer", tree["commune"])
    with pytest.raises(NotAllowed) as exc:
        require(user, Action.UNIT_EDIT, tree["commune"])
    assert exc.value.status == 403 and "sửa đơn vị" in exc.value.message


def test_scope_roots_collapse_nested_grants(tree):
    from congvu.org.services import role_grant
    from factories import make_user_with_role

    user = make_user_with_role("specialist", tree["district"])
    role_grant(user=user, role="specialist", unit=tree["commune"])
    user._congvu_grants = None
    del user._congvu_grants
    assert scope_roots(user) == [tree["district"]]
    assert set(scoped_units(user)) == {tree["district"], tree["commune"]}
