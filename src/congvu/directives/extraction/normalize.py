"""Text normalisation for the extractor: NFC, legacy Vietnamese encodings, cleaned views with offsets.

The extractor reads a *cleaned view* of each line (Markdown marks dropped, one kind of dash and
quote, tone placement unified, single spaces) but reports offsets into the document text, so every
cleaned character remembers where it came from (`View.offsets`). `prepare()` gives the document
text that offsets refer to: NFC, with TCVN3 / VNI text converted to Unicode first.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import compress

from congvu.common.text import nfc, unify_tone_placement

# --- TCVN3 (ABC, .VnTime fonts) ------------------------------------------------------------------
# One byte per letter; read as Latin-1 the text looks like "Th«ng b¸o". Capital toned letters have no
# code of their own: .VnTimeH fonts draw the lowercase codes as capitals.
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ ¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ ©â Çầ Êấ Èẩ Éẫ Ëậ ®đ "
    "Ìè Ðé Îẻ Ïẽ Ñẹ ªê Òề Õế Óể Ôễ Öệ ×ì Ýí Øỉ Üĩ Þị "
    "ßò ãó áỏ âõ äọ «ô åồ èố æổ çỗ éộ ¬ơ êờ íớ ëở ìỡ îợ "
    "ïù óú ñủ òũ ôụ \xadư õừ øứ öử ÷ữ ùự úỳ ýý ûỷ üỹ þỵ "
    "¡Ă ¢Â £Ê ¤Ô ¥Ơ ¦Ư §Đ"
)
TCVN3_TO_UNICODE: dict[str, str] = {p[0]: p[1] for p in _TCVN3_PAIRS.split(" ")}
UNICODE_TO_TCVN3: dict[str, str] = {v: k for k, v in TCVN3_TO_UNICODE.items() if k != v}

# --- VNI Windows ---------------------------------------------------------------------------------
# A base letter followed by one mark byte ("Vieät" = Việt); a few letters are single bytes.
_VNI_MARKS_LOWER = {"ù": "\u0301", "ø": "\u0300", "û": "\u0309", "õ": "\u0303", "ï": "\u0323"}
_VNI_MARKS_UPPER = {"Ù": "\u0301", "Ø": "\u0300", "Û": "\u0309", "Õ": "\u0303", "Ï": "\u0323"}
# circumflex (+tone) and breve (+tone) marks, lower / upper case spelling
_VNI_HAT = {"â": "", "á": "\u0301", "à": "\u0300", "å": "\u0309", "ã": "\u0303", "ä": "\u0323"}
_VNI_HAT_UPPER = {"Â": "", "Á": "\u0301", "À": "\u0300", "Å": "\u0309", "Ã": "\u0303", "Ä": "\u0323"}
_VNI_BREVE = {"ê": "", "é": "\u0301", "è": "\u0300", "ú": "\u0309", "ü": "\u0303", "ë": "\u0323"}
_VNI_BREVE_UPPER = {"Ê": "", "É": "\u0301", "È": "\u0300", "Ú": "\u0309", "Ü": "\u0303", "Ë": "\u0323"}
_VNI_SINGLE = {
    "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ", "ñ": "đ", "ô": "ơ", "ö": "ư",
    "Æ": "Ỉ", "Ó": "Ĩ", "Ò": "Ị", "Î": "Ỵ", "Ñ": "Đ", "Ô": "Ơ", "Ö": "Ư",
}


def _vni_table() -> dict[str, str]:
    """Map every VNI spelling (1 or 2 characters) to its precomposed Unicode letter."""
    table: dict[str, str] = {}
    tones = {**_VNI_MARKS_LOWER, **_VNI_MARKS_UPPER}
    for base in "aeouyAEOUY" + "ôöÔÖ":
        ubase = _VNI_SINGLE.get(base, base)
        for mark, comb in tones.items():
            table[base + mark] = nfc(ubase + comb)
    for base in "aeoAEO":
        for marks in (_VNI_HAT, _VNI_HAT_UPPER):
            for mark, comb in marks.items():
                table[base + mark] = nfc(base + "\u0302" + comb)
    for base in "aA":
        for marks in (_VNI_BREVE, _VNI_BREVE_UPPER):
            for mark, comb in marks.items():
                table[base + mark] = nfc(base + "\u0306" + comb)
    table.update(_VNI_SINGLE)
    return table


VNI_TO_UNICODE: dict[str, str] = _vni_table()
# Encoding direction: prefer the lower-case mark bytes after a lower-case base and vice versa.
UNICODE_TO_VNI: dict[str, str] = {}
for _k, _v in sorted(VNI_TO_UNICODE.items(), key=lambda kv: (len(kv[0]), kv[0])):
    if len(_k) == 2 and _k[0].islower() != _k[1].islower():
        continue
    UNICODE_TO_VNI.setdefault(_v, _k)
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True)))

_VIET_UNICODE = re.compile(r"[\u0102\u0103\u0110\u0111\u0128\u0129\u0168\u0169\u01a0\u01a1\u01af\u01b0\u1ea0-\u1ef9]")


def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 text (read as Latin-1) to Unicode; same length, so offsets carry over."""
    out = text.translate(str.maketrans(TCVN3_TO_UNICODE))
    # .VnTimeH capitals: a word written in capitals keeps its converted letters in capitals too.
    out = re.sub(r"\w+", lambda m: m.group(0).upper() if _is_caps_word(m.group(0)) else m.group(0), out)
    # TCVN3 has no capital toned letters ("Ủy" is typed as "ủy"): a sentence or list item starts with a capital
    return _SENTENCE_START.sub(lambda m: m.group(1) + m.group(2).upper(), out)


