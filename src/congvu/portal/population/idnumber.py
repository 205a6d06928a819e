"""Format of the 12-digit personal identification number (số định danh cá nhân / CCCD). Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parent.parent / "data" / "cccd.yaml"


@lru_cache(maxsize=1)
def _rules() -> dict:
    with open(DATA, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def province_codes() -> dict[str, str]:
    return {str(k).zfill(3): v for k, v in _rules()["provinces"].items()}


@dataclass(frozen=True)
class IdCheck:
    ok: bool
    value: str
    message: str = ""
    province: str = ""
    birth_year: int | None = None
    female: bool | None = None


def id_number_check(raw: str) -> IdCheck:
    """Normalise (spaces, dots, dashes dropped) and check: 12 digits, a known province code. A clear
    Vietnamese message when it is not."""
    value = re.sub(r"[\s.\-]", "", raw or "")
    if not value:
        return IdCheck(False, value, "Chưa nhập số định danh cá nhân.")
    if not value.isdigit():
        return IdCheck(False, value, "Số định danh cá nhân chỉ gồm chữ số.")
    if len(value) != 12:
        return IdCheck(False, value, f"Số định danh cá nhân phải có 12 chữ số (đang có {len(value)}).")
    provinces = province_codes()
    if value[:3] not in provinces:
        return IdCheck(False, value, f"Ba số đầu “{value[:3]}” không phải mã tỉnh nơi đăng ký khai sinh.")
    digit = value[3]
    century = int(_rules()["century_digits"][digit])
    return IdCheck(True, value, "", provinces[value[:3]], century + int(value[4:6]), int(digit) % 2 == 1)
