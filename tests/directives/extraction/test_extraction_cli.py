"""`congvu extract FILE [--json] [--registry FILE.json]`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from congvu.directives.extraction.cli import main

DATA = Path(__file__).parent / "data"


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DATA / "cong_van.txt"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["doc_type"] == "CV" and out["tasks"][0]["assignee"] == "Công an tỉnh"
    assert out["tasks"][0]["assignee_unit"] is None  # no registry given


def test_summary_is_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(DATA / "chi_thi.txt")]) == 0
    out = capsys.readouterr().out
    assert "Loại văn bản: CT" in out and "Nhiệm vụ (7):" in out and "hạn 30/04/2024" in out
    assert "Báo cáo phải gửi (5):" in out


def test_registry_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reg = tmp_path / "units.json"
    reg.write_text(json.dumps([{"code": "51", "name": "Tỉnh Quảng Ngãi", "kind": "province"},
                               {"code": "CA", "name": "Công an tỉnh Quảng Ngãi", "parent_code": "51"}]),
                   encoding="utf-8")
    assert main([str(DATA / "cong_van.txt"), "--json", "--registry", str(reg)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["tasks"][0]["assignee_unit"] == "CA"


def test_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "missing.txt"), "--json"]) == 2
    assert "Không tìm thấy tệp" in capsys.readouterr().err
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    assert main([str(empty)]) == 2
    assert main([str(DATA / "cong_van.txt"), "--registry", str(tmp_path / "nope.json")]) == 2
    assert main([]) == 2  # usage error


def test_console_entry_point_runs_without_django() -> None:
    exe = Path(sys.executable).parent / "congvu"
    if not exe.exists():
        pytest.skip("congvu console script not installed (pip install -e .)")
    proc = subprocess.run([str(exe), "extract", str(DATA / "thong_bao_vpcp.txt"), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["number"] == "85/TB-VPCP"
    probe = subprocess.run([sys.executable, "-c", "import sys; from congvu.directives.extraction.cli import main; "
                            f"main([{str(DATA / 'cong_van.txt')!r}, '--json']); "
                            "print('django' in sys.modules, 'docx' in sys.modules, 'pdfplumber' in sys.modules)"],
                           capture_output=True, text=True, timeout=60)
    assert probe.stdout.strip().splitlines()[-1] == "False False False"  # heavy imports stay lazy
