"""Resolving assignees against a registry passed in as data."""

import pytest

from congvu.directives.extraction import RegistryUnit, Resolver, extract_text
from congvu.directives.extraction.resolve import load_registry, match_key, split_locality

REGISTRY = [
    RegistryUnit("51", "Tỉnh Quảng Ngãi", kind="province"),
    RegistryUnit("51-SNV", "Sở Nội vụ", kind="agency", parent_code="51"),
    RegistryUnit("524", "Huyện Bình Sơn", kind="district", parent_code="51"),
    RegistryUnit("525", "Huyện Mộ Đức", kind="district", parent_code="51"),
    RegistryUnit("524-NV", "Phòng Nội vụ", kind="agency", parent_code="524"),
    RegistryUnit("525-NV", "Phòng Nội vụ", kind="agency", parent_code="525"),
    RegistryUnit("524-LD", "Phòng Lao động - Thương binh và Xã hội", kind="agency", parent_code="524"),
    RegistryUnit("524-VH", "Phòng Văn hóa và Thông tin", kind="agency", parent_code="524"),
    RegistryUnit("524-QS", "Ban Chỉ huy Quân sự huyện Bình Sơn", aliases=("Ban CHQS huyện",), kind="agency",
                 parent_code="524"),
    RegistryUnit("524-TN", "Phòng Tài nguyên và Môi trường", kind="agency", parent_code="524"),
    RegistryUnit("524-BT", "Xã Bình Thạnh", kind="commune", parent_code="524"),
]


@pytest.fixture
def resolver() -> Resolver:
    return Resolver(REGISTRY, issuer="UBND huyện Bình Sơn")


@pytest.mark.parametrize(("name", "code"), [
    ("Phòng Lao động, Thương binh và Xã hội", "524-LD"),
    ("Phòng LĐ-TB&XH huyện", "524-LD"),
    ("Phòng Văn hoá và Thông tin", "524-VH"),  # old tone placement
    ("PHÒNG VĂN HÓA VÀ THÔNG TIN", "524-VH"),
    ("Phòng Nội vụ huyện", "524-NV"),  # "huyện" = the issuer's district
    ("Phòng Nội vụ huyện Mộ Đức", "525-NV"),  # a named district wins over the issuer's
    ("Ban CHQS huyện", "524-QS"),
    ("Ban Chỉ huy Quân sự huyện", "524-QS"),
    ("Phòng TN&MT", "524-TN"),
    ("UBND huyện", "524"),
    ("UBND xã Bình Thạnh", "524-BT"),
    ("Sở Nội vụ", "51-SNV"),
])
def test_matched(resolver: Resolver, name: str, code: str) -> None:
    res = resolver.resolve(name)
    assert (res.status, res.code) == ("matched", code)
    assert 0.8 <= res.confidence <= 1.0


def test_unmatched_and_ambiguous() -> None:
    no_issuer = Resolver(REGISTRY)
    res = no_issuer.resolve("Phòng Nội vụ huyện")
    assert res.status == "ambiguous" and {c for c, _ in res.candidates} == {"524-NV", "525-NV"}
    res = no_issuer.resolve("Phòng Giáo dục và Đào tạo")
    assert res.status == "unmatched" and res.code is None


def test_keys() -> None:
    assert match_key("Phòng Lao động, Thương binh và Xã hội") == match_key("Phòng Lao động - Thương binh và Xã hội")
    assert match_key("Phòng LĐ-TB&XH") == "phong lao dong thuong binh xa hoi"
    assert split_locality("Phòng Nội vụ huyện Bình Sơn") == ("phong noi vu", "huyện", "binh son")
    assert split_locality("Phòng Lao động - Thương binh và Xã hội")[1] is None  # "Xã hội" is no commune


def test_extraction_fills_assignee_unit_and_flags() -> None:
    text = "\n".join([
        "ỦY BAN NHÂN DÂN", "HUYỆN BÌNH SƠN", "", "Số: 12/TB-UBND", "", "Bình Sơn, ngày 05 tháng 02 năm 2024", "",
        "THÔNG BÁO", "Kết luận của Chủ tịch UBND huyện tại cuộc họp", "",
        "Chủ tịch UBND huyện kết luận như sau:", "",
        "1. Giao Phòng Nội vụ huyện rà soát vị trí việc làm, hoàn thành trước ngày 29/02/2024.",
        "2. Giao Phòng Giáo dục và Đào tạo tổ chức hội thi.",
        "3. Các cơ quan, đơn vị thực hiện nghiêm kỷ luật hành chính.",
    ])
    tasks = extract_text(text, registry=REGISTRY)["tasks"]
    assert [t["assignee_unit"] for t in tasks] == ["524-NV", None, None]
    assert tasks[1]["flags"] == ["assignee_unmatched"]
    assert "assignee_generic" in tasks[2]["flags"]


def test_load_registry_from_json_shapes() -> None:
    units = load_registry({"units": [{"code": "X", "name": "Sở Y tế", "aliases": ["SYT"], "parent_code": None}]})
    assert units == [RegistryUnit("X", "Sở Y tế", ("SYT",), "agency", None)]
    with pytest.raises(ValueError):
        load_registry("nonsense")


def test_issuer_context_picks_the_issuers_district_among_identical_agencies():
    units = [RegistryUnit("P", "Tỉnh Quảng Ngãi", kind="province")]
    for code, name in [("A", "Bình Sơn"), ("B", "Mộ Đức"), ("C", "Ba Tơ")]:
        units += [
            RegistryUnit(code, f"Huyện {name}", kind="district", parent_code="P"),
            RegistryUnit(f"{code}-UB", f"Ủy ban nhân dân huyện {name}", parent_code=code),
            RegistryUnit(f"{code}-LD", "Phòng Lao động - Thương binh và Xã hội", parent_code=code,
                         aliases=("Phòng LĐ-TB&XH",)),
            RegistryUnit(f"{code}-QS", "Ban Chỉ huy Quân sự huyện", parent_code=code),
        ]
    resolver = Resolver(units, issuer="UBND huyện Mộ Đức")
    assert resolver.issuer_code == "B"
    assert resolver.resolve("Phòng Lao động, Thương binh và Xã hội").code == "B-LD"
    assert resolver.resolve("Phòng LĐ-TB&XH").code == "B-LD"
    assert resolver.resolve("Ban Chỉ huy Quân sự huyện").code == "B-QS"
    assert Resolver(units).resolve("Ban Chỉ huy Quân sự huyện").status == "ambiguous"
