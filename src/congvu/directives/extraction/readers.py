"""Read a document file into text: .txt/.md (UTF-8, UTF-16, cp1258, TCVN3, VNI), .docx, .pdf, .doc, and a web
page saved as .html/.htm (its text, without scripts, styles and navigation).

Heavy libraries (python-docx, pdfplumber) are imported only when such a file is read. Errors a user
can act on raise `ExtractionInputError` with a Vietnamese message.
"""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from .normalize import detect_encoding, fix_legacy, nfc

MAX_BYTES = 20 * 1024 * 1024  # uploads above 20 MB are refused: no notice is that long
_TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}


class ExtractionInputError(Exception):
    """The file cannot be read as a document; the message says why, in Vietnamese."""


def read_document(path: str | os.PathLike[str]) -> str:
    p = Path(path)
    if not p.exists() or not p.is_file():
        raise ExtractionInputError(f"Không tìm thấy tệp: {p}")
    size = p.stat().st_size
    if size == 0:
        raise ExtractionInputError(f"Tệp rỗng: {p.name}")
    if size > MAX_BYTES:
        raise ExtractionInputError(
            f"Tệp quá lớn ({size / 1024 / 1024:.1f} MB); giới hạn là {MAX_BYTES // 1024 // 1024} MB")
    suffix = p.suffix.lower()
    if suffix == ".docx":
        text = read_docx(p)
    elif suffix == ".pdf":
        text = read_pdf(p)
    elif suffix == ".doc":
        text = read_doc(p)
    elif suffix in (".html", ".htm", ".xhtml") or (suffix not in _TEXT_SUFFIXES and _looks_html(p)):
        text = read_html(p.read_bytes())
    else:
        text = decode_bytes(p.read_bytes())
    if not text.strip():
        raise ExtractionInputError(f"Tệp không có nội dung văn bản: {p.name}")
    return text


# --- web pages -----------------------------------------------------------------------------------

_SKIP_TAGS = {"script", "style", "noscript", "svg", "nav", "header", "footer", "form", "button", "select", "iframe",
              "template", "aside", "menu"}
_BLOCK_TAGS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section", "article",
               "blockquote", "ul", "ol", "dd", "dt", "pre", "hr", "main", "figure", "figcaption"}


