"""`congvu index validate / export / load / list`: an exported framework with one leaf's max changed
is refused naming the node; the shipped frameworks all validate and load."""

from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from congvu.indices.models import FrameworkVersion
from congvu.indices.services import shipped_framework_files


def _run(*args):
    out = StringIO()
    call_command("index", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_indices_cli_export_edit_validate(tmp_path: Path):
    assert "Đã nạp 766" in _run("load", "--shipped")
    exported = _run("export", "766")
    doc = yaml.safe_load(exported)
    assert doc["code"] == "766" and [n["max_points"] for n in doc["nodes"]] == [18, 20, 12, 10, 22, 18]
    good = tmp_path / "f.yaml"
    good.write_text(exported, encoding="utf-8")
    assert "Hợp lệ: 766" in _run("validate", str(good))
    # one leaf's max changed: its group no longer adds up
    doc["nodes"][1]["children"][0]["max_points"] = 19
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        _run("validate", str(bad))
    assert "[2] tổng điểm các chỉ số con (19) khác điểm tối đa của chỉ số (20)" in str(exc.value)
    with pytest.raises(CommandError, match=r"\[2\]"):
        _run("load", str(bad))
    assert FrameworkVersion.objects.get(framework__code="766").tree["nodes"][1]["children"][0]["max_points"] == 20
    # a formula over an unknown metric, a threshold above 100
    doc["nodes"][1]["children"][0].update(max_points=20, metric="onestop.nope", threshold=120)
    bad.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        _run("validate", str(bad))
    assert "[2.1] số liệu “onestop.nope” không có" in str(exc.value) and "[2.1] ngưỡng 120%" in str(exc.value)
    with pytest.raises(CommandError, match="Không có tệp"):
        _run("validate", str(tmp_path / "missing.yaml"))
    listed = _run("list")
    assert "par-xa" in listed and "[khung mẫu]" in listed and "dti-tinh" in listed and "sipas" in listed


@pytest.mark.django_db
def test_indices_shipped_frameworks_validate():
    codes = set()
    for path in shipped_framework_files():
        assert "Hợp lệ" in _run("validate", str(path)), path
        codes.add(yaml.safe_load(path.read_text(encoding="utf-8"))["code"])
    assert codes == {"766", "dti-tinh", "dti-xa", "par-xa", "sipas"}
    _run("load", "--shipped")
    dti = FrameworkVersion.objects.get(framework__code="dti-tinh")
    assert float(dti.max_points) == 1000 and dti.levels == ["province"]
    xa = FrameworkVersion.objects.get(framework__code="dti-xa")
    assert float(xa.max_points) == 100 and xa.is_template
    par = FrameworkVersion.objects.get(framework__code="par-xa")
    assert par.is_template and [n["code"] for n in par.tree["nodes"]] == [str(i) for i in range(1, 9)]


@pytest.mark.django_db
def test_indices_cli_bad_unit_and_period():
    with pytest.raises(CommandError, match="Kỳ “2023-13”"):
        _run("compute", "766", "--unit", "x", "--period", "2023-13")
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị"):
        _run("compute", "766", "--unit", "Xã Không Có", "--period", "2023")
    with pytest.raises(CommandError, match="Không có bộ chỉ số “zzz”"):
        _run("compute", "zzz", "--unit", "x", "--period", "2023")
