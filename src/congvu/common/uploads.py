"""The one upload validator every upload path uses (issue 13). Pure: no Django imports.

What a file is, is judged by its content (magic bytes), never by the name the browser sent; the name's
extension must then agree. Before any parser sees a file this module checks, cheaply and in bounded
memory and time:

- size (`Limits.max_bytes`), empty files;
- DOCX/XLSX (ZIP containers): number of members, the declared uncompressed total and the
  compression ratio (a zip bomb is refused from the central directory alone, without inflating
  anything). `zipfile` never inflates a member beyond its declared size, so a lying directory
  cannot make a later reader use more than `max_uncompressed` either;
- PDF: page count (from the page tree's /Count, read lazily) against `max_pdf_pages`;
- PNG: pixel count from the header (image bombs);
- active content: macros (vbaProject.bin, OLE VBA storages), JavaScript / launch actions / embedded
  files in PDF. Refused unless `Limits.allow_active` (then only reported in `Checked.active`).

Callers: `check_file(...)` returns a `Checked` (kind or one Vietnamese message); `validate(...)`
raises `UploadRefused` (a `DomainError`, code `upload.*`). `limits_from(settings)` builds the
limits from `CONGVU_UPLOAD_LIMITS` on any settings-like object.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, BinaryIO

from congvu.common.errors import DomainError

# kind → (label shown to people, accepted extensions, content type)
KINDS: dict[str, tuple[str, tuple[str, ...], str]] = {
    "pdf": ("PDF", (".pdf",), "application/pdf"),
    "jpg": ("JPEG", (".jpg", ".jpeg"), "image/jpeg"),
    "png": ("PNG", (".png",), "image/png"),
    "docx": ("Word (DOCX)", (".docx",),
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("Excel (XLSX)", (".xlsx",), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "doc": ("Word 97-2003 (DOC)", (".doc",), "application/msword"),
    "txt": ("văn bản thuần (TXT)", (".txt", ".md", ".text"), "text/plain"),
    "csv": ("CSV", (".csv",), "text/csv"),
}
CONTENT_TYPES = {k: v[2] for k, v in KINDS.items()}

_EXECUTABLE = (
    (b"MZ", "tệp chạy Windows (.exe, .dll)"),
    (b"\x7fELF", "tệp chạy Linux"),
    (b"\xfe\xed\xfa\xce", "tệp chạy macOS"), (b"\xfe\xed\xfa\xcf", "tệp chạy macOS"),
    (b"\xce\xfa\xed\xfe", "tệp chạy macOS"), (b"\xcf\xfa\xed\xfe", "tệp chạy macOS"),
    (b"\xca\xfe\xba\xbe", "tệp chạy Java/macOS"),
    (b"#!", "tệp lệnh (script)"),
)
_ARCHIVE = (
    (b"PK\x03\x04", "ZIP"), (b"PK\x05\x06", "ZIP"), (b"Rar!\x1a\x07", "RAR"), (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"\x1f\x8b", "gzip"), (b"BZh", "bzip2"), (b"\xfd7zXZ\x00", "xz"), (b"\x28\xb5\x2f\xfd", "zstd"),
    (b"MSCF", "CAB"),
)
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")
_OOXML = {"docx": ("word/document.xml", b"wordprocessingml"), "xlsx": ("xl/workbook.xml", b"spreadsheetml")}
_PROGRAM_SUFFIXES = (".exe", ".dll", ".bat", ".cmd", ".js", ".vbs", ".ps1", ".scr", ".jar", ".msi")
_PDF_ACTIVE = ((rb"/JavaScript\b", "JavaScript"), (rb"/JS\b", "JavaScript"), (rb"/Launch\b", "lệnh chạy chương trình"),
               (rb"/EmbeddedFile\b", "tệp nhúng"), (rb"/RichMedia\b", "nội dung đa phương tiện"),
               (rb"/XFA\b", "biểu mẫu XFA"))


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_uncompressed: int = 100 * 1024 * 1024  # DOCX/XLSX: declared total of all members
    max_ratio: int = 100  # DOCX/XLSX: uncompressed / compressed, whole archive and per member (large ones)
    max_members: int = 5000
    max_pdf_pages: int = 500
    max_image_pixels: int = 60_000_000
    allow_active: bool = False


@dataclass(frozen=True)
class Checked:
    kind: str | None  # None when refused
    error: str = ""
    code: str = ""
    active: tuple[str, ...] = ()
    pages: int | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.kind is not None


class UploadRefused(DomainError):
    status = 400


def limits_from(settings: Any, **overrides: Any) -> Limits:
    """Limits from `settings.CONGVU_UPLOAD_LIMITS` (a mapping of `Limits` fields), then `overrides`."""
    conf: Mapping[str, Any] = getattr(settings, "CONGVU_UPLOAD_LIMITS", None) or {}
    known = {k: v for k, v in {**conf, **overrides}.items() if k in Limits.__dataclass_fields__ and v is not None}
    return replace(Limits(), **known)


def _mb(n: float) -> str:
    whole = n % 1048576 == 0 or n >= 10 * 1048576
    return f"{n / 1048576:.0f} MB" if whole else f"{n / 1048576:.1f} MB"


def _refuse(code: str, message: str, **details: Any) -> Checked:
    return Checked(None, message, code, details=details)


def sniff(head: bytes) -> str | None:
    """The kind the first bytes announce (ZIP containers are told apart later), or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(_OLE):
        return "ole"
    return None


