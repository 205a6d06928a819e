"""The catalogue of titles (danh hiệu thi đua) and forms of commendation (hình thức khen thưởng) the
engine knows. Names only: conditions, money and procedure are versioned data in data/rulesets/."""

from __future__ import annotations

from dataclasses import dataclass

PERSON = "person"
COLLECTIVE = "collective"
KINDS = (PERSON, COLLECTIVE)


@dataclass(frozen=True, slots=True)
class Title:
    code: str
    name_vi: str
    kind: str  # "person", "collective" or "any" (a form of commendation given to both)
    category: str  # "title" (danh hiệu thi đua) or "commendation" (hình thức khen thưởng)
    level: str  # "co_so", "tinh" or "toan_quoc": who decides it, roughly
    short_vi: str = ""

    @property
    def kinds(self) -> tuple[str, ...]:
        return KINDS if self.kind == "any" else (self.kind,)

    def accepts(self, kind: str) -> bool:
        return self.kind == "any" or self.kind == kind


def _t(code: str, name: str, kind: str, category: str, level: str, short: str) -> tuple[str, Title]:
    return code, Title(code, name, kind, category, level, short)


TITLES: dict[str, Title] = dict([
    _t("LDTT", "Lao động tiên tiến", PERSON, "title", "co_so", "LĐTT"),
    _t("CSTDCS", "Chiến sĩ thi đua cơ sở", PERSON, "title", "co_so", "CSTĐCS"),
    _t("CSTD_TINH", "Chiến sĩ thi đua cấp tỉnh", PERSON, "title", "tinh", "CSTĐ cấp tỉnh"),
    _t("CSTD_TOAN_QUOC", "Chiến sĩ thi đua toàn quốc", PERSON, "title", "toan_quoc", "CSTĐ toàn quốc"),
    _t("TTLDTT", "Tập thể lao động tiên tiến", COLLECTIVE, "title", "co_so", "TTLĐTT"),
    _t("TTLDXS", "Tập thể lao động xuất sắc", COLLECTIVE, "title", "tinh", "TTLĐXS"),
    _t("CO_TINH", "Cờ thi đua của Ủy ban nhân dân tỉnh", COLLECTIVE, "title", "tinh", "Cờ thi đua tỉnh"),
    _t("BK_TINH", "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "any", "commendation", "tinh", "Bằng khen tỉnh"),
    _t("GIAY_KHEN", "Giấy khen", "any", "commendation", "co_so", "Giấy khen"),
])