_SENTENCE_START = re.compile(r"((?:^|[.!?:;]\s+|\n)[ \t]*(?:(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zđ]\)|[-+•*])[ \t]+)?)"
                             r"([àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ])",
                             re.MULTILINE)


def _is_caps_word(word: str) -> bool:
    ascii_letters = [c for c in word if c.isascii() and c.isalpha()]
    return len(ascii_letters) >= 2 and all(c.isupper() for c in ascii_letters)


def unicode_to_tcvn3(text: str) -> str:
    text = nfc(text)
    return "".join(UNICODE_TO_TCVN3.get(c, UNICODE_TO_TCVN3.get(c.lower(), c)) for c in text)


def vni_to_unicode(text: str) -> str:
    return _VNI_RE.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)


def unicode_to_vni(text: str) -> str:
    return "".join(UNICODE_TO_VNI.get(c, c) for c in nfc(text))


# Runs of what is NOT a letter ([^\W\d_]): what is left after deleting them is the letters, counted without
# building one string per letter (findall did, ~4 ms on a long text).
_NON_LETTERS = re.compile(r"[\W\d_]+")


def _count(complement_runs: re.Pattern[str], text: str) -> int:
    return len(complement_runs.sub("", text))
# runs of * or _: `\*+|(?<!\w)_{1,3}|_{1,3}(?!\w)`, written so that every branch opens with its mark character
# and the engine skips ahead to a * or _ (a branch that opens with a look-behind is tried at every position);
# "(?<!\w_)" after the first "_" is "(?<!\w)" before it. Same matches (tested against the plain form).
_EMPHASIS = re.compile(r"\*+|_(?:(?<!\w_)_{0,2}|_{0,2}(?!\w))")
_EMPHASIS_PLAIN = re.compile(r"\*+|(?<!\w)_{1,3}|_{1,3}(?!\w)")  # the reference form, for the tests


def detect_encoding(text: str) -> str:
    """'unicode', 'tcvn3' or 'vni' for text that was decoded as Latin-1/cp1252 or arrived as str.

    Unicode Vietnamese is full of letters above U+0100 (ă, ơ, ư, đ, ạ...); legacy text has none and
    is full of Latin-1 symbols instead. The legacy kind is the conversion that leaves the fewest
    stray Latin-1 symbols and yields the most Vietnamese letters.
    """
    text = text[:20000]  # a sample decides
    # Vietnamese-only letters over 2% of all characters are over 2% of the letters too (letters ≤ characters):
    # Unicode Vietnamese, decided as soon as that many are seen (within the first few thousand characters).
    enough = int(0.02 * len(text))
    while enough / max(len(text), 1) <= 0.02:
        enough += 1
    viet = 0
    for viet, _ in enumerate(_VIET_UNICODE.finditer(text), start=1):
        if viet >= enough:
            return "unicode"
    letters = _count(_NON_LETTERS, text)
    if not letters:
        return "unicode"
    if viet / letters > 0.02:
        return "unicode"
    junk = _junk(text)
    if junk / letters < 0.01:
        return "unicode"
    # TCVN3 spells its commonest letters (à á ả ã ạ ă â ê ô ơ ư đ) with the symbols U+00A1-U+00BF;
    # VNI only ever uses the letter range U+00C0-U+00FF.
    symbols = sum(1 for c in text if "\xa1" <= c <= "\xbf")
    if symbols / letters > 0.01:
        return "tcvn3"
    if symbols == 0:
        return "vni"
    scores = {}
    for kind, conv in (("tcvn3", tcvn3_to_unicode), ("vni", vni_to_unicode)):
        out = conv(text)
        scores[kind] = len(_VIET_UNICODE.findall(out)) - 2 * _junk(out)
    kind = max(scores, key=lambda k: scores[k])
    return kind if scores[kind] > 0 else "unicode"


