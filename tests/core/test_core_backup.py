"""Issue 13: backup → wipe → restore → `audit verify` clean, every file readable, microseconds kept
(SQLite and PostgreSQL, whichever DATABASE_URL selects)."""

from __future__ import annotations

import hashlib
import tarfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from congvu.audit.models import AuditEntry
from congvu.directives import services
from congvu.directives.importing import notice_create
from congvu.directives.models import ProgressReport
from factories import make_unit, make_user_with_role


@pytest.fixture
def world(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    province = make_unit("Tỉnh Quảng Ngãi", kind="province", code="51")
    district = make_unit("Huyện Bình Sơn", kind="district", parent=province, code="51-524")
    noi_vu = make_unit("Phòng Nội vụ", parent=district)
    clerk = make_user_with_role("office_clerk", district)
    specialist = make_user_with_role("specialist", noi_vu)
    notice = notice_create(actor=clerk, issuer_unit=district, title="Kết luận", number="05/TB-UBND",
                           date="2024-03-01", tasks=[{"action": "Tham mưu kế hoạch", "unit_id": noi_vu.pk,
                                                      "deadline": "2024-03-29"}])
    task = notice.tasks.get()
    for i in range(3):
        services.progress_report_create(
            actor=specialist, task=task, text=f"Báo cáo {i}", percent=30 * i,
            attachment=SimpleUploadedFile(f"bc-{i}.pdf", b"%PDF-1.4\n" + bytes([65 + i]) * 500 + b"\n%%EOF\n"))
    return tmp_path


def _files(media: Path) -> dict[str, str]:
    return {p.relative_to(media).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in media.rglob("*") if p.is_file()}


def test_backup_wipe_restore_verify(world, settings, capsys):
    media = Path(settings.MEDIA_ROOT)
    before_files = _files(media)
    before_audit = list(AuditEntry.objects.order_by("seq").values_list("seq", "at", "entry_hash"))
    assert len(before_files) == 3 and any(at.microsecond for _, at, _ in before_audit)
    archive = world / "backup" / "congvu.tar.gz"
    call_command("backup", str(archive))
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and any(n.startswith("database.") for n in names)

    call_command("flush", interactive=False)  # wipe: the database...
    for p in media.rglob("*"):  # ... and the files
        if p.is_file():
            p.unlink()
    assert AuditEntry.objects.count() == 0 and _files(media) == {}

    call_command("restore", str(archive), interactive=False)
    assert list(AuditEntry.objects.order_by("seq").values_list("seq", "at", "entry_hash")) == before_audit
    call_command("audit", "verify")
    assert "chain intact" in capsys.readouterr().out
    assert _files(media) == before_files
    for report in ProgressReport.objects.all():  # every stored file opens through its model
        with report.attachment.open("rb") as fh:
            assert fh.read().startswith(b"%PDF")


def test_restore_refuses_a_damaged_backup_and_changes_nothing(world, settings):
    archive = world / "b.tar.gz"
    call_command("backup", str(archive))
    broken = world / "broken.tar.gz"
    with tarfile.open(archive) as src, tarfile.open(broken, "w:gz") as dst:
        for member in src.getmembers():
            if member.name.startswith("media/"):
                continue  # files listed in the manifest are missing
            dst.addfile(member, src.extractfile(member))
    count = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="thiếu hoặc hỏng"):
        call_command("restore", str(broken), interactive=False)
    assert AuditEntry.objects.count() == count
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        (world / "x.tar.gz").write_bytes(b"")
        with tarfile.open(world / "x.tar.gz", "w:gz"):
            pass
        call_command("restore", str(world / "x.tar.gz"), interactive=False)
