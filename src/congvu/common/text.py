"""Vietnamese text helpers. Pure: imports nothing from Django.

- `nfc` normalises to Unicode NFC (two of the seed notices arrive decomposed).
- `unify_tone_placement` maps old-style tone placement (hoá, uỷ) to the new style (hóa, ủy);
  NFC alone does not unify them.
- `search_key` is the accent-, case- and tone-placement-insensitive key used for search and
  fuzzy matching; the original text is always kept for display.
"""

from __future__ import annotations

import re
import unicodedata

# Old-style → new-style tone placement on the diphthongs oa, oe, uy (not after "q": "quý" stays).
_TONE_PAIRS = {
    "oá": "óa", "oà": "òa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oé": "óe", "oè": "òe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uý": "úy", "uỳ": "ùy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}
_TONE_RE = re.compile(
    r"(?<![qQ])(" + "|".join(sorted(_TONE_PAIRS, key=len, reverse=True)) + r")(?![a-zA-Zàáảãạăằắẳẵặâầấẩẫậêềếểễệôồốổỗộơờớởỡợưừứửữựìíỉĩịòóỏõọùúủũụỳýỷỹỵèéẻẽẹ])",
    re.IGNORECASE,
)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "})


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _swap_tone(match: re.Match[str]) -> str:
    found = match.group(1)
    new = _TONE_PAIRS[found.lower()]
    return new.upper() if found.isupper() else (new[0].upper() + new[1:] if found[0].isupper() else new)


def unify_tone_placement(text: str) -> str:
    """Hoá → Hóa, uỷ → ủy; a syllable that continues (hoàng, tuyết) is left alone."""
    return _TONE_RE.sub(_swap_tone, nfc(text))


def clean(text: str) -> str:
    """NFC, one kind of dash and quote, single spaces: the form stored for display."""
    text = nfc(text).translate(_QUOTES)
    text = _DASHES.sub("-", text)
    return re.sub(r"[ \t]+", " ", text).strip()


def strip_accents(text: str) -> str:
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn")


def search_key(text: str | None) -> str:
    """Lower-case, accent-free, punctuation-free key: 'Phòng Văn hoá và Thông tin' → 'phong van hoa va thong tin'."""
    if not text:
        return ""
    text = strip_accents(unify_tone_placement(clean(text))).lower()
    text = re.sub(r"[^\w\s]", " ", text)
    return re.sub(r"\s+", " ", text).strip()