class _PageText(HTMLParser):
    """The visible text of a saved web page, one line per block; menus, scripts and forms left out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP_TAGS:
            self.skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")
            if tag == "li":
                self.parts.append("- ")
        elif tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "hr"):
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def _looks_html(p: Path) -> bool:
    with p.open("rb") as fh:
        head = fh.read(512).lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_html(data: bytes) -> str:
    """The text of a saved web page (charset from the page, else UTF-8 / legacy detection)."""
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    try:
        raw = data.decode(m.group(1).decode("ascii")) if m else decode_bytes(data)
    except (LookupError, UnicodeDecodeError):
        raw = decode_bytes(data)
    parser = _PageText()
    parser.feed(raw)
    parser.close()
    lines = [re.sub(r"[ \t\u00a0]+", " ", html.unescape(line)).strip(" |") for line in "".join(parser.parts).split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return nfc("\n".join(out).strip())


# --- plain text ----------------------------------------------------------------------------------

_VIET = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")


def _score(text: str) -> int:
    junk = sum(1 for c in text if ("\x80" <= c <= "\x9f") or c in "\ufffd\u0300\u0301\u0303\u0309\u0323")
    return len(_VIET.findall(text)) - 3 * junk


def decode_bytes(data: bytes) -> str:
    """Decode a text file: BOMs, UTF-8, UTF-16 without BOM, then the best of cp1258 / TCVN3 / VNI."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    sample = data[:4000]
    if sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without BOM: the zero bytes sit on the odd (LE) or even (BE) positions
        le = sample[1::2].count(b"\x00") > sample[0::2].count(b"\x00")
        return data.decode("utf-16-le" if le else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    candidates = []
    cp1258 = nfc(data.decode("cp1258", errors="replace"))
    candidates.append((_score(cp1258), cp1258))
    latin = data.decode("latin-1")
    if detect_encoding(latin) != "unicode":
        converted = nfc(fix_legacy(latin))
        candidates.append((_score(converted), converted))
    best = max(candidates, key=lambda c: c[0])
    if best[0] <= 0 and not re.search(r"[A-Za-z]{3}", best[1]):
        raise ExtractionInputError("Không nhận ra bảng mã của tệp văn bản (cần UTF-8, UTF-16, Windows-1258, TCVN3 hoặc VNI)")
    return best[1]


# --- DOCX ----------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _roman(n: int) -> str:
    vals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
            (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for v, s in vals:
        while n >= v:
            out += s
            n -= v
    return out


def _fmt_number(n: int, fmt: str) -> str:
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "lowerLetter":
        return "abcdđeghiklmnopqrstuvxy"[(n - 1) % 23]
    if fmt == "upperLetter":
        return "ABCDĐEGHIKLMNOPQRSTUVXY"[(n - 1) % 23]
    return str(n)


class _Numbering:
    """Word's automatic list numbering, rebuilt: python-docx's paragraph.text leaves it out."""

    def __init__(self, document: object) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            numbering = document.part.numbering_part.element  # type: ignore[attr-defined]
        except (AttributeError, KeyError, NotImplementedError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for an in numbering.findall(f"{_W}abstractNum"):
            lv: dict[int, tuple[str, str, int]] = {}
            for lvl in an.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                txt = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lv[ilvl] = (fmt.get(f"{_W}val") if fmt is not None else "decimal",
                            txt.get(f"{_W}val") if txt is not None else "%1.",
                            int(start.get(f"{_W}val")) if start is not None else 1)
            abstract[an.get(f"{_W}abstractNumId")] = lv
        for num in numbering.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            for ilvl, spec in abstract.get(ref.get(f"{_W}val"), {}).items():
                self.levels[(num.get(f"{_W}numId"), ilvl)] = spec

    def label(self, paragraph: object) -> str:
        p = paragraph._p  # type: ignore[attr-defined]
        num_pr = p.find(f"{_W}pPr/{_W}numPr")
        if num_pr is None:
            style = getattr(paragraph, "style", None)
            el = getattr(style, "element", None)
            num_pr = el.find(f"{_W}pPr/{_W}numPr") if el is not None else None
        if num_pr is None:
            return ""
        num_id_el = num_pr.find(f"{_W}numId")
        ilvl_el = num_pr.find(f"{_W}ilvl")
        if num_id_el is None:
            return ""
        num_id = num_id_el.get(f"{_W}val")
        ilvl = int(ilvl_el.get(f"{_W}val")) if ilvl_el is not None else 0
        spec = self.levels.get((num_id, ilvl))
        if spec is None or num_id == "0":
            return ""
        fmt, text, start = spec
        if fmt == "bullet":
            return "-"
        counters = self.counters.setdefault(num_id, [0] * 9)
        counters[ilvl] = counters[ilvl] + 1 if counters[ilvl] else start
        for k in range(ilvl + 1, 9):
            counters[k] = 0

        def sub(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            kspec = self.levels.get((num_id, k), ("decimal", "", 1))
            return _fmt_number(counters[k] or kspec[2], kspec[0])

        return re.sub(r"%(\d)", sub, text)


def read_docx(path: Path) -> str:
    try:
        import docx  # python-docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise ExtractionInputError("Thiếu thư viện python-docx để đọc tệp .docx") from exc
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # zipfile.BadZipFile, KeyError, lxml errors...
        raise ExtractionInputError(f"Tệp Word (.docx) bị hỏng hoặc không đúng định dạng: {path.name}") from exc
    numbering = _Numbering(document)
    lines: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag == f"{_W}p":
            para = Paragraph(child, document)
            label = numbering.label(para)
            text = para.text.replace("\n", " ").strip()
            if label and text:
                text = f"{label} {text}"
            lines.append(text)
        elif child.tag == f"{_W}tbl":
            lines.extend(_table_lines(Table(child, document)))
            lines.append("")
    return "\n".join(lines)


def _table_lines(table: object) -> list[str]:
    """A table as Markdown-like rows "| a | b |"; merged cells repeat their text."""
    out = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells = []
        seen = None
        for cell in row.cells:
            if cell._tc is seen:  # a horizontally merged cell is returned once per grid column
                continue
            seen = cell._tc
            cells.append(" ".join(p.text.strip() for p in cell.paragraphs if p.text.strip()).replace("|", "/"))
        if any(cells):
            out.append("| " + " | ".join(cells) + " |")
    # a header that is the only row with text in column 1, e.g. the national motto table, stays as text
    if len(out) == 1:
        return [re.sub(r"^\|\s*|\s*\|$", "", out[0]).replace(" | ", "\n")]
    return out


# --- PDF -----------------------------------------------------------------------------------------


def read_pdf(path: Path) -> str:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise ExtractionInputError("Thiếu thư viện pdfplumber để đọc tệp .pdf") from exc
    try:
        with pdfplumber.open(str(path)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except (PDFPasswordIncorrect, PDFEncryptionError) as exc:
        raise ExtractionInputError(f"Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi thử lại: {path.name}") from exc
    except Exception as exc:  # pdfminer raises many kinds on damaged files
        if "password" in str(exc).lower() or "encrypt" in type(exc).__name__.lower():
            raise ExtractionInputError(
                f"Tệp PDF được đặt mật khẩu; hãy gỡ mật khẩu rồi thử lại: {path.name}") from exc
        raise ExtractionInputError(f"Tệp PDF bị hỏng hoặc không đúng định dạng: {path.name}") from exc
    text = "\n".join(pages)
    letters = sum(1 for c in text if c.isalpha())
    if letters < 20 * max(1, len(pages)) // 4:
        raise ExtractionInputError(
            f"Tệp PDF không có lớp văn bản (có thể là bản scan); cần nhận dạng ký tự (OCR) trước: {path.name}")
    return text


# --- DOC (Word 97-2003) --------------------------------------------------------------------------


def read_doc(path: Path) -> str:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if not office:
        raise ExtractionInputError(
            "Không đọc được tệp .doc: máy chưa cài LibreOffice; hãy lưu văn bản thành .docx rồi thử lại")
    with tempfile.TemporaryDirectory() as out_dir:
        try:
            subprocess.run([office, "--headless", "--convert-to", "docx", "--outdir", out_dir, str(path)],
                           check=True, capture_output=True, timeout=120)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise ExtractionInputError(f"LibreOffice không chuyển được tệp .doc sang .docx: {path.name}") from exc
        converted = Path(out_dir) / (path.stem + ".docx")
        if not converted.exists():
            raise ExtractionInputError(f"LibreOffice không chuyển được tệp .doc sang .docx: {path.name}")
        return read_docx(converted)
