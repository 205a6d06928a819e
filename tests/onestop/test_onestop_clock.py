"""The pure dossier clock against hand-computed cases (Tết 2024/2025/2026, make-up Saturdays) and
properties (due ≥ receipt, pauses never make the due earlier, the verdict is monotone)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from congvu.onestop.clock import (
    VERDICT_RANK,
    Pause,
    Verdict,
    due_datetime,
    end_of_processing,
    office_seconds_between,
    processing_seconds,
    start_day,
    step_budgets,
    step_verdict,
    verdict,
)
from congvu.onestop.rules import ND61_2018, ND118_2025, TT03_2025, rules_for
from congvu.workdays.calendar import shipped_calendar

CAL = shipped_calendar()
R = ND61_2018
D = dt.datetime


def due(received, amount, unit="working_days", channel="in_person", pauses=()):
    return due_datetime(received, amount=amount, unit=unit, channel=channel, cal=CAL, rules=R, pauses=pauses)


@pytest.mark.parametrize(
    ("received", "amount", "unit", "channel", "expected"),
    [
        # Tết Giáp Thìn 08–14/02/2024
        (D(2024, 2, 7, 10, 0), 1, "working_days", "in_person", D(2024, 2, 15, 17, 0)),
        (D(2024, 2, 7, 15, 30), 1, "working_days", "in_person", D(2024, 2, 16, 17, 0)),  # after 15:00
        (D(2024, 2, 7, 15, 0), 1, "working_days", "in_person", D(2024, 2, 15, 17, 0)),  # 15:00 sharp is not after
        (D(2024, 2, 7, 15, 30), 1, "working_days", "online", D(2024, 2, 15, 17, 0)),  # cut-off is for paper only
        (D(2024, 2, 7, 15, 30), 0, "working_days", "in_person", D(2024, 2, 15, 17, 0)),  # same-day → next wd
        (D(2024, 2, 7, 9, 0), 10, "working_days", "in_person", D(2024, 2, 28, 17, 0)),
        # make-up Saturday 04/05/2024; swapped day off Mon 29/04/2024
        (D(2024, 5, 3, 14, 0), 1, "working_days", "in_person", D(2024, 5, 4, 17, 0)),
        (D(2024, 5, 3, 16, 0), 1, "working_days", "in_person", D(2024, 5, 6, 17, 0)),
        (D(2024, 4, 26, 9, 0), 1, "working_days", "in_person", D(2024, 5, 2, 17, 0)),
        # Tết Ất Tỵ 25/01–02/02/2025
        (D(2025, 1, 24, 9, 0), 3, "working_days", "in_person", D(2025, 2, 5, 17, 0)),
        (D(2025, 1, 20, 9, 0), 5, "days", "in_person", D(2025, 2, 3, 17, 0)),  # ends Sat 25/01 in Tết → 03/02
        # Tết Bính Ngọ 14/02–22/02/2026; make-up Saturday 10/01/2026; Quốc khánh 2026
        (D(2026, 2, 13, 10, 0), 5, "working_days", "in_person", D(2026, 2, 27, 17, 0)),
        (D(2026, 1, 8, 16, 0), 1, "working_days", "in_person", D(2026, 1, 10, 17, 0)),
        (D(2026, 8, 28, 10, 0), 1, "working_days", "postal", D(2026, 9, 3, 17, 0)),
        # online on a day off counts from the next working day; paper received on a Saturday does not
        (D(2024, 2, 3, 20, 0), 2, "working_days", "online", D(2024, 2, 7, 17, 0)),
        (D(2024, 2, 3, 10, 0), 2, "working_days", "in_person", D(2024, 2, 6, 17, 0)),
        # office hours 07:30–11:30, 13:30–17:30
        (D(2024, 2, 7, 10, 0), 4, "hours", "in_person", D(2024, 2, 7, 16, 0)),
        (D(2024, 2, 7, 16, 0), 8, "hours", "in_person", D(2024, 2, 15, 17, 30)),
        (D(2024, 1, 31, 9, 0), 1, "months", "in_person", D(2024, 2, 29, 17, 0)),
    ],
)
def test_due_hand_computed(received, amount, unit, channel, expected):
    assert due(received, amount, unit, channel) == expected


def test_supplement_pause_pushes_due_by_the_working_days_it_covers():
    received = D(2024, 2, 5, 9, 0)
    assert due(received, 5) == D(2024, 2, 19, 17, 0)
    pause = Pause(D(2024, 2, 6, 10, 0), D(2024, 2, 16, 9, 0))  # covers 07/02, 15/02, 16/02
    assert due(received, 5, pauses=[pause]) == D(2024, 2, 22, 17, 0)
    # a pause still open does not move the promised date yet
    assert due(received, 5, pauses=[Pause(D(2024, 2, 6, 10, 0))]) == D(2024, 2, 19, 17, 0)


def test_aware_datetimes_are_read_in_vietnamese_time():
    utc = dt.UTC
    received = D(2024, 2, 7, 8, 30, tzinfo=utc)  # 15:30 in Hà Nội: after the cut-off
    got = due(received, 1)
    assert got.utcoffset() == dt.timedelta(hours=7)
    assert got.replace(tzinfo=None) == D(2024, 2, 16, 17, 0)
    assert start_day(received, "in_person", CAL, R) == dt.date(2024, 2, 15)


def test_verdict_rules_of_766():
    d = D(2024, 2, 15, 17, 0)
    assert verdict(due_at=d, end_at=D(2024, 2, 7, 16, 0), rules=R) is Verdict.EARLY
    assert verdict(due_at=d, end_at=D(2024, 2, 15, 16, 59), rules=R) is Verdict.ON_TIME
    assert verdict(due_at=d, end_at=d, rules=R) is Verdict.ON_TIME
    assert verdict(due_at=d, end_at=D(2024, 2, 15, 17, 1), rules=R) is Verdict.LATE
    # supplement time is excluded from the end time
    pause = Pause(D(2024, 2, 7, 8, 0), D(2024, 2, 9, 8, 0))
    assert verdict(due_at=d, end_at=D(2024, 2, 16, 10, 0), pauses=[pause], rules=R) is Verdict.EARLY
    # more than one supplement request ⇒ late, however fast
    assert verdict(due_at=d, end_at=D(2024, 2, 7, 16, 0), supplement_requests=2, rules=R) is Verdict.LATE
    # open dossiers: within time ⇒ pending, after ⇒ overdue
    assert verdict(due_at=d, end_at=D(2024, 2, 15, 12, 0), finished=False, rules=R) is Verdict.PENDING
    assert verdict(due_at=d, end_at=D(2024, 2, 16, 8, 0), finished=False, rules=R) is Verdict.OVERDUE
    # no promised date: compare with the procedure's maximum duration
    assert verdict(due_at=None, end_at=D(2024, 2, 3, 8, 0), received_at=D(2024, 2, 1, 8, 0),
                   max_duration=dt.timedelta(days=2), rules=R) is Verdict.ON_TIME


def test_end_of_processing_waiting_for_supplement_is_the_request_time():
    req = D(2024, 3, 4, 9, 0)
    end, finished = end_of_processing(finished_at=None, period_end=D(2024, 3, 31, 23, 59), pauses=[Pause(req)])
    assert (end, finished) == (req, False)
    end, finished = end_of_processing(finished_at=None, period_end=D(2024, 3, 31, 23, 59))
    assert (end, finished) == (D(2024, 3, 31, 23, 59), False)


def test_processing_time_and_steps():
    pause = Pause(D(2024, 3, 4, 9, 0), D(2024, 3, 4, 11, 0))
    assert processing_seconds(D(2024, 3, 4, 8, 0), D(2024, 3, 4, 12, 0), [pause]) == 2 * 3600
    assert office_seconds_between(D(2024, 2, 7, 11, 0), D(2024, 2, 15, 8, 30), CAL, R) == 1800 + 4 * 3600 + 3600
    assert step_budgets(100, [0.2, 0.5, 0.3]) == [20, 50, 30]
    assert sum(step_budgets(1001, [1 / 3, 1 / 3, 1 / 3])) == 1000  # int(1001 × 0.999…)
    assert step_verdict(3600, 3000) is Verdict.EARLY
    assert step_verdict(3600, 3630) is Verdict.ON_TIME
    assert step_verdict(3600, 3700) is Verdict.LATE
    with pytest.raises(ValueError):
        step_budgets(10, [0.7, 0.7])


def test_rule_versions_by_effective_date():
    assert rules_for(dt.date(2023, 5, 1)) is ND61_2018
    assert rules_for(dt.date(2025, 6, 30)) is ND61_2018
    assert rules_for(dt.date(2025, 7, 1)) is ND118_2025
    assert rules_for(dt.date(2025, 9, 15)) is TT03_2025
    assert TT03_2025.form_stop == "Mẫu 05" and ND61_2018.form_stop == ""


# ---------------------------------------------------------------------------------------- properties

moments = st.datetimes(min_value=D(2023, 1, 1), max_value=D(2026, 12, 15))
units = st.sampled_from(["working_days", "days", "hours", "months"])
channels = st.sampled_from(["in_person", "online", "postal", "phone"])


@st.composite
def pause_lists(draw, after):
    pauses = []
    t = after
    for _ in range(draw(st.integers(0, 2))):
        start = t + dt.timedelta(minutes=draw(st.integers(0, 60 * 24 * 20)))
        end = start + dt.timedelta(minutes=draw(st.integers(1, 60 * 24 * 20)))
        pauses.append(Pause(start, end))
        t = end
    return pauses


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(received=moments, amount=st.integers(0, 40), unit=units, channel=channels, data=st.data())
def test_due_is_not_before_receipt_and_pauses_never_make_it_earlier(received, amount, unit, channel, data):
    if unit == "months":
        amount = amount % 6
    pauses = data.draw(pause_lists(received))
    plain = due(received, amount, unit, channel)
    assert plain >= received
    paused = due(received, amount, unit, channel, pauses=pauses)
    assert paused >= plain
    if pauses:  # one pause fewer is never later
        assert due(received, amount, unit, channel, pauses=pauses[:-1]) <= paused
    if unit == "working_days" and amount > 0:
        assert CAL.is_working_day(plain.date())


@settings(max_examples=300, deadline=None)
@given(received=moments, amount=st.integers(0, 20), channel=channels,
       a=st.integers(0, 60 * 24 * 60), b=st.integers(0, 60 * 24 * 60), requests=st.integers(0, 2))
def test_verdict_is_monotone_in_the_finish_time(received, amount, channel, a, b, requests):
    d = due(received, amount, "working_days", channel)
    t1 = received + dt.timedelta(minutes=min(a, b))
    t2 = received + dt.timedelta(minutes=max(a, b))
    v1 = verdict(due_at=d, end_at=t1, supplement_requests=requests, rules=R)
    v2 = verdict(due_at=d, end_at=t2, supplement_requests=requests, rules=R)
    assert VERDICT_RANK[v1] <= VERDICT_RANK[v2]
