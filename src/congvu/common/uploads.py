"""Upload checks by content (magic bytes), not by the name the browser sent. Pure: no Django imports.

Accepted: PDF, JPEG, PNG and DOCX (a ZIP that is an Office Open XML word document). Everything
else is refused; archives and executables get their own message, also when renamed (.exe → .pdf).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from typing import BinaryIO

KINDS = {
    "pdf": ("PDF", (".pdf",)),
    "jpg": ("JPEG", (".jpg", ".jpeg")),
    "png": ("PNG", (".png",)),
    "docx": ("Word (DOCX)", (".docx",)),
}
CONTENT_TYPES = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png",
                 "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}

_EXECUTABLE = (
    (b"MZ", "tệp chạy Windows (.exe, .dll)"),
    (b"\x7fELF", "tệp chạy Linux"),
    (b"\xfe\xed\xfa\xce", "tệp chạy macOS"), (b"\xfe\xed\xfa\xcf", "tệp chạy macOS"),
    (b"\xce\xfa\xed\xfe", "tệp chạy macOS"), (b"\xcf\xfa\xed\xfe", "tệp chạy macOS"),
    (b"\xca\xfe\xba\xbe", "tệp chạy Java/macOS"),
    (b"#!", "tệp lệnh (script)"),
    (b"\xd0\xcf\x11\xe0", "tệp Office cũ (có thể chứa macro)"),
)
_ARCHIVE = (
    (b"PK\x03\x04", "ZIP"), (b"PK\x05\x06", "ZIP"), (b"Rar!\x1a\x07", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"MSCF", "CAB"),
)
_DOCX_REQUIRED = {"[Content_Types].xml", "word/document.xml"}
_DOCX_MAX_MEMBERS = 2000
_DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # zip-bomb guard


@dataclass(frozen=True)
class Checked:
    kind: str | None  # None when refused
    error: str = ""


def _docx_ok(stream: BinaryIO) -> bool:
    try:
        with zipfile.ZipFile(stream) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if len(infos) > _DOCX_MAX_MEMBERS or sum(i.file_size for i in infos) > _DOCX_MAX_UNCOMPRESSED:
                return False
            if not _DOCX_REQUIRED <= names:
                return False
            if any(n.lower().endswith((".exe", ".dll", ".bat", ".cmd", ".js", ".vbs", ".bin")) for n in names):
                return False  # vbaProject.bin (macros) or embedded programs
            return b"wordprocessingml" in zf.read("[Content_Types].xml")
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, ValueError):
        return False


def sniff(head: bytes, stream: BinaryIO | None = None) -> str | None:
    """The accepted kind the content is, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04") and stream is not None and _docx_ok(stream):
        return "docx"
    return None


def check_file(name: str, size: int, stream: BinaryIO, *, max_bytes: int, allowed: tuple[str, ...]) -> Checked:
    """One clear Vietnamese message for a bad file, or the detected kind."""
    label = name or "(không tên)"
    if size <= 0:
        return Checked(None, f"Tệp “{label}” rỗng.")
    if size > max_bytes:
        return Checked(None, f"Tệp “{label}” có dung lượng {size / 1048576:.1f} MB, vượt quá giới hạn "
                             f"{max_bytes / 1048576:.0f} MB.")
    stream.seek(0)
    head = stream.read(512)
    stream.seek(0)
    kind = sniff(head, stream)
    stream.seek(0)
    if kind is None or kind not in allowed:
        for magic, what in _EXECUTABLE:
            if head.startswith(magic):
                return Checked(None, f"Tệp “{label}” là {what}; không nhận tệp chạy được.")
        if len(head) > 262 and head[257:262] == b"ustar":
            return Checked(None, f"Tệp “{label}” là tệp nén (tar); không nhận tệp nén.")
        for magic, what in _ARCHIVE:
            if head.startswith(magic):
                return Checked(None, f"Tệp “{label}” là tệp nén ({what}); không nhận tệp nén. "
                                     "Hãy gửi từng giấy tờ dạng PDF, JPG, PNG hoặc DOCX.")
        names = ", ".join(KINDS[k][0] for k in allowed)
        return Checked(None, f"Tệp “{label}” không phải định dạng được nhận ({names}).")
    ext = "." + label.rsplit(".", 1)[-1].lower() if "." in label else ""
    if ext not in KINDS[kind][1]:
        return Checked(None, f"Tệp “{label}” có nội dung {KINDS[kind][0]} nhưng phần mở rộng “{ext or '(không có)'}” "
                             f"không khớp; hãy đổi tên thành {KINDS[kind][1][0]}.")
    return Checked(kind)


def docx_bytes() -> bytes:
    """A minimal valid DOCX (tests, demo)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types><Override ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()
