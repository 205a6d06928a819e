"""A deterministic synthetic population (no real person): the same seed and size give the same
citizens on every machine, so demos and tests can type a known number. Pure."""

from __future__ import annotations

import datetime as dt
import random
from functools import lru_cache

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Trương", "Đinh", "Lương", "Mai"]
MIDDLE_M = ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Ngọc", "Anh"]
MIDDLE_F = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Bảo", "Mỹ", "Hồng", "Phương"]
GIVEN_M = ["Hùng", "Dũng", "Nam", "Sơn", "Tuấn", "Khánh", "Long", "Phúc", "Tài", "Thắng", "Hải", "Bình", "Quang",
           "Trung", "Vinh", "Hiếu", "Đạt", "Lộc", "Tâm", "Toàn"]
GIVEN_F = ["Lan", "Hoa", "Hương", "Mai", "Linh", "Trang", "Thảo", "Nhung", "Hà", "Yến", "Vy", "Ngân", "Hạnh",
           "Trinh", "Tuyết", "Uyên", "Loan", "Nga", "Oanh", "Phượng"]
HAMLETS = ["Thôn An Phú", "Thôn Tân Hòa", "Thôn Phú Lộc", "Tổ dân phố 3", "Tổ dân phố 7", "Thôn Mỹ Long",
           "Thôn Đông Yên", "Thôn Vĩnh Trà", "Khu dân cư số 2", "Thôn Thạnh Đức"]
COMMUNES = ["xã Bình Sơn", "xã Bình Thạnh", "xã Vạn Tường", "phường Cẩm Thành", "phường Trương Quang Trọng",
            "xã Tư Nghĩa", "xã Mộ Đức", "xã Đức Phổ", "phường Nghĩa Lộ", "xã Sơn Tịnh"]
HOME_PROVINCE = "051"


def _citizen(rng: random.Random, province_code: str, province_name: str, used: set[str]) -> dict:
    female = rng.random() < 0.5
    year = rng.randint(1945, 2008)
    digit = (0 if year < 2000 else 2) + (1 if female else 0)
    while True:
        number = f"{province_code}{digit}{year % 100:02d}{rng.randint(0, 999999):06d}"
        if number not in used:
            used.add(number)
            break
    start = dt.date(year, 1, 1).toordinal()
    birth = dt.date.fromordinal(start + rng.randint(0, 364))
    name = " ".join([rng.choice(FAMILY), rng.choice(MIDDLE_F if female else MIDDLE_M),
                     rng.choice(GIVEN_F if female else GIVEN_M)])
    address = f"{rng.choice(HAMLETS)}, {rng.choice(COMMUNES)}, tỉnh {province_name}" \
        if province_code == HOME_PROVINCE else f"{rng.choice(HAMLETS)}, {province_name}"
    return {"id_number": number, "full_name": name, "birth_date": birth, "permanent_address": address,
            "female": female}


@lru_cache(maxsize=4)
def synthetic_population(seed: str, size: int, provinces: tuple[tuple[str, str], ...]) -> dict[str, dict]:
    """{id number: citizen dict}: four in five born in the home province (Quảng Ngãi, 051)."""
    rng = random.Random(f"{seed}:{size}")
    used: set[str] = set()
    home = dict(provinces).get(HOME_PROVINCE, "Quảng Ngãi")
    out: dict[str, dict] = {}
    for _ in range(size):
        code, name = (HOME_PROVINCE, home) if rng.random() < 0.8 else rng.choice(provinces)
        c = _citizen(rng, code, name, used)
        out[c["id_number"]] = c
    return out
