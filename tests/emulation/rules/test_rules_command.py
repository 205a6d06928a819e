"""The Django management command `emulation`: the same CLI, with --person/--unit reading facts through
the app's selector `congvu.emulation.selectors.candidate_facts` (replaced here by a fake module)."""

from __future__ import annotations

import json
import sys
import types

import pytest
from django.core.management import CommandError, call_command
from emr_helpers import collective, person


@pytest.fixture
def fake_selectors(monkeypatch):
    calls = []

    def candidate_facts(person_id=None, unit_code=None, year=None):
        calls.append((person_id, unit_code, year))
        if person_id == "404":
            raise LookupError("không có cá nhân 404")
        return person() if person_id else collective(titles=[])

    module = types.ModuleType("congvu.emulation.selectors")
    module.candidate_facts = candidate_facts
    monkeypatch.setitem(sys.modules, "congvu.emulation.selectors", module)
    return calls


def test_person_and_unit_read_through_the_selector(fake_selectors, capsys) -> None:
    call_command("emulation", "check", "--person", "7", "--title", "LDTT", "--year", "2024", "--json")
    assert json.loads(capsys.readouterr().out)["verdict"] == "eligible"
    call_command("emulation", "check", "--unit", "51-524", "--title", "TTLDXS", "--year", "2024", "--json")
    assert json.loads(capsys.readouterr().out)["verdict"] == "eligible"
    assert fake_selectors == [("7", None, 2024), (None, "51-524", 2024)]


def test_selector_failure_is_a_message(fake_selectors, capsys) -> None:
    with pytest.raises(CommandError) as err:
        call_command("emulation", "check", "--person", "404", "--title", "LDTT", "--year", "2024")
    assert err.value.returncode == 2
    assert "Không đọc được dữ liệu của cá nhân 404" in capsys.readouterr().err


def test_command_reward(capsys) -> None:
    call_command("emulation", "reward", "--title", "CO_TINH", "--decided", "2025-01-10", "--json")
    assert json.loads(capsys.readouterr().out) == {"coefficient": 8.0, "base_salary": 2340000, "amount": 18720000}
