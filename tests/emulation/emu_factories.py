"""Factories of the emulation tests: a small district with departments, people and records."""

from __future__ import annotations

import datetime as dt

from congvu.emulation import services as es
from factories import make_person, make_unit, make_user_with_role


def make_tree(province=None):
    root = make_unit("UBND huyện Thử", kind="district", parent=province, code=f"H{id(object()) % 100000}")
    a = make_unit("Phòng Nội vụ", parent=root)
    b = make_unit("Phòng Tư pháp", parent=root)
    return root, a, b


def staffed_person(unit, *, recruited=dt.date(2018, 3, 1), ratings=None, name: str = ""):
    person = make_person(unit, name=name)
    es.profile_set(actor=None, person=person, recruited_on=recruited)
    for year, rating in (ratings or {}).items():
        es.person_year_record_set(actor=None, person=person, year=year, rating=rating)
    return person


def officer(unit):
    return make_user_with_role("emulation_officer", unit)


def leader(unit):
    return make_user_with_role("unit_leader", unit)


def launched_movement(root, *, titles=("TTLDTT", "TTLDXS", "LDTT", "CSTDCS"), **kw):
    m = es.movement_create(actor=None, unit=root, name="Thi đua yêu nước năm 2024", year=2024,
                           period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31),
                           pledge_titles=list(titles), **kw)
    es.criterion_add(actor=None, movement=m, name="Hoàn thành nhiệm vụ chuyên môn", weight=60)
    es.criterion_add(actor=None, movement=m, name="Chỉ số cải cách hành chính", weight=40, measure="index_result",
                     parameters={"framework": "par"})
    return es.movement_launch(actor=None, movement=m, launched_on=dt.date(2024, 2, 1))