def _looks_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    sample = head[:4096]
    if not sample:
        return False
    if sample.count(b"\x00") > len(sample) // 4:  # UTF-16 without BOM: every other byte zero
        return sample[0::2].count(b"\x00") == 0 or sample[1::2].count(b"\x00") == 0
    return b"\x00" not in sample


# -- containers ----------------------------------------------------------------------------------

def _zip_check(stream: BinaryIO, label: str, limits: Limits, allowed: tuple[str, ...]) -> Checked:
    """Which OOXML kind a ZIP is, refusing bombs from the central directory alone."""
    try:
        with zipfile.ZipFile(stream) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                return _refuse("upload.zip_members", f"Tệp “{label}” chứa {len(infos)} thành phần, vượt giới hạn "
                               f"{limits.max_members}; không nhận.")
            total = sum(i.file_size for i in infos)
            packed = sum(i.compress_size for i in infos) or 1
            if total > limits.max_uncompressed:
                return _refuse("upload.zip_bomb", f"Tệp “{label}” khi giải nén lớn {_mb(total)}, vượt giới hạn "
                               f"{_mb(limits.max_uncompressed)} (nghi là “bom nén”); không nhận.")
            worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 1048576), default=0)
            if total > 1048576 and (total / packed > limits.max_ratio or worst > limits.max_ratio):
                return _refuse("upload.zip_bomb", f"Tệp “{label}” có tỉ lệ nén bất thường "
                               f"({max(total / packed, worst):.0f}:1, giới hạn {limits.max_ratio}:1; nghi là "
                               "“bom nén”); không nhận.")
            names = {i.filename for i in infos}
            kind = next((k for k, (main, _) in _OOXML.items() if main in names and "[Content_Types].xml" in names),
                        None)
            if kind is None:
                return _refuse("upload.archive", f"Tệp “{label}” là tệp nén (ZIP); không nhận tệp nén. "
                               "Hãy gửi từng giấy tờ riêng.")
            ctypes = zf.read("[Content_Types].xml")
            if _OOXML[kind][1] not in ctypes:
                return _refuse("upload.corrupt", f"Tệp “{label}” bị hỏng hoặc không phải tệp {KINDS[kind][0]}.")
            active = []
            lowered = [n.lower() for n in names]
            if any(n.endswith("vbaproject.bin") for n in lowered) or b"macroEnabled" in ctypes:
                active.append("macro")
            if any(n.endswith(_PROGRAM_SUFFIXES) for n in lowered):
                active.append("tệp chạy được nhúng")
            if any("activex" in n or "oleobject" in n for n in lowered):
                active.append("ActiveX/OLE nhúng")
            return Checked(kind, active=tuple(active), details={"uncompressed": total})
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, KeyError, RuntimeError, ValueError,
            NotImplementedError, EOFError):
        ext = _ext(label)
        claimed = next((k for k in ("docx", "xlsx") if ext in KINDS[k][1]), None)
        if claimed is None:
            return _refuse("upload.archive", f"Tệp “{label}” là tệp nén (ZIP); không nhận tệp nén. "
                           "Hãy gửi từng giấy tờ riêng.")
        return _refuse("upload.corrupt", f"Tệp “{label}” bị hỏng hoặc không phải tệp {KINDS[claimed][0]}.")


