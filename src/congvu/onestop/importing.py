"""Import of dossier records exported from an existing provincial system (CSV / XLSX with the DVCQG
sync field names), so a province sees its figures in congvu before it moves its desks.

Conventions of `congvu.org.importers`: the whole file is read and every row validated first; each bad
row is reported as (line, reason) with the spreadsheet line (header = line 1); a file with any error
imports nothing unless `skip_errors=True`. CSV must be UTF-8 (with or without BOM, `,` `;` or tab as
delimiter); other encodings are refused with a message that says how to re-save the file.

Imported dossiers are historic records:
- `due_at` = `due_at_original` = `NgayHenTra` as recorded by the legacy system (not recomputed);
- the end of processing is `NgayKetThucXuLy` (or `NgayTraKetQua` for a returned dossier without it);
- the verdict is the 766 rule (`clock.verdict`) on those dates, with the supplement wait excluded;
- the rule version is the one in force on the day of receipt;
- no Mẫu 01 slip is generated (the legacy system printed it); the timeline gets the receipt and the
  end events with `data.import`;
- the daily roll-ups get the imported rows' contributions in the same transaction, added to what is
  there (other units and days are not touched, live receipts keep counting).

Re-importing the same file is idempotent: a `MaHoSo` already in congvu for the same unit and time of
receipt is skipped and listed in `ImportResult.existing`; one that belongs to another dossier is an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from congvu.audit.services import audit_record
from congvu.common.tables import ImportFileError, ImportResult, parse_bool, read_table
from congvu.common.text import clean, search_key
from congvu.onestop import clock
from congvu.onestop import services as s
from congvu.onestop.models import (
    SYNC_CHANNEL,
    Channel,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
    Procedure,
    ProcedureLevel,
    UnitProfile,
)
from congvu.onestop.rules import rules_for
from congvu.onestop.workflow import OPEN_STATES, STATE_LABELS, State
from congvu.org.models import Unit, UnitKind
from congvu.org.policy import require
from congvu.org.roles import Action

__all__ = ["IMPORT_COLUMNS", "ImportFileError", "OnestopImportResult", "onestop_records_import", "parse_moment"]

VN = ZoneInfo("Asia/Ho_Chi_Minh")

# Accepted header spellings (accent- and case-insensitive) → column. The DVCQG names come first.
IMPORT_COLUMNS = {
    "MaHoSo": "code", "Mã hồ sơ": "code",
    "MaTTHC": "procedure", "Mã TTHC": "procedure", "Mã thủ tục": "procedure",
    "TenTTHC": "procedure_name", "Tên TTHC": "procedure_name", "Tên thủ tục": "procedure_name",
    "NgayTiepNhan": "received_at", "Ngày tiếp nhận": "received_at",
    "NgayHenTra": "due_at", "Ngày hẹn trả": "due_at",
    "NgayKetThucXuLy": "finished_at", "Ngày kết thúc xử lý": "finished_at",
    "NgayTraKetQua": "returned_at", "Ngày trả kết quả": "returned_at",
    "NgayNopHoSo": "submitted_at", "Ngày nộp hồ sơ": "submitted_at",
    "KenhThucHien": "channel", "Kênh thực hiện": "channel",
    "TrangThaiHoSo": "state", "Trạng thái hồ sơ": "state", "Trạng thái": "state",
    "DonViXuLy": "unit", "MaDonVi": "unit", "DonViTiepNhan": "unit", "Đơn vị xử lý": "unit",
    "Đơn vị tiếp nhận": "unit",
    "ChuHoSo": "applicant_name", "TenNguoiNop": "applicant_name", "Chủ hồ sơ": "applicant_name",
    "Người nộp": "applicant_name",
    "SoDienThoai": "applicant_phone", "Số điện thoại": "applicant_phone",
    "SoGiayTo": "applicant_id_number", "SoDinhDanh": "applicant_id_number", "Số định danh": "applicant_id_number",
    "DiaChi": "applicant_address", "Địa chỉ": "applicant_address",
    "NgayYeuCauBoSung": "supplement_requested_at", "Ngày yêu cầu bổ sung": "supplement_requested_at",
    "NgayHoanThanhBoSung": "supplement_received_at", "Ngày hoàn thành bổ sung": "supplement_received_at",
    "SoLanYeuCauBoSung": "supplement_count", "Số lần yêu cầu bổ sung": "supplement_count",
    "HoSoCoThanhPhanSoHoa": "digitized_components", "Thành phần số hóa": "digitized_components",
    "CoKetQuaDienTu": "e_result", "Kết quả điện tử": "e_result",
    "DuocLayTuKhoDMQG": "reused_data", "Tái sử dụng dữ liệu": "reused_data",
    "SoKetQua": "result_code", "Số kết quả": "result_code",
    "PhiLePhi": "fee_amount", "Phí, lệ phí": "fee_amount",
}
REQUIRED = ("code", "procedure", "received_at", "due_at")
COLUMN_NAMES = {v: k for k, v in reversed(list(IMPORT_COLUMNS.items()))}  # column → DVCQG name for messages

CHANNELS = {1: Channel.IN_PERSON, 2: Channel.ONLINE, 3: Channel.POSTAL}
_CHANNEL_WORDS = {"truc tiep": 1, "truc tuyen": 2, "buu chinh": 3, "buu chinh cong ich": 3, "bcci": 3,
                  "in_person": 1, "online": 2, "postal": 3}

# DVCQG status names (spec §2.3) and congvu's own state values → State.
_STATE_WORDS = {
    "moi tiep nhan": State.RECEIVED, "da tiep nhan": State.RECEIVED, "cho xu ly": State.RECEIVED,
    "dang xu ly": State.PROCESSING, "dang giai quyet": State.PROCESSING,
    "yeu cau bo sung": State.SUPPLEMENT_REQUESTED, "cho bo sung": State.SUPPLEMENT_REQUESTED,
    "dung xu ly": State.STOPPED, "tu choi": State.REFUSED,
    "da xu ly xong": State.RESULT_READY, "cho tra ket qua": State.RESULT_READY,
    "da tra ket qua": State.RETURNED, "ket thuc": State.CLOSED, "da ket thuc": State.CLOSED,
    "cong dan yeu cau rut ho so": State.WITHDRAWN, "rut ho so": State.WITHDRAWN,
}
_END_TRANSITION = {State.RESULT_READY: "record_result", State.RETURNED: "record_result",
                   State.CLOSED: "record_result", State.STOPPED: "stop", State.WITHDRAWN: "withdraw",
                   State.REFUSED: "refuse"}
_LEVEL_OF_KIND = {UnitKind.PROVINCE: ProcedureLevel.PROVINCE, UnitKind.DISTRICT: ProcedureLevel.DISTRICT,
                  UnitKind.COMMUNE: ProcedureLevel.COMMUNE, UnitKind.WARD: ProcedureLevel.COMMUNE,
                  UnitKind.TOWNSHIP: ProcedureLevel.COMMUNE, UnitKind.SPECIAL_ZONE: ProcedureLevel.COMMUNE}

BATCH = 2000


@dataclass
class OnestopImportResult(ImportResult):
    """`ImportResult` plus the rows skipped because their `MaHoSo` was imported before, and the
    placeholder procedures created with `create_procedures=True`."""

    existing: list[tuple[int, str]] = field(default_factory=list)
    procedures_created: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "existing": len(self.existing), "procedures_created": self.procedures_created}


# --------------------------------------------------------------------------------------------------
# Values


_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:hH](\d{1,2})(?::(\d{1,2}))?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:(\d{2})(\d{2})(\d{2})?)?$")


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=VN) if value.tzinfo is None else value


def parse_moment(value: Any) -> tuple[dt.datetime | None, bool]:
    """(aware datetime, date only?) from dd/mm/yyyy [HH:MM[:SS]], ISO 8601, yyyyMMddHHmmss (DVCQG
    sync), yyyyMMdd or an Excel date cell. Naive values are Vietnamese local time. Empty → (None, False)."""
    if value in (None, ""):
        return None, False
    if isinstance(value, dt.datetime):
        return _aware(value), False
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(), tzinfo=VN), True
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    try:
        m = _DMY.match(text)
        if m:
            d, mo, y, hh, mm, ss = m.groups()
            moment = dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=VN)
            return moment, hh is None
        m = _COMPACT.match(text)
        if m:
            y, mo, d, hh, mm, ss = m.groups()
            moment = dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mm or 0), int(ss or 0), tzinfo=VN)
            return moment, hh is None
        if re.match(r"^\d{4}-\d{2}-\d{2}", text):
            moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1) if len(text) > 10 else text)
            return _aware(moment), len(text) == 10
    except ValueError:
        pass
    raise ValueError(f"ngày giờ không hợp lệ '{text}' (dùng dd/mm/yyyy [HH:MM[:SS]], yyyy-mm-dd[THH:MM:SS] "
                     "hoặc yyyyMMddHHmmss)")


def _text(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


def parse_channel(value: Any) -> str | None:
    """KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích (or those words). Empty → trực tiếp
    (spec §1 indicator 3.3: "Direct: KenhThucHien=1 or null")."""
    text = _text(value)
    if not text:
        return Channel.IN_PERSON
    number = _CHANNEL_WORDS.get(search_key(text).replace("_", " ")) or _CHANNEL_WORDS.get(text)
    if number is None and text.isdigit():
        number = int(text)
    return CHANNELS.get(number) if number else None


def parse_state(value: Any) -> State | None:
    text = _text(value)
    if text in {st.value for st in State}:
        return State(text)
    return _STATE_WORDS.get(search_key(text))


def _procedure_codes(value: Any) -> list[str]:
    """Candidate MaTTHC spellings: as written; a number read by Excel (1.00089) also as N.NNNNNN."""
    if isinstance(value, float) and not value.is_integer():
        return [f"{value:.6f}", _text(value)]
    return [_text(value)]


# --------------------------------------------------------------------------------------------------
# Units


class _Units:
    """Resolves `DonViXuLy` (unit code, one-stop identifier code or exact name) within what counts for
    the import's unit: its subtree and, through lineage, its predecessors' subtrees."""

    def __init__(self, unit: Unit) -> None:
        from congvu.org.selectors import unit_rollup_ids

        self.unit = unit
        self.allowed = unit_rollup_ids(unit=unit)
        self.cache: dict[str, Unit | str] = {}

    def resolve(self, text: str) -> Unit | str:
        """The unit, or the reason why not."""
        if not text:
            return self.unit
        if text not in self.cache:
            self.cache[text] = self._find(text)
        return self.cache[text]

    def _find(self, text: str) -> Unit | str:
        unit = Unit.objects.filter(code=text).first()
        if unit is None:
            profile = UnitProfile.objects.filter(identifier_code=text).select_related("unit").first()
            unit = profile.unit if profile else None
        if unit is None:
            matches = list(Unit.objects.filter(search_key=search_key(text), pk__in=self.allowed)[:2])
            if len(matches) > 1:
                return f"có nhiều đơn vị tên '{text}', hãy dùng mã đơn vị"
            unit = matches[0] if matches else None
        if unit is None:
            return f"không tìm thấy đơn vị '{text}' (DonViXuLy: mã đơn vị, mã định danh hoặc tên chính xác)"
        if unit.pk not in self.allowed:
            return f"đơn vị {unit.code} ({unit.name}) không thuộc {self.unit.name} (kể cả đơn vị cấp dưới, đơn vị tiền thân)"
        return unit


# --------------------------------------------------------------------------------------------------
# Validation of one row


def _moment(rec: dict[str, Any], column: str, problems: list[str], *, end_of_day: bool = False) -> dt.datetime | None:
    try:
        moment, date_only = parse_moment(rec.get(column))
    except ValueError as exc:
        problems.append(f"{COLUMN_NAMES[column]}: {exc}")
        return None
    # A promised date without a time (or at 00:00, as Excel date cells are read back) means that whole day.
    if moment is not None and end_of_day and (date_only or moment.astimezone(VN).time() == dt.time()):
        moment = moment.replace(hour=23, minute=59, second=59)
    return moment


def _fmt(moment: dt.datetime) -> str:
    return timezone.localtime(moment, VN).strftime("%d/%m/%Y %H:%M")


def _validate(rec: dict[str, Any], *, now: dt.datetime, units: _Units, procedures: dict[str, Procedure],
              create_procedures: bool, new_procedures: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    problems: list[str] = []
    item: dict[str, Any] = {}
    code = _text(rec.get("code"))
    if not code:
        problems.append("thiếu mã hồ sơ (MaHoSo)")
    elif len(code) > 60:
        problems.append(f"mã hồ sơ dài quá 60 ký tự: {code}")
    item["code"] = code

    candidates = _procedure_codes(rec.get("procedure"))
    proc_code = candidates[0]
    proc = next((procedures[c] for c in candidates if c in procedures), None)
    if not proc_code:
        problems.append("thiếu mã thủ tục (MaTTHC)")
    elif proc is None:
        if not create_procedures:
            problems.append(f"mã thủ tục {proc_code} không có trong danh mục TTHC (nhập danh mục trước, "
                            "hoặc dùng --create-procedures để tạo thủ tục tạm)")
        elif len(proc_code) > 40:
            problems.append(f"mã thủ tục dài quá 40 ký tự: {proc_code}")
        else:
            new_procedures.setdefault(proc_code, _text(rec.get("procedure_name")))
    item["procedure"], item["procedure_code"] = proc, proc_code

    unit = units.resolve(_text(rec.get("unit")))
    if isinstance(unit, str):
        problems.append(unit)
    item["unit"] = unit

    channel = parse_channel(rec.get("channel"))
    if channel is None:
        problems.append(f"kênh thực hiện không hợp lệ: '{_text(rec.get('channel'))}' "
                        "(KenhThucHien: 1 trực tiếp, 2 trực tuyến, 3 bưu chính công ích)")
    item["channel"] = channel

    received = _moment(rec, "received_at", problems)
    due = _moment(rec, "due_at", problems, end_of_day=True)
    finished = _moment(rec, "finished_at", problems)
    returned = _moment(rec, "returned_at", problems)
    submitted = _moment(rec, "submitted_at", problems)
    sup_start = _moment(rec, "supplement_requested_at", problems)
    sup_end = _moment(rec, "supplement_received_at", problems)
    for column in ("received_at", "due_at"):
        if rec.get(column) in (None, "") and not any(p.startswith(COLUMN_NAMES[column]) for p in problems):
            problems.append(f"thiếu {COLUMN_NAMES[column]}")

    raw_state = _text(rec.get("state"))
    state = parse_state(raw_state) if raw_state else None
    if raw_state and state is None:
        problems.append(f"trạng thái hồ sơ không hợp lệ: '{raw_state}' (TrangThaiHoSo: Mới tiếp nhận, Đang xử lý, "
                        "Yêu cầu bổ sung, Đã xử lý xong, Đã trả kết quả, Dừng xử lý, Từ chối, "
                        "Công dân yêu cầu rút hồ sơ)")
    if state is None and not raw_state:
        if finished is not None or returned is not None:
            state = State.RETURNED if returned is not None else State.RESULT_READY
        elif sup_start is not None and sup_end is None:
            state = State.SUPPLEMENT_REQUESTED
        else:
            state = State.PROCESSING
    if state == State.GUIDANCE:
        problems.append("hồ sơ ở trạng thái hướng dẫn chưa được tiếp nhận, không nhập")
    if state is not None and state not in OPEN_STATES and finished is None:
        if state in (State.RETURNED, State.CLOSED) and returned is not None:
            finished = returned  # 766: "Đã trả kết quả" is the first terminal status the file gives
        elif state != State.GUIDANCE:
            problems.append(f"hồ sơ đã kết thúc ({raw_state or STATE_LABELS[state]}) nhưng thiếu NgayKetThucXuLy")
    if state in OPEN_STATES and (finished is not None or returned is not None):
        problems.append(f"trạng thái '{raw_state}' là đang giải quyết nhưng có NgayKetThucXuLy/NgayTraKetQua")
    if state == State.SUPPLEMENT_REQUESTED and sup_start is None:
        problems.append("hồ sơ chờ bổ sung nhưng thiếu NgayYeuCauBoSung")
    if state == State.SUPPLEMENT_REQUESTED and sup_end is not None:
        problems.append("hồ sơ chờ bổ sung nhưng đã có NgayHoanThanhBoSung")

    if received is not None:
        if received > now:
            problems.append(f"NgayTiepNhan {_fmt(received)} ở tương lai")
        if due is not None and due < received:
            problems.append(f"NgayHenTra {_fmt(due)} trước NgayTiepNhan {_fmt(received)}")
        if finished is not None and finished < received:
            problems.append(f"NgayKetThucXuLy {_fmt(finished)} trước NgayTiepNhan {_fmt(received)}")
        if submitted is not None and submitted > received:
            problems.append(f"NgayNopHoSo {_fmt(submitted)} sau NgayTiepNhan {_fmt(received)}")
        if sup_start is not None and sup_start < received:
            problems.append(f"NgayYeuCauBoSung {_fmt(sup_start)} trước NgayTiepNhan {_fmt(received)}")
    if finished is not None and finished > now:
        problems.append(f"NgayKetThucXuLy {_fmt(finished)} ở tương lai")
    if finished is not None and returned is not None and returned < finished:
        problems.append(f"NgayTraKetQua {_fmt(returned)} trước NgayKetThucXuLy {_fmt(finished)}")
    if sup_end is not None and sup_start is None:
        problems.append("có NgayHoanThanhBoSung nhưng thiếu NgayYeuCauBoSung")
    if sup_start is not None and sup_end is not None and sup_end < sup_start:
        problems.append(f"NgayHoanThanhBoSung {_fmt(sup_end)} trước NgayYeuCauBoSung {_fmt(sup_start)}")
    if sup_start is not None and finished is not None and sup_start > finished:
        problems.append(f"NgayYeuCauBoSung {_fmt(sup_start)} sau NgayKetThucXuLy {_fmt(finished)}")

    try:
        text = _text(rec.get("supplement_count"))
        count = int(text) if text else (1 if sup_start is not None else 0)
        if count < 0 or count > 100:
            raise ValueError
    except ValueError:
        problems.append(f"SoLanYeuCauBoSung không hợp lệ: '{_text(rec.get('supplement_count'))}'")
        count = 0
    if count == 0 and sup_start is not None:
        count = 1
    flags = {}
    for column in ("digitized_components", "e_result", "reused_data"):
        try:
            flags[column] = parse_bool(rec.get(column))
        except ValueError as exc:
            problems.append(f"{COLUMN_NAMES[column]}: {exc}")
            flags[column] = False
    fee = None
    if _text(rec.get("fee_amount")):
        try:
            fee = Decimal(_text(rec.get("fee_amount")).replace(".", "").replace(",", "").replace(" ", ""))
            if fee < 0:
                raise InvalidOperation
        except InvalidOperation:
            problems.append(f"PhiLePhi không hợp lệ: '{_text(rec.get('fee_amount'))}'")
    for column, limit in (("applicant_name", 255), ("applicant_phone", 20), ("applicant_id_number", 20),
                          ("applicant_address", 500), ("result_code", 80)):
        item[column] = _text(rec.get(column))
        if len(item[column]) > limit:
            problems.append(f"{COLUMN_NAMES[column]} dài quá {limit} ký tự")
    item.update(received_at=received, due_at=due, finished_at=finished, returned_at=returned, submitted_at=submitted,
                state=state, supplement_count=count, fee_amount=fee, **flags,
                pause=(clock.Pause(sup_start, sup_end) if sup_start is not None else None))
    return item, problems


# --------------------------------------------------------------------------------------------------
# Building rows


def _dossier(item: dict[str, Any], proc: Procedure) -> Dossier:
    received, due, finished = item["received_at"], item["due_at"], item["finished_at"]
    rules = rules_for(received.astimezone(VN).date())
    pauses = [item["pause"]] if item["pause"] else []
    state = item["state"]
    d = Dossier(
        code=item["code"], procedure=proc, unit=item["unit"], applicant_name=item["applicant_name"],
        applicant_phone=item["applicant_phone"], applicant_id_number=item["applicant_id_number"],
        applicant_address=item["applicant_address"],
        search_key=search_key(f"{item['applicant_name']} {item['applicant_id_number']} {item['applicant_phone']}"),
        channel=item["channel"], sync_channel=SYNC_CHANNEL[Channel(item["channel"])],
        submitted_at=item["submitted_at"], received_at=received, due_at=due, due_at_original=due,
        rule_version=rules.version, state=state,
        resume_state=State.PROCESSING if state == State.SUPPLEMENT_REQUESTED else "",
        paused_intervals=[[p.start.isoformat(), p.end.isoformat() if p.end else None] for p in pauses],
        supplement_count=item["supplement_count"], finished_at=finished, returned_at=item["returned_at"],
        digitized_components=item["digitized_components"], digitized_result=item["e_result"],
        e_result=item["e_result"], reused_data=item["reused_data"], result_code=item["result_code"],
        fee_amount=proc.fee_amount if item["fee_amount"] is None else item["fee_amount"],
    )
    if finished is not None:
        d.verdict = clock.verdict(due_at=due, end_at=finished, pauses=pauses, supplement_requests=d.supplement_count,
                                  rules=rules).value
        d.processing_seconds = clock.processing_seconds(received, finished, pauses)
    return d


def _events(d: Dossier, batch_note: str) -> list[DossierEvent]:
    data = {"import": batch_note}
    out = [DossierEvent(dossier_id=d.pk, at=d.received_at, transition="receive", from_state="",
                        to_state=State.RECEIVED, note="Nhập từ hệ thống cũ", data=data)]
    if d.supplement_count and d.paused_intervals:
        start, end = d.paused_intervals[0]
        out.append(DossierEvent(dossier_id=d.pk, at=dt.datetime.fromisoformat(start), transition="request_supplement",
                                from_state=State.PROCESSING, to_state=State.SUPPLEMENT_REQUESTED, data=data))
        if end:
            out.append(DossierEvent(dossier_id=d.pk, at=dt.datetime.fromisoformat(end),
                                    transition="supplement_received", from_state=State.SUPPLEMENT_REQUESTED,
                                    to_state=State.PROCESSING, data=data))
    if d.finished_at is not None:
        state = State(d.state)
        end_state = State.RESULT_READY if state in (State.RETURNED, State.CLOSED) else state
        out.append(DossierEvent(dossier_id=d.pk, at=d.finished_at, transition=_END_TRANSITION[state],
                                from_state=State.PROCESSING, to_state=end_state, step_verdict="", data=data))
        if d.returned_at is not None and state in (State.RETURNED, State.CLOSED):
            out.append(DossierEvent(dossier_id=d.pk, at=d.returned_at, transition="return_result",
                                    from_state=State.RESULT_READY, to_state=State.RETURNED, data=data))
    return out


def _rollups_add(table: dict[tuple[int, dt.date], dict[str, Any]]) -> None:
    """Add counters to the daily roll-ups (batched upserts)."""
    from congvu.onestop.services.rollups import rollups_apply

    rollups_apply(table)


def _bump_code_counters(dossiers: list[Dossier]) -> None:
    """An imported code in congvu's own format (`<identifier>-YYMMDD-NNNN` of the same unit) reserves its
    number, so a later receipt on that day cannot be given the same code."""
    prefixes: dict[int, str] = {}
    top: dict[tuple[int, str], int] = {}
    for d in dossiers:
        m = s.CODE_RE.match(d.code)
        if not m:
            continue
        if d.unit_id not in prefixes:
            prefixes[d.unit_id] = s.unit_code_prefix(d.unit)
        if m.group("unit") == prefixes[d.unit_id]:
            key = (d.unit_id, m.group("date"))
            top[key] = max(top.get(key, 0), int(m.group("seq")))
    for (unit_id, period), seq in top.items():
        counter, _ = DossierCodeCounter.objects.select_for_update().get_or_create(
            unit_id=unit_id, period=period, defaults={"last_seq": 0})
        if counter.last_seq < seq:
            counter.last_seq = seq
            counter.save(update_fields=["last_seq"])


def _placeholder(code: str, name: str, unit: Unit, actor: Any) -> Procedure:
    fld = s.field_get_or_create(actor=actor, code="KHAC", name="Khác (chưa phân loại)")
    return s.procedure_create(
        actor=None, code=code, name=name or f"Thủ tục {code} (tạo khi nhập hồ sơ từ hệ thống cũ)", field=fld,
        level=_LEVEL_OF_KIND.get(unit.kind, ProcedureLevel.PROVINCE), processing_time=0,
        legal_basis="Tạo tự động khi nhập hồ sơ từ hệ thống cũ; cần đối chiếu với CSDL quốc gia về TTHC.",
    )


# --------------------------------------------------------------------------------------------------
# Entry point


def onestop_records_import(file: Any, *, unit: Unit, actor: Any = None, skip_errors: bool = False,
                           create_procedures: bool = False, now: dt.datetime | None = None) -> OnestopImportResult:
    """Dossier records from CSV/XLSX with the DVCQG field names into `unit` (or, per row, `DonViXuLy`:
    a unit of its subtree or a predecessor through lineage). See the module docstring and docs/onestop.md."""
    if actor is not None:
        require(actor, Action.DOSSIER_PROCESS, unit)
    name, rows = read_table(file, columns=IMPORT_COLUMNS, required=REQUIRED)
    now = now or timezone.now()
    result = OnestopImportResult()
    units = _Units(unit)
    procedures = {p.code: p for p in Procedure.objects.all()}
    new_procedures: dict[str, str] = {}
    errors: dict[int, list[str]] = defaultdict(list)
    items: dict[int, dict[str, Any]] = {}
    first_line: dict[str, int] = {}
    for line, rec in rows:
        item, problems = _validate(rec, now=now, units=units, procedures=procedures,
                                   create_procedures=create_procedures, new_procedures=new_procedures)
        if item["code"]:
            if item["code"] in first_line:
                problems.append(f"mã hồ sơ {item['code']} trùng với dòng {first_line[item['code']]}")
            else:
                first_line[item["code"]] = line
        errors[line].extend(problems)
        items[line] = item

    # MaHoSo already in congvu: the same dossier (re-import) is skipped; another dossier is an error.
    codes = list(first_line)
    found: dict[str, tuple[int, dt.datetime]] = {}
    for i in range(0, len(codes), 500):
        for code, unit_id, received in Dossier.objects.filter(code__in=codes[i:i + 500]).values_list(
                "code", "unit_id", "received_at"):
            found[code] = (unit_id, received)
    existing_lines: set[int] = set()
    for code, (unit_id, received) in found.items():
        line = first_line[code]
        item = items[line]
        same = isinstance(item["unit"], Unit) and item["unit"].pk == unit_id and item["received_at"] == received
        if same and not errors[line]:
            existing_lines.add(line)
            result.existing.append((line, f"hồ sơ {code} đã có (nhập trước đây), bỏ qua"))
        elif not same:
            errors[line].append(f"mã hồ sơ {code} đã có trong hệ thống cho hồ sơ khác "
                                f"(tiếp nhận {_fmt(received)})")

    result.errors = [(line, reason) for line in sorted(errors) for reason in errors[line]]
    bad = {line for line, problems in errors.items() if problems}
    good = [line for line, _ in rows if line not in bad and line not in existing_lines]
    if bad and not skip_errors:
        result.skipped = len(rows)
        return result
    result.skipped = len(bad) + len(existing_lines)
    if not good:
        if existing_lines or bad:
            _audit(name, unit, result, actor, skip_errors, create_procedures)
        return result

    with transaction.atomic():
        used_new = {items[line]["procedure_code"] for line in good if items[line]["procedure"] is None}
        for code in sorted(used_new):
            procedures[code] = _placeholder(code, new_procedures.get(code, ""), unit, actor)
            result.procedures_created.append(code)
        dossiers = [_dossier(items[line], items[line]["procedure"] or procedures[items[line]["procedure_code"]])
                    for line in good]
        Dossier.objects.bulk_create(dossiers, batch_size=BATCH)
        pks: dict[str, int] = {}
        all_codes = [d.code for d in dossiers]
        for i in range(0, len(all_codes), 500):
            pks.update(Dossier.objects.filter(code__in=all_codes[i:i + 500]).values_list("code", "pk"))
        table: dict[tuple[int, dt.date], dict[str, Any]] = defaultdict(lambda: defaultdict(int))
        events: list[DossierEvent] = []
        note = f"{name or 'tệp'} ({now.astimezone(VN):%d/%m/%Y %H:%M})"
        for d in dossiers:
            d.pk = pks[d.code]
            for (day, counter), value in s.dossier_contributions(d, d.procedure.requires_written_result,
                                                                     d.procedure.online_level).items():
                table[(d.unit_id, day)][counter] += value
            events.extend(_events(d, note))
            if len(events) >= BATCH:
                DossierEvent.objects.bulk_create(events, batch_size=BATCH)
                events = []
        DossierEvent.objects.bulk_create(events, batch_size=BATCH)
        _rollups_add(table)
        _bump_code_counters(dossiers)
        result.created = len(dossiers)
        _audit(name, unit, result, actor, skip_errors, create_procedures)
    return result


def _audit(name: str, unit: Unit, result: OnestopImportResult, actor: Any, skip_errors: bool,
           create_procedures: bool) -> None:
    audit_record(action="import", object_type="onestop.dossier", object_id="batch", actor=actor,
                 note=f"{name or 'tệp'} → {unit.code}"[:200],
                 after={"file": name, "unit": unit.code, "skip_errors": skip_errors,
                        "create_procedures": create_procedures, **result.as_dict()})

