"""Đồng amounts for people: "1.250.000" and "Một triệu hai trăm năm mươi nghìn đồng". Pure."""

from __future__ import annotations

_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_GROUPS = ["", " nghìn", " triệu", " tỷ"]


def vnd(amount: int | None) -> str:
    return f"{int(amount or 0):,}".replace(",", ".")


def _triple(n: int, full: bool) -> str:
    """Words for 0 < n < 1000; `full` when a higher group precedes (so "không trăm" is spoken)."""
    h, t, u = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if h or full:
        words += [_DIGITS[h], "trăm"]
    if t == 0:
        if u and (h or full):
            words.append("linh")
    elif t == 1:
        words.append("mười")
    else:
        words += [_DIGITS[t], "mươi"]
    if u:
        if u == 1 and t > 1:
            words.append("mốt")
        elif u == 5 and t > 0:
            words.append("lăm")
        elif u == 4 and t > 1:
            words.append("tư")
        else:
            words.append(_DIGITS[u])
    return " ".join(words)


def _words(n: int) -> str:
    if n == 0:
        return "không"
    parts: list[str] = []
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    for i in range(len(groups) - 1, -1, -1):
        g = groups[i]
        if g == 0:
            continue
        full = i < len(groups) - 1
        suffix = _GROUPS[i] if i < 4 else _GROUPS[i - 3] + " tỷ"
        parts.append(_triple(g, full) + suffix)
    return " ".join(parts)


def vnd_words(amount: int | None) -> str:
    text = _words(int(amount or 0)) + " đồng"
    return text[0].upper() + text[1:]
