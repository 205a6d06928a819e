"""Which forms exist under which rule version. Pure data: a new circular is a new `FormSet` here
(and, if its layout differs, new template files), not a change to the renderers.

Keyed by `Dossier.rule_version` (congvu.onestop.rules). Form numbers are those of the circular in
force: under TT 01/2018 the control slip is Mẫu 05 and the register Mẫu 06; under TT 03/2025
Mẫu 05 is the new stop notice, the control slip Mẫu 06 and the register Mẫu 07
(/work/shared/spec/onestop.md §2.4; TT 01/2018 numbering is [M], TT 03/2025 list [V], its field
lists not retrieved [?]: the TT 01/2018 fields are used for both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from congvu.common.errors import DomainError
from congvu.onestop.documents import word


class Kind(StrEnum):
    RECEIPT = "receipt"  # Giấy tiếp nhận hồ sơ và hẹn trả kết quả
    SUPPLEMENT = "supplement"  # Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ
    REFUSAL = "refusal"  # Phiếu từ chối tiếp nhận giải quyết hồ sơ
    APOLOGY = "apology"  # Phiếu xin lỗi … / Văn bản xin lỗi và đề nghị gia hạn …
    STOP = "stop"  # Thông báo dừng giải quyết hồ sơ (TT 03/2025 only)
    CONTROL = "control"  # Phiếu kiểm soát quá trình giải quyết hồ sơ
    BOOK = "book"  # Sổ theo dõi hồ sơ


@dataclass(frozen=True)
class FormSpec:
    form_no: str  # "01"
    kind: Kind
    title: str  # exact name in the circular, sentence case
    template: str  # Django template for the PDF
    docx: Callable  # builder: FormData → bytes
    legal_ref: str  # printed top right: "Mẫu số 01 …"
    options: dict = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"Mẫu {self.form_no}"


@dataclass(frozen=True)
class FormSet:
    name: str  # "TT 03/2025/TT-VPCP"
    forms: dict[str, FormSpec]

    def by_kind(self, kind: Kind) -> FormSpec | None:
        return next((f for f in self.forms.values() if f.kind == kind), None)


def _tpl(kind: Kind) -> str:
    return {
        Kind.RECEIPT: "onestop/forms/mau_01.html",
        Kind.SUPPLEMENT: "onestop/forms/mau_02.html",
        Kind.REFUSAL: "onestop/forms/mau_03.html",
        Kind.APOLOGY: "onestop/forms/mau_04.html",
        Kind.STOP: "onestop/forms/mau_05.html",
        Kind.CONTROL: "onestop/forms/mau_06.html",
        Kind.BOOK: "onestop/forms/mau_07.html",
    }[kind]


_BUILDERS = {
    Kind.RECEIPT: word.receipt_docx,
    Kind.SUPPLEMENT: word.supplement_docx,
    Kind.REFUSAL: word.refusal_docx,
    Kind.APOLOGY: word.apology_docx,
    Kind.STOP: word.stop_docx,
    Kind.CONTROL: word.control_docx,
    Kind.BOOK: word.book_docx,
}


def _form_set(name: str, ref: str, rows: list[tuple[str, Kind, str, dict]]) -> FormSet:
    return FormSet(name, {
        no: FormSpec(no, kind, title, _tpl(kind), _BUILDERS[kind], f"Mẫu số {no} {ref}", opts)
        for no, kind, title, opts in rows
    })


TT01_2018 = _form_set("TT 01/2018/TT-VPCP", "ban hành kèm theo Thông tư số 01/2018/TT-VPCP", [
    ("01", Kind.RECEIPT, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", {}),
    ("02", Kind.SUPPLEMENT, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", {}),
    ("03", Kind.REFUSAL, "Phiếu từ chối tiếp nhận giải quyết hồ sơ", {}),
    ("04", Kind.APOLOGY, "Phiếu xin lỗi và hẹn lại ngày trả kết quả", {"extension": False}),
    ("05", Kind.CONTROL, "Phiếu kiểm soát quá trình giải quyết hồ sơ", {}),
    ("06", Kind.BOOK, "Sổ theo dõi hồ sơ", {}),
])

TT03_2025 = _form_set("TT 03/2025/TT-VPCP", "- Phụ lục I ban hành kèm theo Thông tư số 03/2025/TT-VPCP", [
    ("01", Kind.RECEIPT, "Giấy tiếp nhận hồ sơ và hẹn trả kết quả", {}),
    ("02", Kind.SUPPLEMENT, "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ", {}),
    ("03", Kind.REFUSAL, "Phiếu từ chối tiếp nhận giải quyết hồ sơ", {}),
    ("04", Kind.APOLOGY, "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết", {"extension": True}),
    ("05", Kind.STOP, "Thông báo dừng giải quyết hồ sơ", {}),
    ("06", Kind.CONTROL, "Phiếu kiểm soát quá trình giải quyết hồ sơ", {}),
    ("07", Kind.BOOK, "Sổ theo dõi hồ sơ", {}),
])

# rule version (congvu.onestop.rules) → form set. NĐ 118/2025 before TT 03/2025 kept the
# TT 01/2018 forms (rules.ND118_2025.source).
FORM_SETS: dict[str, FormSet] = {
    "nd61-2018": TT01_2018,
    "nd118-2025": TT01_2018,
    "nd118-2025+tt03-2025": TT03_2025,
}


def form_set(rule_version: str) -> FormSet:
    try:
        return FORM_SETS[rule_version]
    except KeyError:
        raise DomainError("onestop_form.unknown_rule_version",
                          f"Chưa có bộ biểu mẫu cho phiên bản quy định \u201c{rule_version}\u201d.") from None


def normalise_form_no(form_no: str | int) -> str:
    text = str(form_no).strip().lower().removeprefix("mẫu").removeprefix("mau").strip().removeprefix("số").strip()
    return text.zfill(2) if text.isdigit() else text


def form_spec(rule_version: str, form_no: str | int) -> FormSpec:
    fs = form_set(rule_version)
    no = normalise_form_no(form_no)
    spec = fs.forms.get(no)
    if spec is None:
        known = ", ".join(f"{s.form_no} ({s.title})" for s in fs.forms.values())
        raise DomainError("onestop_form.unknown_form",
                          f"{fs.name} không có Mẫu {no}. Các mẫu hiện có: {known}.")
    return spec