def _ole_check(stream: BinaryIO) -> Checked:
    """An OLE2 file (Word 97-2003, or an encrypted OOXML): macro storages are visible as UTF-16 names."""
    stream.seek(0)
    data = stream.read(8 * 1024 * 1024)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return _refuse("upload.encrypted", "Tệp được đặt mật khẩu; hãy gỡ mật khẩu rồi gửi lại.")
    active = ("macro",) if any(s.encode("utf-16-le") in data for s in ("_VBA_PROJECT", "Macros", "VBA")) else ()
    return Checked("doc", active=active)


def pdf_pages(stream: BinaryIO) -> int | None:
    """Page count from the page tree (pdfminer reads only the cross-reference table and the catalog);
    None when that cannot be read (then the caller's reader decides)."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfparser import PDFParser
        from pdfminer.pdftypes import resolve1

        stream.seek(0)
        doc = PDFDocument(PDFParser(stream))
        count = resolve1(resolve1(doc.catalog.get("Pages")).get("Count"))
        return int(count) if count is not None else None
    except Exception:  # noqa: BLE001 - an unreadable tree is reported as "unknown"
        return None


def _pdf_check(stream: BinaryIO, label: str, limits: Limits) -> Checked:
    stream.seek(0)
    data = stream.read(limits.max_bytes + 1)
    encrypted = b"/Encrypt" in data
    active = tuple(dict.fromkeys(what for pattern, what in _PDF_ACTIVE if re.search(pattern, data)))
    pages = None if encrypted else pdf_pages(stream)
    if pages is None and not encrypted:
        pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data)) or None
    if pages is not None and pages > limits.max_pdf_pages:
        return _refuse("upload.pdf_pages", f"Tệp “{label}” có {pages} trang, vượt giới hạn {limits.max_pdf_pages} "
                       "trang; hãy tách tệp.")
    return Checked("pdf", active=active, pages=pages, details={"encrypted": encrypted})


def _png_check(head: bytes, label: str, limits: Limits) -> Checked:
    if len(head) >= 24 and head[12:16] == b"IHDR":
        width, height = struct.unpack(">II", head[16:24])
        if width * height > limits.max_image_pixels:
            return _refuse("upload.image_pixels", f"Ảnh “{label}” có {width}×{height} điểm ảnh, quá lớn để xử lý.")
    return Checked("png")


# -- entry points ---------------------------------------------------------------------------------

def check_file(name: str, size: int | None, stream: BinaryIO, *, allowed: tuple[str, ...],
               max_bytes: int | None = None, limits: Limits | None = None) -> Checked:
    """One clear Vietnamese message for a bad file, or the detected kind. `stream` is left at 0."""
    limits = limits or Limits()
    if max_bytes is not None:
        limits = replace(limits, max_bytes=max_bytes)
    label = (name or "").replace("\x00", "") or "(không tên)"
    try:
        result = _check(label, size, stream, allowed, limits)
    finally:
        stream.seek(0)
    return result


def _check(label: str, size: int | None, stream: BinaryIO, allowed: tuple[str, ...], limits: Limits) -> Checked:
    if size is None:
        stream.seek(0, io.SEEK_END)
        size = stream.tell()
    if size <= 0:
        return _refuse("upload.empty", f"Tệp “{label}” rỗng.")
    if size > limits.max_bytes:
        return _refuse("upload.too_large", f"Tệp “{label}” có dung lượng {_mb(size)}, vượt quá giới hạn "
                       f"{_mb(limits.max_bytes)}.")
    stream.seek(0)
    head = stream.read(4096)
    sniffed = sniff(head)
    if sniffed == "zip" and ({"docx", "xlsx"} & set(allowed)):
        result = _zip_check(stream, label, limits, allowed)
    elif sniffed == "ole" and "doc" in allowed:
        result = _ole_check(stream)
    elif sniffed == "pdf" and "pdf" in allowed:
        result = _pdf_check(stream, label, limits)
    elif sniffed == "png" and "png" in allowed:
        result = _png_check(head, label, limits)
    elif sniffed in ("jpg",):
        result = Checked(sniffed)
    elif sniffed is None and not any(head.startswith(m) for m, _ in (*_EXECUTABLE, *_ARCHIVE)) \
            and {"txt", "csv"} & set(allowed) and _looks_text(head):
        ext = _ext(label)
        result = Checked("csv" if ext == ".csv" and "csv" in allowed else ("txt" if "txt" in allowed else "csv"))
    else:
        result = Checked(None)
    if result.kind is None and result.error:
        return result
    if result.kind is None or result.kind not in allowed:
        return _unknown(label, head, allowed)
    if result.active and not limits.allow_active:
        return _refuse("upload.active_content", f"Tệp “{label}” chứa nội dung chủ động ({', '.join(result.active)}); "
                       "không nhận. Hãy lưu lại thành tệp không có macro/mã lệnh (ví dụ in ra PDF) rồi gửi lại.",
                       active=list(result.active))
    ext = _ext(label)
    if ext not in KINDS[result.kind][1]:
        return _refuse("upload.extension", f"Tệp “{label}” có nội dung {KINDS[result.kind][0]} nhưng phần mở rộng "
                       f"“{ext or '(không có)'}” không khớp; hãy đổi tên thành {KINDS[result.kind][1][0]}.")
    return result


def _ext(label: str) -> str:
    return "." + label.rsplit(".", 1)[-1].lower() if "." in label else ""


def _unknown(label: str, head: bytes, allowed: tuple[str, ...]) -> Checked:
    for magic, what in _EXECUTABLE:
        if head.startswith(magic):
            return _refuse("upload.executable", f"Tệp “{label}” là {what}; không nhận tệp chạy được.")
    if head.startswith(_OLE):
        return _refuse("upload.legacy_office", f"Tệp “{label}” là tệp Office cũ (có thể chứa macro); hãy lưu lại "
                       "thành DOCX/XLSX hoặc PDF.")
    if len(head) > 262 and head[257:262] == b"ustar":
        return _refuse("upload.archive", f"Tệp “{label}” là tệp nén (tar); không nhận tệp nén.")
    for magic, what in _ARCHIVE:
        if head.startswith(magic):
            return _refuse("upload.archive", f"Tệp “{label}” là tệp nén ({what}); không nhận tệp nén. "
                           "Hãy gửi từng giấy tờ riêng.")
    names = ", ".join(KINDS[k][0] for k in allowed if k in KINDS)
    return _refuse("upload.type", f"Tệp “{label}” không phải định dạng được nhận ({names}).")


def validate(name: str, size: int | None, stream: BinaryIO, *, allowed: tuple[str, ...],
             max_bytes: int | None = None, limits: Limits | None = None) -> Checked:
    """`check_file`, raising `UploadRefused` (code `upload.*`, Vietnamese message) for a bad file."""
    result = check_file(name, size, stream, allowed=allowed, max_bytes=max_bytes, limits=limits)
    if not result.ok:
        raise UploadRefused(result.code or "upload.refused", result.error,
                            message_en="The file was refused: " + (result.code or "invalid"), details=result.details)
    return result


def validate_bytes(name: str, data: bytes, *, allowed: tuple[str, ...], limits: Limits | None = None) -> Checked:
    return validate(name, len(data), io.BytesIO(data), allowed=allowed, limits=limits)


def upload_size(upload: Any) -> int | None:
    """The size of a Django UploadedFile / file object without reading it."""
    size = getattr(upload, "size", None)
    return int(size) if size is not None else None


def docx_bytes(text: str = "") -> bytes:
    """A minimal valid DOCX (tests, demo)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types><Override ContentType="application/'
                    'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        zf.writestr("word/document.xml", f"<w:document>{text}</w:document>")
    return buf.getvalue()
