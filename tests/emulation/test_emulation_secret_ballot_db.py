"""A secret ballot cannot be traced to a member from anything in the database.

Members vote with distinct choices; then every row of every table is read back raw: no row names a
member (by member id, user id, username or name) together with a choice of the secret item, the
participation rows carry no choice and no time, and the audit trail says only who voted.
"""

from __future__ import annotations

import json

import pytest
from council_helpers import make_setup
from django.db import connection, models

from congvu.emulation import services_council as s
from congvu.emulation.models_council import BallotParticipation, CouncilItem, CouncilMember, OpenVote

pytestmark = pytest.mark.django_db

CHOICE_TOKENS = ("yes", "no", "abstain", "Đồng ý", "Không đồng ý", "Không biểu quyết")


def _all_rows() -> dict[str, list[tuple]]:
    out = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - introspected names
            out[table] = cursor.fetchall()
    return out


def _cells(row: tuple) -> set[str]:
    cells = set()
    for value in row:
        if value is None:
            continue
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        cells.add(text)
    return cells


def test_participation_rows_have_no_choice_and_no_time():
    for model in (BallotParticipation,):
        names = {f.name for f in model._meta.concrete_fields}
        assert names == {"id", "item", "member", "written"}
        assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in model._meta.concrete_fields)
    counter_fields = {f.name for f in CouncilItem._meta.concrete_fields if f.name.startswith("secret_")}
    assert counter_fields == {"secret_yes", "secret_no", "secret_abstain"}
    for f in CouncilItem._meta.concrete_fields:
        assert not (isinstance(f, models.ForeignKey) and f.related_model is CouncilMember)


def test_secret_choices_cannot_be_linked_to_members():
    setup = make_setup(n_members=3, titles=("CSTD_TINH",))
    session = s.council_voting_start(actor=setup["officer"], session=setup["session"])
    item = session.items.get()
    assert item.ballot == "secret"
    choices = ["yes", "no", "abstain"]  # every member a different choice: any link would show
    for user, choice in zip(setup["members"], choices, strict=True):
        s.council_vote_cast(actor=user, item=item, choice=choice)

    item.refresh_from_db()
    assert (item.secret_yes, item.secret_no, item.secret_abstain) == (1, 1, 1)
    assert BallotParticipation.objects.filter(item=item).count() == 3
    assert not OpenVote.objects.filter(item=item).exists()

    members = list(CouncilMember.objects.filter(session=session))
    identities = []
    for m in members:
        identities.append({m.name, m.user.get_username()})
    rows = _all_rows()
    participation_table = BallotParticipation._meta.db_table
    for table, table_rows in rows.items():
        for row in table_rows:
            cells = _cells(row)
            blob = " ".join(cells)
            for ident in identities:
                if not any(i in blob for i in ident):
                    continue
                # a row that names a member must not carry a choice
                for token in CHOICE_TOKENS:
                    assert f'"{token}"' not in blob and token not in cells, (table, row)
        if table == participation_table:
            # (id, item, member, written) only
            assert all(len(r) == 4 for r in table_rows)

    # the close computes the result from the anonymous counters alone
    s.council_close(actor=setup["officer"], session=session)
    item.refresh_from_db()
    assert (item.yes, item.no, item.abstain, item.approved) == (1, 1, 1, False)


def test_open_ballot_keeps_the_member_and_choice():
    setup = make_setup(n_members=3, titles=("LDTT",))
    session = s.council_voting_start(actor=setup["officer"], session=setup["session"])
    item = session.items.get()
    s.council_vote_cast(actor=setup["members"][0], item=item, choice="no")
    vote = OpenVote.objects.get(item=item)
    assert (vote.member.user, vote.choice) == (setup["members"][0], "no")
