"""What the one-stop forms print: plain dataclasses, and their construction from a dossier.

The dataclasses are pure (renderers and tests can build them by hand). `form_data_for` and
`book_data_for` read the database (never write) and are the only functions here touching Django.
Datetimes in the dataclasses are naive Vietnamese local wall time (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from congvu.common.errors import DomainError
from congvu.onestop.documents.fmt import nfc
from congvu.onestop.documents.registry import FormSpec, Kind, form_set, form_spec

VERDICT_LABELS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn", "overdue": "Quá hạn"}
RESULT_PLACES = {
    "in_person": "{unit}",
    "online": "Trực tuyến, trên Cổng Dịch vụ công quốc gia",
    "postal": "Qua dịch vụ bưu chính công ích, tại địa chỉ của người nộp",
    "phone": "Trực tuyến, trên Cổng Dịch vụ công quốc gia",
}


# ------------------------------------------------------------------------------------------------
# Dataclasses
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Issuer:
    """Top-left block (NĐ 30/2020): parent authority (upper case), issuing body (upper case, bold)."""

    name: str
    parent: str = ""
    place: str = ""  # place name of the date line ("Bình Thạnh")


@dataclass(frozen=True)
class Applicant:
    name: str
    address: str = ""
    phone: str = ""
    email: str = ""
    id_number: str = ""


@dataclass(frozen=True)
class Component:
    """One document received (Mẫu 01 table)."""

    name: str
    form: str = ""  # "Bản chính", "Bản sao", "Bản chính, bản sao"
    quantity: int = 1


@dataclass(frozen=True)
class Handover:
    """One hand-over on the control slip: giver → receiver at `at`, judged early / on time / late."""

    giver: str
    receiver: str
    at: dt.datetime | None = None
    giver_person: str = ""
    receiver_person: str = ""
    result: str = ""  # "Trước hạn" / "Đúng hạn" / "Quá hạn" / ""
    note: str = ""


@dataclass(frozen=True)
class BookRow:
    ordinal: int
    code: str
    procedure: str
    sets: int
    applicant: str
    contact: str  # address, phone
    lead_agency: str
    received_at: dt.datetime | None
    due_at: dt.datetime | None
    transferred_at: dt.datetime | None = None
    result_received_at: dt.datetime | None = None
    returned_at: dt.datetime | None = None
    note: str = ""


@dataclass(kw_only=True)
class FormData:
    """Fields every form shares. `title`, `form_no`, `legal_ref` come from the registry entry."""

    form_no: str
    title: str
    rule_version: str
    legal_ref: str = ""
    issuer: Issuer
    issued_on: dt.date  # date line
    number: str = ""  # "Số: …" for letters (Mẫu 04, 05); blank to fill at registration
    code: str = ""  # mã hồ sơ
    applicant: Applicant | None = None
    procedure: str = ""
    sector: str = ""  # lĩnh vực
    lead_agency: str = ""  # competent agency (cơ quan chủ trì giải quyết)
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    signer_title: str = ""
    signer_note: str = "(Ký và ghi rõ họ tên)"
    signer_name: str = ""
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class ReceiptData(FormData):
    """Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""

    components: list[Component] = field(default_factory=list)
    sets: int = 1
    processing_time: str = ""  # "05 ngày làm việc"
    result_place: str = ""
    channel: str = ""
    book_volume: str = ""
    book_entry: str = ""
    lookup_note: str = ""


@dataclass(kw_only=True)
class SupplementData(FormData):
    """Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""

    items: list[str] = field(default_factory=list)
    reason: str = ""
    requested_at: dt.datetime | None = None
    contact_name: str = ""
    contact_phone: str = ""


@dataclass(kw_only=True)
class RefusalData(FormData):
    """Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ."""

    legal_basis: str = ""
    reason: str = ""
    refused_at: dt.datetime | None = None
    at_receipt: bool = False


@dataclass(kw_only=True)
class ApologyData(FormData):
    """Mẫu 04: NĐ 61 "Phiếu xin lỗi và hẹn lại ngày trả kết quả" or TT 03/2025 "Văn bản xin lỗi và
    đề nghị gia hạn thời gian giải quyết" (options["extension"])."""

    previous_due_at: dt.datetime | None = None
    new_due_at: dt.datetime | None = None
    reason: str = ""


@dataclass(kw_only=True)
class StopData(FormData):
    """Mẫu 05 (TT 03/2025) Thông báo dừng giải quyết hồ sơ."""

    reason: str = ""
    stopped_at: dt.datetime | None = None


