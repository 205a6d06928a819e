"""`congvu emulation check|reward|rules` through the console script (subprocess), as the checks use it."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from emr_helpers import person

from congvu.emulation.rules.cli import main

EXE = Path(sys.executable).parent / "congvu"
ISSUE_FACTS = {"kind": "person", "recruited": "2023-03-01", "ratings": {"2023": "excellent", "2024": "good"},
               "discipline": [{"year": 2024, "form": "khiển trách"}], "titles": [{"year": 2023, "code": "CSTDCS"}],
               "initiatives": [{"year": 2024, "scope": "co_so", "recognised_on": "2024-11-20", "applied": True}],
               "research": [{"year": 2024, "scope": "co_so", "accepted_on": "2024-10-01", "applied": True}]}

pytestmark = pytest.mark.skipif(not EXE.exists(), reason="congvu console script not installed (pip install -e .)")


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(EXE), "emulation", *args], capture_output=True, text=True, timeout=60, input=stdin)


def write(tmp_path: Path, data, name: str = "facts.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def test_check_json(tmp_path) -> None:
    proc = run("check", "--facts", write(tmp_path, ISSUE_FACTS), "--title", "CSTDCS", "--year", "2024", "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["title"], out["year"], out["verdict"], out["rule_set"]) == ("CSTDCS", 2024, "not_eligible", "nd98-2023")
    assert [(c["met"], c["article"]) for c in out["conditions"]][:3] == [
        (True, "Luật TĐKT 2022, Điều 24 khoản 1 điểm a"),
        (True, "TT 01/2024/TT-BNV, Điều 1 khoản 5 điểm d"),
        (False, out["conditions"][2]["article"]),
    ]
    assert all(isinstance(c["text"], str) and c["text"] for c in out["conditions"])


def test_check_eligible_and_needs_information(tmp_path) -> None:
    proc = run("check", "--facts", write(tmp_path, person(titles=[])), "--title", "CSTDCS", "--year", "2024", "--json")
    assert json.loads(proc.stdout)["verdict"] == "eligible"
    unknown = {"kind": "person", "ratings": {"2024": "good"}}
    out = json.loads(run("check", "--facts", write(tmp_path, unknown), "--title", "LDTT", "--year", "2024", "--json").stdout)
    assert out["verdict"] == "needs_information"
    assert [c["met"] for c in out["conditions"]] == [True, None, None, True]
    collective = {"kind": "collective", "rating": "excellent", "members": 20, "members_complete": 20,
                  "members_ldtt": 15, "members_cstdcs": 1, "titles": []}
    out = json.loads(run("check", "--facts", write(tmp_path, collective), "--title", "ttldxs", "--year", "2024", "--json").stdout)
    assert out["verdict"] == "eligible" and out["title"] == "TTLDXS"


def test_check_summary_is_vietnamese(tmp_path) -> None:
    proc = run("check", "--facts", write(tmp_path, ISSUE_FACTS), "--title", "LDTT", "--year", "2024")
    assert proc.returncode == 0
    assert "Kết luận: KHÔNG ĐỦ ĐIỀU KIỆN" in proc.stdout
    assert "[✗] Không bị kỷ luật từ hình thức khiển trách trở lên" in proc.stdout
    assert "Căn cứ: Luật TĐKT 2022, Điều 24 khoản 1 điểm a" in proc.stdout


def test_check_from_stdin_with_decision_date() -> None:
    facts = person(titles=[], ratings={"2024": "good"}, research=[],
                   initiatives=[{"year": 2024, "scope": "co_so", "recognised_on": "2024-12-22", "applied": True}])
    proc = run("check", "--facts", "-", "--title", "CSTDCS", "--year", "2024", "--decided", "2024-12-20", "--json",
               stdin=json.dumps(facts))
    assert json.loads(proc.stdout)["verdict"] == "not_eligible"


def test_reward_json() -> None:
    proc = run("reward", "--title", "LDTT", "--decided", "2024-12-20", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {"coefficient": 0.3, "base_salary": 2340000, "amount": 710000}
    out = json.loads(run("reward", "--title", "BK_TINH", "--decided", "2024-12-20", "--kind", "collective", "--json").stdout)
    assert out == {"coefficient": 2.0, "base_salary": 2340000, "amount": 4680000}
    human = run("reward", "--title", "TTLDTT", "--decided", "2024-12-20").stdout
    assert "0,8 × 2.340.000 đ" in human and "1.880.000 đ" in human


@pytest.mark.parametrize(("args", "files", "message"), [
    (["check", "--facts", "{f}", "--title", "LDTT", "--year", "2024"], "{not json", "không phải JSON hợp lệ"),
    (["check", "--facts", "{missing}", "--title", "LDTT", "--year", "2024"], None, "Không tìm thấy tệp dữ liệu"),
    (["check", "--facts", "{f}", "--title", "CSTD", "--year", "2024"], {"kind": "person"}, "Mã danh hiệu không hợp lệ"),
    (["check", "--facts", "{f}", "--title", "LDTT", "--year", "20x4"], {"kind": "person"}, "Năm không hợp lệ"),
    (["check", "--facts", "{f}", "--title", "LDTT", "--year", "2024", "--decided", "2024-12-32"], {"kind": "person"},
     "Ngày không hợp lệ ở '--decided'"),
    (["check", "--facts", "{f}", "--title", "LDTT", "--year", "2024"], {"kind": "person", "ratings": {"2024": "giỏi"}},
     "Xếp loại không hợp lệ"),
    (["check", "--facts", "{f}", "--title", "LDTT", "--year", "2024"], {"kind": "person", "recruited": "hôm qua"},
     "Ngày không hợp lệ ở 'recruited'"),
    (["check", "--facts", "{f}", "--title", "TTLDXS", "--year", "2024"], {"kind": "person"}, "dữ liệu là của cá nhân"),
    (["check", "--facts", "{f}", "--title", "LDTT", "--year", "2024", "--config", "{missing}"], {"kind": "person"},
     "Không tìm thấy tệp quy tắc"),
    (["reward", "--title", "XX", "--decided", "2024-12-20"], None, "Mã danh hiệu không hợp lệ"),
    (["reward", "--title", "LDTT", "--decided", "20/13/2024"], None, "Ngày không hợp lệ"),
    (["reward", "--title", "LDTT"], None, "tham số không hợp lệ"),
    (["check", "--title", "LDTT", "--year", "2024"], None, "tham số không hợp lệ"),
])
def test_bad_input_exits_2_with_a_vietnamese_message(tmp_path, args, files, message) -> None:
    f = write(tmp_path, files) if files is not None else str(tmp_path / "none.json")
    args = [a.replace("{f}", f).replace("{missing}", str(tmp_path / "missing.json")) for a in args]
    proc = run(*args)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert message in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


def test_config_file_changes_the_answer(tmp_path) -> None:
    config = write(tmp_path, "all:\n  titles:\n    LDTT:\n      person:\n        conditions:\n"
                             "          discipline: {enabled: false}\n", "tinh.yaml")
    facts = write(tmp_path, ISSUE_FACTS)
    plain = json.loads(run("check", "--facts", facts, "--title", "LDTT", "--year", "2024", "--json").stdout)
    local = json.loads(run("check", "--facts", facts, "--title", "LDTT", "--year", "2024", "--json", "--config", config).stdout)
    assert (plain["verdict"], local["verdict"]) == ("not_eligible", "eligible")


def test_rules_command() -> None:
    out = json.loads(run("rules", "--date", "2025-08-01", "--json").stdout)
    assert out["id"] == "nd152-2025"
    assert out["titles"]["CSTD_TINH"]["ballot"] == "secret"
    assert "bỏ phiếu kín, từ 90% tổng số thành viên" in run("rules", "--date", "2024-12-20").stdout


def test_check_runs_without_django(tmp_path) -> None:
    facts = write(tmp_path, ISSUE_FACTS)
    probe = subprocess.run([sys.executable, "-c", "import sys; from congvu.cli import main; "
                            f"code = main(['emulation', 'check', '--facts', {facts!r}, '--title', 'LDTT', '--year', '2024', '--json']); "
                            "print(code, 'django' in sys.modules)"], capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip().splitlines()[-1] == "0 False", probe.stderr


def test_database_path_uses_the_app_selector(capsys) -> None:
    calls = []

    def fake(person_id, unit_code, year):
        calls.append((person_id, unit_code, year))
        return person()

    assert main(["check", "--person", "42", "--title", "LDTT", "--year", "2024", "--json"], db_facts=fake) == 0
    assert calls == [("42", None, 2024)]
    assert json.loads(capsys.readouterr().out)["verdict"] == "eligible"
    assert main(["check", "--unit", "51-524", "--title", "LDTT", "--year", "2024"]) == 2  # pure CLI: no database
    assert "lệnh quản trị của Django" in capsys.readouterr().err


@pytest.mark.skipif(importlib.util.find_spec("congvu.emulation.selectors") is not None,
                    reason="the app's selectors exist: the database path is tested by the app's own tests")
def test_person_without_selectors_says_so() -> None:
    proc = run("check", "--person", "1", "--title", "LDTT", "--year", "2024")
    assert proc.returncode == 2, proc.stderr
    assert "candidate_facts" in proc.stderr and "Traceback" not in proc.stderr