_VIET_LATIN1 = frozenset("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")


def _junk(text: str) -> int:
    return sum(1 for c in text if "\xa0" < c <= "\xff" and c not in _VIET_LATIN1)


def fix_legacy(text: str) -> str:
    kind = detect_encoding(text)
    if kind == "tcvn3":
        return tcvn3_to_unicode(text)
    if kind == "vni":
        return vni_to_unicode(text)
    return text


def prepare(text: str) -> str:
    """The document text that `start`/`end` offsets index: NFC, legacy encodings converted."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(fix_legacy(nfc(text)))


# --- cleaned views -------------------------------------------------------------------------------

_CHAR_MAP = str.maketrans({
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2018": "'", "\u2019": "'",
    "\u00a0": " ", "\t": " ", "\u200b": " ", "\ufeff": " ", "\u2026": "…",
    # PDF text layers of TCVN-era fonts give "ƣ" (U+01A3, oi) for "ư": "Công Thƣơng", "đƣợc"
    "\u01a3": "\u01b0", "\u01a2": "\u01af",
})
_CHAR_MAP_HINT = re.compile("[" + re.escape("".join(chr(c) for c in _CHAR_MAP)) + "]")


@dataclass
class View:
    """Cleaned text plus, for each of its characters, the offset of its source character."""

    text: str
    offsets: list[int]

    def span(self, i: int = 0, j: int | None = None) -> tuple[int, int]:
        """Source offsets (start, end) of text[i:j], trimmed of spaces."""
        j = len(self.text) if j is None else j
        while i < j and self.text[i] == " ":
            i += 1
        while j > i and self.text[j - 1] == " ":
            j -= 1
        if i >= j:
            return (self.offsets[i] if i < len(self.offsets) else 0,) * 2
        return self.offsets[i], self.offsets[j - 1] + 1

    def sub(self, i: int = 0, j: int | None = None) -> View:
        j = len(self.text) if j is None else j
        return View(self.text[i:j], self.offsets[i:j])

    def strip(self) -> View:
        t = self.text
        i, j = 0, len(t)
        while i < j and t[i] in " \n":
            i += 1
        while j > i and t[j - 1] in " \n":
            j -= 1
        return self.sub(i, j)

    def __add__(self, other: View) -> View:
        if not self.text:
            return other
        if not other.text:
            return self
        return View(self.text + " " + other.text, self.offsets + [self.offsets[-1] + 1] + other.offsets)

    @staticmethod
    def join(views: list[View]) -> View:
        """`views[0] + views[1] + ...` in one pass: adding line by line copies the paragraph so far at
        every line, quadratic in a long paragraph."""
        if len(views) == 1:
            return views[0]
        texts: list[str] = []
        offsets: list[int] = []
        last = views[0]
        for v in views:
            if not v.text:
                continue
            if texts:
                texts.append(" ")
                offsets.append(offsets[-1] + 1)
            texts.append(v.text)
            offsets.extend(v.offsets)
            last = v
        if len(texts) <= 1:  # at most one non-empty part: `+` returns that part itself (or the last empty one)
            return last if texts else views[-1]
        return View("".join(texts), offsets)


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?")
_MD_BULLET = re.compile(r"^\s*([*+•·▪●◦-])\s+")
_NON_SPACE = re.compile(r"[^ ]+")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def clean_line(line: str, base: int) -> tuple[View, dict[str, bool]]:
    """Clean one physical line that starts at offset `base`; also report Markdown hints."""
    hints = {"md_heading": False, "bold": False, "table": False}
    if not line.strip(" "):
        return View("", []), hints  # an empty line (a third to a half of a PDF text's lines): nothing to clean
    # Most lines have no Markdown at all: each pattern below runs only when its trigger character is
    # present (long documents spent most of their time here), and `keep` (which source characters stay)
    # is only built once something is dropped. Skipping a pattern that cannot match changes nothing.
    keep: list[bool] | None = None
    head = line[:4]  # a heading "#" or quote ">" mark follows at most three spaces
    m = _MD_HEADING.match(line) if "#" in head else None
    if m:
        hints["md_heading"] = True
    elif ">" in head:
        m = _MD_QUOTE.match(line)
    if m:
        keep = [True] * len(line)
        for k in range(m.end()):
            keep[k] = False
    stripped = line.strip()
    if stripped.startswith("|") and stripped.count("|") >= 2:
        hints["table"] = True
    if stripped.startswith("**") or stripped.startswith("__"):
        hints["bold"] = True
    if "\\" in line:
        for em in _MD_ESCAPE.finditer(line):
            keep = keep or [True] * len(line)
            keep[em.start()] = False
    if "*" in line or "_" in line:
        bullet = _MD_BULLET.match(line)
        bullet_pos = bullet.start(1) if bullet else -1
        # emphasis marks: runs of * or _ (a lone "*" bullet at line start is kept as a list marker)
        for em in _EMPHASIS.finditer(line):
            if em.start() == bullet_pos and em.group(0) == "*":
                continue
            keep = keep or [True] * len(line)
            for k in range(em.start(), em.end()):
                keep[k] = False
    if _CHAR_MAP_HINT.search(line):  # str.translate looks up every character of non-ASCII text
        line = line.translate(_CHAR_MAP)  # one-for-one, so indexes still match the source
    identity = keep is None or all(keep)
    if identity:
        idx: list[int] = []  # source index k is cleaned index k: not needed
        kept_text = line
    else:
        assert keep is not None
        idx = list(compress(range(len(line)), keep))  # compress loops in C (Markdown-heavy web copies)
        kept_text = "".join(compress(line, keep))
    inner = kept_text.strip(" ")
    if identity and "  " not in inner:
        # the usual line: no mark dropped, single spaces; the cleaned text is one slice of the source
        a = len(kept_text) - len(kept_text.lstrip(" "))
        text, offs = inner, list(range(base + a, base + a + len(inner)))
    else:
        words = [(m.start(), m.end()) for m in _NON_SPACE.finditer(kept_text)]
        text = " ".join(kept_text[a:b] for a, b in words)
        # the source offset of each cleaned-line character, sliced per word below
        src = range(base, base + len(kept_text)) if identity else [base + k for k in idx]
        offs = []
        for n, (a, b) in enumerate(words):
            if n:
                offs.append(src[a - 1])  # the space before the word
            offs.extend(src[a:b])
    if text:
        text = unify_tone_placement(text)  # same length: 2-letter groups swap places
    return View(text, offs), hints


def view_of(text: str, base: int = 0) -> View:
    """A cleaned single-line view of a whole text (newlines become spaces)."""
    parts = [clean_line(line, base + pos)[0] for line, pos in _lines_with_pos(text)]
    out = View("", [])
    for p in parts:
        if p.text:
            out = out + p
    return out


def _lines_with_pos(text: str) -> list[tuple[str, int]]:
    out = []
    pos = 0
    for line in text.split("\n"):
        out.append((line, pos))
        pos += len(line) + 1
    return out


def lines_with_pos(text: str) -> list[tuple[str, int]]:
    return _lines_with_pos(text)


def clean_lines(text: str) -> list[tuple[View, dict[str, bool]]]:
    """Every physical line of `text`, cleaned (computed once per document and shared)."""
    return [clean_line(line, pos) for line, pos in _lines_with_pos(text)]


def is_upper_heading(text: str) -> bool:
    # filter/map over str methods loop in C (the layout pass asks this of every line, twice)
    letters = "".join(filter(str.isalpha, text))
    return len(letters) >= 4 and all(map(str.isupper, letters))


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower-case, accent-free form for keyword tests (đ → d)."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    return "".join(c for c in text if not unicodedata.combining(c))