@dataclass(kw_only=True)
class ControlData(FormData):
    """Phiếu kiểm soát quá trình giải quyết hồ sơ (Mẫu 05 of TT 01/2018, Mẫu 06 of TT 03/2025)."""

    coordinating: list[str] = field(default_factory=list)
    handovers: list[Handover] = field(default_factory=list)


@dataclass(kw_only=True)
class BookData(FormData):
    """Sổ theo dõi hồ sơ (Mẫu 06 of TT 01/2018, Mẫu 07 of TT 03/2025) of a unit over a period."""

    date_from: dt.date
    date_to: dt.date
    rows: list[BookRow] = field(default_factory=list)


# ------------------------------------------------------------------------------------------------
# Helpers (Django)
# ------------------------------------------------------------------------------------------------

_PLACE_PREFIX = re.compile(r"^(Thành phố|Thị xã|Thị trấn|Đặc khu|Tỉnh|Huyện|Quận|Xã|Phường)\s+", re.IGNORECASE)


def _local(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    from django.utils import timezone

    return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _is_admin(unit) -> bool:
    from congvu.org.models import ADMINISTRATIVE_KINDS

    return unit is not None and unit.kind in ADMINISTRATIVE_KINDS


def _authority(unit) -> str:
    """An administrative unit acts through its People's Committee: 'Xã Bình Thạnh' → 'Ủy ban nhân dân
    xã Bình Thạnh'. Other units by their own name."""
    return f"Ủy ban nhân dân {_lower_first(unit.name)}" if _is_admin(unit) else unit.name


def _admin_ancestor(unit):
    cur = unit
    while cur is not None and not _is_admin(cur):
        cur = cur.parent
    return cur


def place_name(unit) -> str:
    """NĐ 30/2020 địa danh: the administrative unit's name without its kind ('Bình Thạnh'); kept
    whole when the rest is a number ('Phường 1')."""
    admin = _admin_ancestor(unit)
    if admin is None:
        return ""
    rest = _PLACE_PREFIX.sub("", admin.name).strip()
    return admin.name if not rest or rest.isdigit() else rest


def issuer_for(unit) -> Issuer:
    if _is_admin(unit):
        return Issuer(name=_authority(unit), place=place_name(unit))
    if unit.parent is None:
        parent_name = ""
    elif _is_admin(unit.parent):
        parent_name = _authority(unit.parent)
    else:
        parent_name = unit.parent.name  # e.g. a Sở above its own one-stop desk
    return Issuer(name=unit.name, parent=parent_name, place=place_name(unit))


def _person_name(user) -> str:
    if user is None:
        return ""
    person = getattr(user, "person", None)
    if person is not None and person.full_name:
        return person.full_name
    return user.get_full_name() or ""


def _person_phone(user) -> str:
    person = getattr(user, "person", None) if user is not None else None
    return person.phone if person is not None else ""


def _applicant(d) -> Applicant:
    return Applicant(name=d.applicant_name, address=d.applicant_address, phone=d.applicant_phone,
                     id_number=d.applicant_id_number)


def _amount(value: Decimal) -> str:
    text = f"{Decimal(value).normalize():f}"
    return text.zfill(2) if text.isdigit() else text


def processing_time_text(amount: Decimal, unit_label: str) -> str:
    """'05 ngày làm việc'; a time of 0 is a same-day procedure, never '00 ngày làm việc'."""
    if not amount:
        return "Trong ngày (trả kết quả trong ngày làm việc tiếp nhận)"
    return f"{_amount(amount)} {unit_label}"


def _processing_time(procedure) -> str:
    return processing_time_text(procedure.processing_time, procedure.get_time_unit_display())


def lookup_note(code: str) -> str:
    """Where and how the applicant looks the dossier up (printed on the receipt)."""
    from django.conf import settings

    site = getattr(settings, "CONGVU_SITE_URL", "").rstrip("/")
    return (f"Tra cứu tình trạng hồ sơ: tại {site}/citizen/tra-cuu/ nhập mã hồ sơ {code} và 4 số cuối số điện "
            "thoại đã đăng ký; hoặc hỏi tại nơi tiếp nhận hồ sơ.")


def _lead_agency(d) -> str:
    return d.procedure.competent_unit.name if d.procedure.competent_unit_id else _authority(
        _admin_ancestor(d.unit) or d.unit)


def _component_form(originals: int, copies: int) -> tuple[str, int]:
    parts = []
    if originals:
        parts.append("bản chính")
    if copies:
        parts.append("bản sao")
    text = ", ".join(parts)
    return (text[:1].upper() + text[1:]), max(1, (originals or 0) + (copies or 0))


def _events(d, transition: str) -> list:
    return list(d.events.filter(transition=transition).select_related("actor", "step", "step__responsible_unit")
                .order_by("at", "id"))


def _first_event(d, transition: str):
    found = _events(d, transition)
    return found[0] if found else None


def _split_items(text: str) -> list[str]:
    lines = [re.sub(r"^\s*(?:[-+•*]|\d+[.)])\s*", "", line).strip() for line in re.split(r"[\n;]+", text or "")]
    return [line for line in lines if line]


def _duration(seconds: int) -> str:
    minutes = int(seconds) // 60
    return f"{minutes // 60:02d} giờ {minutes % 60:02d} phút"


def _step_party(step, unit_fallback: str) -> str:
    if step is None:
        return unit_fallback
    who = step.responsible_unit.name if step.responsible_unit_id else unit_fallback
    return f"{who} ({_lower_first(step.name)})" if who else step.name


# ------------------------------------------------------------------------------------------------
# Builders
# ------------------------------------------------------------------------------------------------


def _common(d, spec: FormSpec, issued_at: dt.datetime | None, *, issuer: Issuer | None = None) -> dict[str, Any]:
    local = _local(issued_at) or _local(d.received_at)
    return {
        "form_no": spec.form_no, "title": spec.title, "rule_version": d.rule_version, "legal_ref": spec.legal_ref,
        "issuer": issuer or issuer_for(d.unit), "issued_on": local.date(), "code": d.code,
        "applicant": _applicant(d), "procedure": d.procedure.name, "sector": d.procedure.field.name,
        "lead_agency": _lead_agency(d), "received_at": _local(d.received_at), "due_at": _local(d.due_at),
        "options": dict(spec.options),
    }


def _not_applicable(d, spec: FormSpec, why: str) -> DomainError:
    return DomainError("onestop_form.not_applicable",
                       f"Không thể lập {spec.label} \u201c{spec.title}\u201d cho hồ sơ {d.code}: {why}.",
                       message_en=f"Form {spec.form_no} does not apply to dossier {d.code}.",
                       details={"form_no": spec.form_no, "code": d.code})


def _receipt(d, spec: FormSpec) -> ReceiptData:
    from congvu.onestop.models import ReceiptSlip
    from congvu.onestop.workflow import State

    if d.state == State.GUIDANCE:
        raise _not_applicable(d, spec, "hồ sơ chưa được tiếp nhận")
    from congvu.onestop.models import Refusal

    if Refusal.objects.filter(dossier=d, at_receipt=True).exists():
        raise _not_applicable(d, spec, "hồ sơ bị từ chối tiếp nhận (dùng Phiếu từ chối tiếp nhận giải quyết hồ sơ)")
    slip = ReceiptSlip.objects.filter(dossier=d).first()
    if slip and slip.content.get("components") is not None:
        raw = [(c.get("name", ""), c.get("originals", 0), c.get("copies", 0)) for c in slip.content["components"]]
    else:
        raw = [(c.name, c.originals, c.copies) for c in d.procedure.components.all()]
    components = [Component(name, *_component_form(o, c)) for name, o, c in raw]
    receive = _first_event(d, "receive")
    seq = d.code.rsplit("-", 1)[-1]
    common = _common(d, spec, d.received_at)
    common["due_at"] = _local(d.due_at_original)  # as printed at receipt; later changes have their own forms
    return ReceiptData(
        **common,
        components=components, processing_time=_processing_time(d.procedure),
        result_place=RESULT_PLACES.get(d.channel, "{unit}").format(unit=d.unit.name),
        channel=d.get_channel_display(), book_entry=str(int(seq)) if seq.isdigit() else "",
        signer_title="Người tiếp nhận hồ sơ", signer_name=_person_name(receive.actor if receive else None),
        lookup_note=lookup_note(d.code),
    )


def _supplement(d, spec: FormSpec) -> SupplementData:
    req = d.supplement_requests.select_related("requested_by").order_by("-requested_at", "-id").first()
    if req is None:
        raise _not_applicable(d, spec, "hồ sơ không có yêu cầu bổ sung, hoàn thiện")
    officer = req.requested_by
    common = _common(d, spec, req.requested_at)
    common["due_at"] = _local(d.due_at_original)
    return SupplementData(
        **common,
        items=_split_items(req.items), reason=req.reason, requested_at=_local(req.requested_at),
        contact_name=_person_name(officer), contact_phone=_person_phone(officer),
        signer_title="Người hướng dẫn", signer_name=_person_name(officer),
    )


def _refusal(d, spec: FormSpec) -> RefusalData:
    from congvu.onestop.models import Refusal

    refusal = Refusal.objects.filter(dossier=d).select_related("refused_by").first()
    if refusal is None:
        raise _not_applicable(d, spec, "hồ sơ không bị từ chối tiếp nhận, giải quyết")
    return RefusalData(
        **_common(d, spec, refusal.refused_at),
        legal_basis=refusal.legal_basis, reason=refusal.reason, refused_at=_local(refusal.refused_at),
        at_receipt=refusal.at_receipt,
        signer_title="Người tiếp nhận hồ sơ" if refusal.at_receipt else "Người đề xuất từ chối",
        signer_name=_person_name(refusal.refused_by),
    )


def _competent_issuer(d) -> Issuer:
    unit = d.procedure.competent_unit if d.procedure.competent_unit_id else (_admin_ancestor(d.unit) or d.unit)
    return issuer_for(unit)


def _apology(d, spec: FormSpec) -> ApologyData:
    from congvu.onestop.models import ApologyLetter

    letter = ApologyLetter.objects.filter(dossier=d).first()
    if letter is None:
        raise _not_applicable(d, spec, "hồ sơ không có văn bản xin lỗi và hẹn lại ngày trả kết quả")
    return ApologyData(
        **_common(d, spec, letter.issued_at, issuer=_competent_issuer(d)),
        previous_due_at=_local(letter.previous_due_at), new_due_at=_local(letter.new_due_at), reason=letter.reason,
        signer_title="Thủ trưởng cơ quan, đơn vị", signer_note="(Ký, ghi rõ họ tên và đóng dấu)",
    )


def _stop(d, spec: FormSpec) -> StopData:
    from congvu.onestop.workflow import State

    event = _first_event(d, "stop")
    if d.state != State.STOPPED or event is None:
        raise _not_applicable(d, spec, "hồ sơ không ở trạng thái dừng giải quyết")
    return StopData(
        **_common(d, spec, event.at, issuer=_competent_issuer(d)),
        reason=event.note, stopped_at=_local(event.at),
        signer_title="Thủ trưởng cơ quan, đơn vị", signer_note="(Ký, ghi rõ họ tên và đóng dấu)",
    )


def _control(d, spec: FormSpec) -> ControlData:
    transfer = _first_event(d, "transfer")
    if transfer is None:
        raise _not_applicable(d, spec, "hồ sơ chưa được chuyển đến cơ quan giải quyết")
    desk, lead = d.unit.name, _lead_agency(d)
    steps = list(d.procedure.steps.select_related("responsible_unit").order_by("order"))
    handovers = [Handover(giver=desk, receiver=_step_party(steps[0] if steps else None, lead), at=_local(transfer.at),
                          giver_person=_person_name(transfer.actor))]
    for ev in _events(d, "step_complete"):
        idx = next((i for i, s in enumerate(steps) if ev.step_id and s.pk == ev.step_id), None)
        nxt = steps[idx + 1] if idx is not None and idx + 1 < len(steps) else None
        note = ev.note
        allotted = (ev.data or {}).get("allotted_seconds")
        spent = (ev.data or {}).get("spent_seconds")
        if allotted is not None and spent is not None:
            timing = f"Thời gian xử lý {_duration(spent)}; định mức {_duration(allotted)}"
            note = f"{note}. {timing}" if note else timing
        handovers.append(Handover(
            giver=_step_party(ev.step, lead), receiver=_step_party(nxt, lead) if nxt else lead, at=_local(ev.at),
            giver_person=_person_name(ev.actor), result=VERDICT_LABELS.get(ev.step_verdict, ""), note=note,
        ))
    result = _first_event(d, "record_result")
    if result is not None:
        handovers.append(Handover(giver=lead, receiver=desk, at=_local(result.at), giver_person=_person_name(result.actor),
                                  result=VERDICT_LABELS.get(d.verdict, ""),
                                  note=f"Số kết quả: {d.result_code}" if d.result_code else ""))
    returned = _first_event(d, "return_result")
    if returned is not None:
        handovers.append(Handover(giver=desk, receiver=d.applicant_name, at=_local(returned.at),
                                  giver_person=_person_name(returned.actor), receiver_person=d.applicant_name))
    coordinating = sorted({s.responsible_unit.name for s in steps if s.responsible_unit_id} - {lead})
    return ControlData(**_common(d, spec, transfer.at), coordinating=coordinating, handovers=handovers)


_BUILDERS = {
    Kind.RECEIPT: _receipt,
    Kind.SUPPLEMENT: _supplement,
    Kind.REFUSAL: _refusal,
    Kind.APOLOGY: _apology,
    Kind.STOP: _stop,
    Kind.CONTROL: _control,
}


def form_data_for(dossier, form_no: str | int) -> FormData:
    """The content of form `form_no` of the circular that `dossier.rule_version` points to.

    Raises DomainError (code `onestop_form.not_applicable`) when the form does not apply, e.g. Mẫu 04
    for a dossier without an apology letter, and `onestop_form.unknown_form` for a number the
    circular does not have."""
    from congvu.onestop.models import Dossier

    d = Dossier.objects.select_related("procedure", "procedure__field", "procedure__competent_unit", "unit",
                                       "unit__parent").get(pk=dossier.pk)
    spec = form_spec(d.rule_version, form_no)
    if spec.kind == Kind.BOOK:
        raise DomainError("onestop_form.book_per_unit",
                          f"{spec.label} \u201c{spec.title}\u201d là sổ của đơn vị, không lập cho từng hồ sơ; "
                          "hãy in sổ theo đơn vị và khoảng thời gian.",
                          details={"form_no": spec.form_no})
    return _BUILDERS[spec.kind](d, spec)


def book_data_for(unit, date_from: dt.date, date_to: dt.date, *, rule_version: str | None = None) -> BookData:
    """Sổ theo dõi hồ sơ of `unit` (and its subtree): dossiers received from `date_from` to `date_to`
    (local dates, inclusive), in order of receipt. The form set is the one in force on `date_to`."""
    from django.db.models import Exists, Min, OuterRef, Q

    from congvu.onestop.models import ApologyLetter, Dossier
    from congvu.onestop.rules import rules_for
    from congvu.onestop.workflow import STATE_LABELS, State
    from congvu.org.selectors import unit_subtree

    if date_to < date_from:
        raise DomainError("onestop_form.book_period", "Ngày cuối kỳ phải sau hoặc trùng ngày đầu kỳ.")
    if (date_to - date_from).days > 366:
        raise DomainError("onestop_form.book_period", "Mỗi lần in sổ theo dõi hồ sơ tối đa một năm.")
    version = rule_version or rules_for(date_to).version
    fs = form_set(version)
    spec = fs.by_kind(Kind.BOOK)
    if spec is None:
        raise DomainError("onestop_form.unknown_form", f"{fs.name} không có mẫu sổ theo dõi hồ sơ.")
    ids = list(unit_subtree(unit=unit).values_list("pk", flat=True))
    qs = (Dossier.objects.filter(unit_id__in=ids, received_at__date__gte=date_from, received_at__date__lte=date_to,
                                  receipt_refused=False)
          .exclude(state=State.GUIDANCE)
          .select_related("procedure", "procedure__competent_unit", "unit", "unit__parent")
          .annotate(transferred=Min("events__at", filter=Q(events__transition="transfer")),
                    result_at=Min("events__at", filter=Q(events__transition="record_result")),
                    apologised=Exists(ApologyLetter.objects.filter(dossier=OuterRef("pk"))))
          .order_by("received_at", "code"))
    labels = {s.value: lbl for s, lbl in STATE_LABELS.items()}
    authority_cache: dict[int, str] = {}
    rows = []
    for i, d in enumerate(qs, start=1):
        if d.procedure.competent_unit_id:
            lead = d.procedure.competent_unit.name
        else:
            lead = authority_cache.setdefault(d.unit_id, _lead_agency(d))
        notes = []
        if d.state in (State.REFUSED, State.STOPPED, State.WITHDRAWN):
            notes.append(labels[d.state])
        elif d.verdict in VERDICT_LABELS:
            notes.append(VERDICT_LABELS[d.verdict])
        if d.supplement_count:
            notes.append("Có yêu cầu bổ sung hồ sơ")
        if d.apologised:
            notes.append("Đã xin lỗi, hẹn lại ngày trả")
        rows.append(BookRow(
            ordinal=i, code=d.code, procedure=d.procedure.name, sets=1, applicant=d.applicant_name,
            contact=", ".join(x for x in (d.applicant_address, d.applicant_phone) if x), lead_agency=lead,
            received_at=_local(d.received_at), due_at=_local(d.due_at), transferred_at=_local(d.transferred),
            result_received_at=_local(d.result_at), returned_at=_local(d.returned_at), note="; ".join(notes),
        ))
    from django.utils import timezone

    return BookData(
        form_no=spec.form_no, title=spec.title, rule_version=version, legal_ref=spec.legal_ref,
        issuer=issuer_for(unit), issued_on=timezone.localdate(), date_from=date_from, date_to=date_to, rows=rows,
        options=dict(spec.options),
    )


def clean_text(value: Any) -> str:
    """NFC text for renderers (None → '')."""
    return nfc(value)
