"""Reads of the citizen app: catalogue, pending submissions, the public lookup, satisfaction figures."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import time
import weakref
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from congvu.citizen.models import Complaint, ComplaintState, OnlineSubmission, Rating, SubmissionStatus
from congvu.common.text import search_key
from congvu.onestop.models import ApologyLetter, Dossier, DossierEvent, Procedure, Refusal
from congvu.onestop.workflow import OPEN_STATES, State
from congvu.org.models import Unit, UnitKind

# ------------------------------------------------------------------------------------------------
# Catalogue
# ------------------------------------------------------------------------------------------------


def catalogue_search(query: str = "", *, limit: int = 100) -> QuerySet[Procedure]:
    """Citizen-facing procedures in force; every word of the query must occur in the accent-free key
    (code and name), so "khai sinh" finds "Thủ tục đăng ký khai sinh"."""
    today = timezone.localdate()
    qs = (Procedure.objects.filter(citizen_facing=True)
          .filter(Q(effective_from__isnull=True) | Q(effective_from__lte=today))
          .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))
          .select_related("field", "competent_unit").order_by("field__name", "name"))
    for word in search_key(query).split():
        qs = qs.filter(search_key__contains=word)
    return qs[:limit]


_DESK_PARENT_KINDS = {
    "province": {UnitKind.PROVINCE},
    "district": {UnitKind.DISTRICT},
    "commune": {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.TOWNSHIP, UnitKind.SPECIAL_ZONE},
}


def filing_desks(procedure: Procedure) -> list[Unit]:
    """Where to file: one-stop desks in force, those matching the procedure's level first (a desk
    under the competent unit first of all)."""
    today = timezone.localdate()
    desks = list(Unit.objects.filter(kind=UnitKind.ONESTOP_DESK)
                 .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
                 .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
                 .select_related("parent").order_by("path"))
    if procedure.competent_unit_id:
        own = [d for d in desks if d.path.startswith(procedure.competent_unit.path)]
        if own:
            return own
    kinds = _DESK_PARENT_KINDS.get(procedure.level)
    matching = [d for d in desks if kinds and d.parent is not None and d.parent.kind in kinds]
    return matching or desks


# ------------------------------------------------------------------------------------------------
# Officer desk
# ------------------------------------------------------------------------------------------------


def submissions_pending(unit: Unit | None = None, *, unit_ids: set[int] | None = None) -> QuerySet[OnlineSubmission]:
    """Online submissions waiting to be received at `unit` and its subtree, oldest first."""
    qs = OnlineSubmission.objects.filter(status=SubmissionStatus.SUBMITTED).select_related("procedure", "unit")
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return qs.order_by("submitted_at")


# ------------------------------------------------------------------------------------------------
# Public lookup
# ------------------------------------------------------------------------------------------------

_NEVER = "\x00\x00\x00\x00"  # compared when there is nothing to compare with (no such code, no phone)
_CODE_OK = re.compile(r"^[0-9A-Z.\-]{4,60}$")

PLAIN_STATE = {
    State.GUIDANCE: "Đang được hướng dẫn, chưa tiếp nhận.",
    State.RECEIVED: "Hồ sơ đã được tiếp nhận và đang chờ chuyển đến cơ quan giải quyết.",
    State.TRANSFERRED: "Hồ sơ đã được chuyển đến cơ quan có thẩm quyền giải quyết.",
    State.PROCESSING: "Hồ sơ đang được xem xét, giải quyết.",
    State.SUPPLEMENT_REQUESTED: "Hồ sơ cần bổ sung giấy tờ; thời hạn giải quyết tạm dừng đến khi bổ sung đủ.",
    State.RESULT_READY: "Đã có kết quả; mời ông/bà đến nhận hoặc nhận theo hình thức đã đăng ký.",
    State.RETURNED: "Đã trả kết quả.",
    State.CLOSED: "Đã trả kết quả, hồ sơ đã kết thúc.",
    State.STOPPED: "Cơ quan giải quyết đã dừng xử lý hồ sơ.",
    State.WITHDRAWN: "Hồ sơ đã được rút theo yêu cầu của người nộp.",
    State.REFUSED: "Hồ sơ bị từ chối giải quyết.",
}
PLAIN_EVENT = {
    "receive": "Hồ sơ được tiếp nhận",
    "transfer": "Chuyển đến cơ quan giải quyết",
    "step_complete": "Hoàn thành một bước xử lý",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "supplement_received": "Đã nhận đủ giấy tờ bổ sung",
    "apologise": "Cơ quan gửi thư xin lỗi và hẹn lại ngày trả kết quả",
    "record_result": "Đã có kết quả giải quyết",
    "return_result": "Trả kết quả cho người nộp",
    "close": "Kết thúc hồ sơ",
    "stop": "Dừng xử lý",
    "withdraw": "Rút hồ sơ",
    "refuse": "Từ chối giải quyết",
}
PLAIN_SUBMISSION = {
    SubmissionStatus.SUBMITTED: "Hồ sơ đã nộp trực tuyến, đang chờ cán bộ một cửa kiểm tra và tiếp nhận. "
                                "Thời hạn giải quyết được tính từ lúc tiếp nhận.",
    SubmissionStatus.ACCEPTED: "Hồ sơ đã được tiếp nhận.",
    SubmissionStatus.RETURNED_FOR_SUPPLEMENT: "Hồ sơ chưa được tiếp nhận: cần bổ sung, hoàn thiện. "
                                              "Ông/bà vui lòng nộp lại hồ sơ đầy đủ.",
    SubmissionStatus.REJECTED: "Hồ sơ bị từ chối tiếp nhận.",
}


def last4(phone: str) -> str:
    digits = re.sub(r"\D", "", phone or "")
    return digits[-4:] if len(digits) >= 4 else _NEVER


@dataclass
class LookupResult:
    kind: str  # "dossier" / "submission"
    code: str
    procedure: str
    unit: str
    status: str
    state: str
    submitted_at: dt.datetime | None = None
    received_at: dt.datetime | None = None
    due_at: dt.datetime | None = None
    timeline: list[tuple[str, str]] = field(default_factory=list)  # (local time as text, plain words)
    missing: list[str] = field(default_factory=list)
    reason: str = ""
    apology: dict[str, Any] | None = None
    dossier_id: int | None = None  # ids only: the row is not hydrated into a model instance
    unit_id: int | None = None
    rating_url: str = ""
    rated: bool = False
    payment_status: str = ""  # payments' "awaiting_payment" / "paid"; "" when no fee or no payments app
    payment_label: str = ""
    amount_due: str = ""  # "50.000" (đồng) while a fee is due
    pay_url: str = ""
    receipt_urls: list[str] = field(default_factory=list)
    reuses: list[dict[str, Any]] = field(default_factory=list)  # documents reused across dossiers (audited)
    # Display strings the page shows (set by the view, local time as on screen)
    title: str = ""
    submitted_text: str = ""
    received_text: str = ""
    due_text: str = ""


def lookup(code: str, phone_digits: str) -> LookupResult | None:
    """The dossier (or not yet accepted online submission) `code` if `phone_digits` are the last 4
    digits of the phone given at filing; else None. One indexed query and one constant-time compare
    whether or not the code exists, so a wrong pair and an unknown code look the same."""
    code = (code or "").strip().upper()
    given = re.sub(r"\D", "", phone_digits or "")
    given = given if len(given) == 4 else "\x01\x01\x01\x01"
    if not _CODE_OK.match(code):
        hmac.compare_digest(_NEVER, given)
        return None
    if code.startswith("TT-"):
        row = (OnlineSubmission.objects.select_related("procedure", "unit", "dossier")
               .filter(receipt_number=code).first())
    else:
        row = _dossier_rows(code)
    expected = last4(row.applicant_phone) if row is not None else _NEVER
    if not hmac.compare_digest(expected, given) or row is None:
        return None
    if isinstance(row, OnlineSubmission):
        if row.dossier_id is not None:
            return _dossier_result(_dossier_rows(row.dossier.code), submission=row)  # type: ignore[arg-type]
        return _submission_result(row)
    return _dossier_result(row)


_SQL: dict[tuple[str, bool], str] = {}
_D_COLS = ("id", "code", "applicant_phone", "state", "submitted_at", "received_at", "due_at", "fee_amount", "unit_id",
           "procedure_name", "unit_name", "apology_issued_at", "apology_reason", "apology_previous_due_at",
           "apology_new_due_at", "refusal_reason", "rating_nonce", "rating_used_at", "rating_expires_at", "has_reuse",
           "fees_n", "fees_waived", "fees_due_n", "fees_due_amount", "receipt_ids", "events")
_DATETIMES = ("submitted_at", "received_at", "due_at", "apology_issued_at", "apology_previous_due_at",
              "apology_new_due_at", "rating_used_at", "rating_expires_at")


def _dossier_sql(vendor: str, payments: bool) -> str:
    """The public lookup's hot path: ONE statement, ONE row per lookup (prepared on PostgreSQL). The
    dossier, the names shown, its apology letter, refusal reason and rating (one-to-one, LEFT JOINs),
    whether any of its documents was reused, its fees and receipts (aggregated), and its timeline as one
    text: a line `HH:MM dd/mm/yyyy|transition` per event in order, the time formatted by PostgreSQL in
    the site's time zone (the first parameter; the code is the second). Loading timestamps into Python
    datetimes cost more client CPU than the whole statement; SQLite gives the stored UTC text instead,
    formatted in Python."""
    key = (vendor, payments)
    if key not in _SQL:
        from congvu.onestop.models import DossierComponent

        pg = vendor == "postgresql"
        q = connection.ops.quote_name
        d, p, u, a, r, e, c, rt = (q(m._meta.db_table) for m in (
            Dossier, Procedure, Unit, ApologyLetter, Refusal, DossierEvent, DossierComponent, Rating))
        if payments:
            from congvu.payments.models import EReceipt, Fee, Payment

            f, pay_fees, rc = q(Fee._meta.db_table), q(Payment.fees.through._meta.db_table), q(EReceipt._meta.db_table)
            agg = "string_agg(DISTINCT rc.id::text, ',')" if pg else "group_concat(DISTINCT rc.id)"
            fees = (f"(SELECT count(*) FROM {f} f WHERE f.dossier_id = d.id) AS fees_n, "
                    f"(SELECT count(*) FROM {f} f WHERE f.dossier_id = d.id AND f.state = 'waived') AS fees_waived, "
                    f"(SELECT count(*) FROM {f} f WHERE f.dossier_id = d.id AND f.state = 'due') AS fees_due_n, "
                    f"(SELECT coalesce(sum(f.amount), 0) FROM {f} f WHERE f.dossier_id = d.id AND f.state = 'due') "
                    f"AS fees_due_amount, (SELECT {agg} FROM {f} f JOIN {pay_fees} pf ON pf.fee_id = f.id "
                    f"JOIN {rc} rc ON rc.payment_id = pf.payment_id WHERE f.dossier_id = d.id) AS receipt_ids")
        else:
            fees = "0 AS fees_n, 0 AS fees_waived, 0 AS fees_due_n, 0 AS fees_due_amount, NULL AS receipt_ids"
        if pg:
            events = (f"(SELECT string_agg(to_char(e.at AT TIME ZONE %s, 'HH24:MI DD/MM/YYYY') || '|' || e.transition, "
                      f"E'\\n' ORDER BY e.at, e.id) FROM {e} e WHERE e.dossier_id = d.id)")
        else:
            events = (f"(SELECT group_concat(line, char(10)) FROM (SELECT e.at || '|' || e.transition AS line "
                      f"FROM {e} e WHERE e.dossier_id = d.id ORDER BY e.at, e.id))")
        _SQL[key] = (
            f"SELECT d.id, d.code, d.applicant_phone, d.state, d.submitted_at, d.received_at, "
            f"d.due_at, d.fee_amount, d.unit_id, p.name, u.name AS unit_name, a.issued_at, a.reason AS apology_reason, "
            f"a.previous_due_at, a.new_due_at, r.reason AS refusal_reason, rt.nonce, rt.used_at, rt.expires_at, "
            f"(EXISTS (SELECT 1 FROM {c} c WHERE c.reused_result_of_id = d.id) OR EXISTS (SELECT 1 FROM {c} c "
            f"WHERE c.dossier_id = d.id AND (c.reused_from_id IS NOT NULL OR c.reused_result_of_id IS NOT NULL)) "
            f"OR EXISTS (SELECT 1 FROM {c} c JOIN {c} c2 ON c2.id = c.reused_from_id WHERE c2.dossier_id = d.id)) "
            f"AS has_reuse, {fees}, {events} AS events "
            f"FROM {d} d JOIN {p} p ON p.id = d.procedure_id JOIN {u} u ON u.id = d.unit_id "
            f"LEFT JOIN {a} a ON a.dossier_id = d.id LEFT JOIN {r} r ON r.dossier_id = d.id "
            f"LEFT JOIN {rt} rt ON rt.dossier_id = d.id WHERE d.code = %s")
    return _SQL[key]


def _fetch(sql: str, params: list[Any]) -> list[tuple]:
    """Rows of one statement: on PostgreSQL `_fetch_pg` (prepared once per connection, then only
    executed), elsewhere the ordinary cursor (sqlite3 keeps its own statement cache)."""
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        start = time.monotonic()
        with connection.wrap_database_errors:
            rows = _fetch_pg(sql, [str(p) for p in params])
        if connection.queries_logged:  # seen by the debug toolbar, the query-count tests
            connection.queries_log.append({"sql": sql % tuple(repr(p) for p in params),
                                           "time": f"{time.monotonic() - start:.3f}"})
        return rows
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


_PG_PREPARED: weakref.WeakKeyDictionary[Any, set[bytes]] = weakref.WeakKeyDictionary()  # per connection
_PG_TEXT: dict[str, tuple[bytes, bytes]] = {}  # sql → (statement name, text with $n placeholders)


def _pg_bool(v: bytes) -> bool:
    return v == b"t"


def _pg_datetime(v: bytes) -> dt.datetime:
    return dt.datetime.fromisoformat(v.decode())  # ISO output, the session's time zone (UTC under Django)


_PG_LOAD: dict[int, Any] = {16: _pg_bool, 20: int, 21: int, 23: int, 1700: lambda v: Decimal(v.decode()),
                            1184: _pg_datetime}  # bool, int8/2/4, numeric, timestamptz; anything else: text


def _our_prepared(conn: Any) -> set[bytes]:
    """The names this module has prepared on `conn`. psycopg answers a ROLLBACK, DROP or DISCARD ALL by
    sending DEALLOCATE ALL when it has prepared statements of its own (`congvu.dbwrite` prepares the
    receipt's), which drops ours too: its `clear()` is wrapped once per connection so that our names are
    forgotten at the same moment. Without it, the next lookup after any rolled-back transaction on that
    connection failed with "prepared statement … does not exist"."""
    prepared = _PG_PREPARED.get(conn)
    if prepared is None:
        prepared = _PG_PREPARED[conn] = set()
        manager = getattr(conn, "_prepared", None)
        original = getattr(manager, "clear", None)
        if original is not None:
            def clear() -> bool:
                deallocate_all = original()
                if deallocate_all:
                    prepared.clear()
                return deallocate_all

            manager.clear = clear
    return prepared


def _fetch_pg(sql: str, params: list[str]) -> list[tuple]:
    """The statement through libpq itself (psycopg's `pq` layer): Parse once per connection under a fixed
    name, then one Bind/Execute per call with text parameters and text results, converted here by column
    type. It does what psycopg's cursor with `prepare=True` did for a sixth of the client CPU (no
    cursor, query conversion or adapters per call); libpq releases the GIL while it waits."""
    from psycopg import errors, pq

    conn = connection.connection
    pgconn = conn.pgconn
    named = _PG_TEXT.get(sql)
    if named is None:
        pieces = sql.split("%s")
        text = "".join(f"{piece}${i}" if i < len(pieces) else piece for i, piece in enumerate(pieces, start=1))
        named = _PG_TEXT[sql] = (f"congvu_{hashlib.sha1(sql.encode()).hexdigest()[:16]}".encode(), text.encode())
    name, text = named
    values = [p.encode() for p in params]
    prepared = _our_prepared(conn)
    for attempt in (1, 2):
        if name not in prepared:
            res = pgconn.prepare(name, text)
            if res.status != pq.ExecStatus.COMMAND_OK and b"already exists" not in (res.error_message or b""):
                raise errors.error_from_result(res, encoding=conn.info.encoding)
            prepared.add(name)
        res = pgconn.exec_prepared(name, values)
        if res.status == pq.ExecStatus.TUPLES_OK:
            break
        lost = res.status == pq.ExecStatus.FATAL_ERROR and b"does not exist" in (res.error_message or b"")
        if lost:
            prepared.discard(name)  # dropped behind our back (a pooler's DISCARD ALL): prepare again
        # Outside a transaction the failed call left nothing behind: prepare again and retry once.
        if not (lost and attempt == 1 and pgconn.transaction_status == pq.TransactionStatus.IDLE):
            raise errors.error_from_result(res, encoding=conn.info.encoding)
    loads = [_PG_LOAD.get(res.ftype(c)) for c in range(res.nfields)]
    rows = []
    for r in range(res.ntuples):
        row = []
        for c, load in enumerate(loads):
            v = res.get_value(r, c)
            row.append(None if v is None else (load(v) if load is not None else v.decode()))
        rows.append(tuple(row))
    return rows


@dataclass
class _Row:
    """The lookup statement's row as plain attributes (no model instance)."""

    values: dict[str, Any]
    timeline_events: list[tuple[str, str]]  # (local time as shown, transition)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def _dossier_rows(code: str) -> _Row | None:
    pg = connection.vendor == "postgresql"
    rows = _fetch(_dossier_sql(connection.vendor, _payments_installed()),
                  [timezone.get_default_timezone_name(), code] if pg else [code])
    if not rows:
        return None
    values = dict(zip(_D_COLS, rows[0], strict=True))
    for name in _DATETIMES:
        if values[name] is not None:
            values[name] = _as_datetime(values[name])
    events: list[tuple[str, str]] = []
    for line in (values.pop("events") or "").split("\n"):
        at, sep, transition = line.partition("|")
        if sep:
            events.append((at, transition) if pg else (_when(_as_datetime(at)), transition))
    return _Row(values, events)


def _as_datetime(value: Any) -> dt.datetime:
    """Raw rows skip the field converters (SQLite gives text)."""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if timezone.is_aware(value) else value.replace(tzinfo=dt.UTC)


def _when(value: dt.datetime) -> str:
    """`HH:MM dd/mm/yyyy` in the site's time zone (what `localtime(...).strftime(...)` gives, for a
    fraction of its cost; the lookup statement formats timeline times the same way on PostgreSQL)."""
    v = value.astimezone(timezone.get_default_timezone())
    return f"{v.hour:02d}:{v.minute:02d} {v.day:02d}/{v.month:02d}/{v.year}"


def when_text(value: dt.datetime | None) -> str:
    """`HH:MM dd/mm/yyyy` in local time, "" for None (what the lookup page shows)."""
    return _when(value) if value is not None else ""


def _submission_result(sub: OnlineSubmission) -> LookupResult:
    timeline = [(_when(sub.submitted_at), "Nộp hồ sơ trực tuyến")]
    if sub.decided_at:
        timeline.append((_when(sub.decided_at), sub.get_status_display()))
    return LookupResult(
        kind="submission", code=sub.receipt_number, procedure=sub.procedure.name, unit=sub.unit.name,
        status=PLAIN_SUBMISSION[SubmissionStatus(sub.status)], state=sub.status, submitted_at=sub.submitted_at,
        timeline=timeline,
        missing=[sub.reason] if sub.status == SubmissionStatus.RETURNED_FOR_SUPPLEMENT and sub.reason else [],
        reason=sub.reason if sub.status == SubmissionStatus.REJECTED else "",
    )


def _dossier_result(d: _Row, submission: OnlineSubmission | None = None) -> LookupResult:
    from congvu.citizen.services import rating_url
    from congvu.onestop.models import SupplementRequest

    submitted_at = d.submitted_at
    if submitted_at is None and submission is not None:
        submitted_at = submission.submitted_at
    timeline = []
    if submitted_at:
        timeline.append((_when(submitted_at), "Nộp hồ sơ trực tuyến"))
    for at_text, transition in d.timeline_events:
        timeline.append((at_text, PLAIN_EVENT.get(transition, transition)))
    state = State(d.state)
    result = LookupResult(
        kind="dossier", code=d.code, procedure=d.procedure_name, unit=d.unit_name, status=PLAIN_STATE.get(state, d.state),
        state=d.state, submitted_at=submitted_at, received_at=d.received_at, due_at=d.due_at, timeline=timeline,
        dossier_id=d.id, unit_id=d.unit_id,
    )
    if state == State.SUPPLEMENT_REQUESTED:  # rare: its own small query
        result.missing = list(SupplementRequest.objects.filter(dossier_id=d.id, supplied_at__isnull=True)
                              .values_list("items", flat=True))
    if d.apology_issued_at is not None:
        result.apology = {"issued_at": d.apology_issued_at, "reason": d.apology_reason,
                          "previous_due_at": d.apology_previous_due_at, "new_due_at": d.apology_new_due_at}
    if state == State.REFUSED:
        result.reason = d.refusal_reason or ""
    if state in (State.RETURNED, State.CLOSED) and d.rating_nonce is not None:
        result.rated = d.rating_used_at is not None
        if d.rating_used_at is None and d.rating_expires_at > timezone.now():
            result.rating_url = rating_url(Rating(nonce=d.rating_nonce), absolute=False)
    _payment_info(result, d)
    if d.has_reuse:  # rare: only then the reuse trail is read
        result.reuses = document_reuses(d.id, d.unit_id)
    return result


def document_reuses(dossier_id: int, unit_id: int) -> list[dict[str, Any]]:
    """Where this dossier's documents were reused, and what it reused from other dossiers: the citizen
    sees every reuse of their documents (issue 13), newest first, marked when another unit did it."""
    from congvu.onestop.models import DossierComponent

    out: list[dict[str, Any]] = []
    pk = dossier_id
    rows = (DossierComponent.objects  # one query: reused from this dossier, or into it
            .filter(Q(reused_from__dossier_id=pk) | Q(reused_result_of_id=pk)
                    | Q(dossier_id=pk, reused_from__isnull=False) | Q(dossier_id=pk, reused_result_of__isnull=False))
            .select_related("dossier__unit", "reused_from__dossier__unit", "reused_result_of__unit"))
    for row in rows:
        if row.dossier_id != pk:
            other, direction = row.dossier, "out"
        else:
            other, direction = (row.reused_from.dossier if row.reused_from_id else row.reused_result_of), "in"
        if other is None or other.pk == pk:
            continue
        out.append({"at": row.updated_at, "when": _when(row.updated_at), "direction": direction, "what": row.name,
                    "unit": other.unit.name, "cross_unit": other.unit_id != unit_id})
    return sorted(out, key=lambda r: r["at"], reverse=True)


_NO_FEES_STATES = {State.STOPPED, State.WITHDRAWN, State.REFUSED}  # as payments' `_open_for_payment`


_PAYMENTS: list[bool] = []  # apps.is_installed("congvu.payments"), once per process


def _payments_installed() -> bool:
    if not _PAYMENTS:
        from django.apps import apps

        _PAYMENTS.append(apps.is_installed("congvu.payments"))
    return _PAYMENTS[0]


def _payment_info(result: LookupResult, d: _Row) -> None:
    """The dossier's payment status as `payments.selectors.dossier_payment_status` decides it, the pay
    link while a fee is due and the receipt links, from the fee aggregates of the lookup statement;
    nothing without the payments app."""
    if not _payments_installed():
        return
    from congvu.payments import links, money
    from congvu.payments import selectors as pay

    n, waived, due_n, due = int(d.fees_n or 0), int(d.fees_waived or 0), int(d.fees_due_n or 0), int(d.fees_due_amount or 0)
    if n == 0:  # no Fee row yet: the catalogue amount at receipt, as `dossier_fees`
        if int(d.fee_amount or 0) <= 0:
            return
        n, due_n, due = 1, 1, int(d.fee_amount)
    if waived == n:
        return  # not_required: nothing shown
    status = pay.AWAITING_PAYMENT if due_n else pay.PAID
    result.payment_status, result.payment_label = status, pay.STATUS_LABELS[status]
    result.amount_due = money.vnd(due) if due else ""
    if status == pay.AWAITING_PAYMENT and d.state not in _NO_FEES_STATES:
        result.pay_url = links.pay_url(d.code)
    receipts = sorted({int(x) for x in str(d.receipt_ids or "").split(",") if x})
    result.receipt_urls = [links.receipt_url(pk) for pk in receipts]


# ------------------------------------------------------------------------------------------------
# Figures (QĐ 766 indicators 5.2 and 5.4)
# ------------------------------------------------------------------------------------------------


def _pct(num: float, den: float) -> float:
    return round(100.0 * num / den, 2) if den else 0.0


def _bounds(date_from: dt.date, date_to: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(date_from, dt.time()))
    end = timezone.make_aware(dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time()))
    return start, end


def satisfaction_stats(unit_ids, date_from: dt.date, date_to: dt.date, *,
                       now: dt.datetime | None = None) -> dict[str, Any]:
    """Satisfaction and PAKN figures of the units `unit_ids` for dossiers/PAKN received in the period.

    - 5.4 `satisfaction_rate` = 100 − (overdue_rate + complained_or_disliked_rate), where overdue =
      finished late or still open past the due date (judged at min(now, end of period); a dossier
      waiting for a supplement is paused), and complained_or_disliked = dossiers with a PAKN or a
      "Không hài lòng" rating. Denominator: dossiers received. Clamped at 0; the two rates add up as
      the formula is written (a dossier both late and complained about counts in both).
      `satisfaction_points` = 6 × min(1, rate / 90).
    - 5.2 `pakn_on_time_rate` = PAKN handled on time / (PAKN handled + PAKN open past their deadline).

    From the daily counters kept in each change's transaction (`received`, `late_received`, `flagged`,
    ratings, `pakn_*`) and two index-only counts of what is open now (dossiers, PAKN): no scan of
    the period's rows. `satisfaction_stats_from_rows` computes the same from the rows.
    """
    from congvu.onestop.selectors import open_counts, rollup_sums

    unit_ids = list(unit_ids)
    start, end = _bounds(date_from, date_to)
    as_of = min(now or timezone.now(), end)
    c = rollup_sums(unit_ids=unit_ids, date_from=date_from, date_to=date_to, names=_SATISFACTION_COUNTERS)[None]
    overdue_open = open_counts(unit_ids=unit_ids, received_from=start, received_before=end, as_of=as_of)[None]["overdue"]
    pakn_open_overdue = Complaint.objects.filter(
        unit_id__in=unit_ids, state__in=_PAKN_OPEN, due_date__lt=timezone.localtime(as_of).date(),
        received_at__gte=start, received_at__lt=end).count()
    return satisfaction_from_counts(
        received=c["received"], late=c["late_received"], overdue_open=overdue_open, flagged=c["flagged"],
        ratings={"count": c["rating_count"], "satisfied": c["rating_satisfied"],
                 "dissatisfied": c["rating_dissatisfied"]},
        pakn={"received": c["pakn_received"], "handled": c["pakn_handled"], "handled_on_time": c["pakn_on_time"],
              "open_overdue": pakn_open_overdue})


_SATISFACTION_COUNTERS = ("received", "late_received", "flagged", "rating_count", "rating_satisfied",
                          "rating_dissatisfied", "pakn_received", "pakn_handled", "pakn_on_time")
_PAKN_OPEN = [ComplaintState.RECEIVED, ComplaintState.UNDER_REVIEW]


def satisfaction_from_counts(*, received: int, late: int, overdue_open: int, flagged: int, ratings: dict[str, int],
                  pakn: dict[str, int]) -> dict[str, Any]:
    overdue = late + overdue_open
    overdue_rate = _pct(overdue, received)
    flagged_rate = _pct(flagged, received)
    rate = round(max(0.0, 100.0 - overdue_rate - flagged_rate), 2) if received else 0.0
    judged = pakn["handled"] + pakn["open_overdue"]
    return {
        "dossiers_received": received,
        "dossiers_overdue": overdue,
        "overdue_rate": overdue_rate,
        "dossiers_complained_or_disliked": flagged,
        "complained_or_disliked_rate": flagged_rate,
        "satisfaction_rate": rate,
        "satisfaction_points": round(6 * min(1.0, rate / 90.0), 2) if received else 0.0,
        "rating_count": ratings["count"],
        "rating_satisfied": ratings["satisfied"],
        "rating_dissatisfied": ratings["dissatisfied"],
        "pakn_received": pakn["received"],
        "pakn_handled": pakn["handled"],
        "pakn_on_time": pakn["handled_on_time"],
        "pakn_open_overdue": pakn["open_overdue"],
        "pakn_on_time_rate": _pct(pakn["handled_on_time"], judged),
    }


def satisfaction_stats_from_rows(unit_ids, date_from: dt.date, date_to: dt.date, *,
                       now: dt.datetime | None = None) -> dict[str, Any]:
    """`satisfaction_stats` recomputed from the dossier, PAKN and rating rows of the period (the
    reference the counters are checked against, and the bench's row-scan anchor).

    - 5.4 `satisfaction_rate` = 100 − (overdue_rate + complained_or_disliked_rate), where overdue =
      finished late or still open past the due date (judged at min(now, end of period); a dossier
      waiting for a supplement is paused), and complained_or_disliked = dossiers with a PAKN or a
      "Không hài lòng" rating. Denominator: dossiers received. Clamped at 0; the two rates add up as
      the formula is written (a dossier both late and complained about counts in both).
      `satisfaction_points` = 6 × min(1, rate / 90).
    - 5.2 `pakn_on_time_rate` = PAKN handled on time / (PAKN handled + PAKN open past their deadline).
    """
    unit_ids = list(unit_ids)
    start, end = _bounds(date_from, date_to)
    as_of = min(now or timezone.now(), end)
    # Dossiers refused at the desk check (Mẫu 03) were never received: they count nowhere.
    dossiers = Dossier.objects.filter(unit_id__in=unit_ids, received_at__gte=start, received_at__lt=end).exclude(
        state=State.GUIDANCE).exclude(receipt_refused=True)
    agg = dossiers.aggregate(
        received=Count("id"),
        late=Count("id", filter=Q(verdict="late")),
        overdue_open=Count("id", filter=Q(state__in=[s.value for s in OPEN_STATES], due_at__lt=as_of)
                           & ~Q(state=State.SUPPLEMENT_REQUESTED)),
    )
    flagged = dossiers.filter(Q(complaints__isnull=False) | Q(rating__overall=0, rating__used_at__isnull=False))
    complained_or_disliked = flagged.values("id").distinct().count()
    ratings = Rating.objects.filter(unit_id__in=unit_ids, used_at__gte=start, used_at__lt=end).aggregate(
        count=Count("id"), satisfied=Count("id", filter=Q(overall__gte=1)), dissatisfied=Count("id", filter=Q(overall=0)))
    pakn = Complaint.objects.filter(unit_id__in=unit_ids, received_at__gte=start, received_at__lt=end).aggregate(
        received=Count("id"),
        handled=Count("id", filter=Q(state__in=[ComplaintState.ANSWERED, ComplaintState.CLOSED])),
        handled_on_time=Count("id", filter=Q(on_time=True)),
        open_overdue=Count("id", filter=Q(state__in=[ComplaintState.RECEIVED, ComplaintState.UNDER_REVIEW],
                                          due_date__lt=timezone.localtime(as_of).date())),
    )
    return satisfaction_from_counts(received=agg["received"], late=agg["late"], overdue_open=agg["overdue_open"],
                         flagged=complained_or_disliked, ratings=ratings, pakn=pakn)


def rating_rollup_contributions(*, unit_ids=None) -> dict[tuple[int, dt.date], dict[str, int]]:
    """{(unit id, day): {rating_count, rating_satisfied, rating_dissatisfied}} from the used ratings,
    for `onestop_rollups_rebuild` (same shape as payments' `payment_rollup_contributions`)."""
    from congvu.citizen.services import rating_counters

    qs = Rating.objects.filter(used_at__isnull=False)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=list(unit_ids))
    out: dict[tuple[int, dt.date], dict[str, int]] = {}
    for rating in qs.only("unit_id", "used_at", "overall", "scores").iterator():
        counters = out.setdefault((rating.unit_id, timezone.localtime(rating.used_at).date()), {})
        for name, value in rating_counters(rating).items():
            counters[name] = counters.get(name, 0) + value
    return out


def pakn_rollup_contributions(*, unit_ids=None) -> dict[tuple[int, dt.date], dict[str, int]]:
    """The PAKN counters (`pakn_received`, `pakn_handled`, `pakn_on_time` on the PAKN's day of receipt)
    and `flagged` (dossiers complained about or disliked, on the dossier's day of receipt), from the
    rows, for `onestop_rollups_rebuild`."""
    from congvu.citizen.services import complaint_counters
    from congvu.onestop.services import dossier_counts

    complaints, ratings = Complaint.objects.all(), Rating.objects.filter(overall=0, used_at__isnull=False)
    if unit_ids is not None:
        complaints = complaints.filter(unit_id__in=list(unit_ids))
    out: dict[tuple[int, dt.date], dict[str, int]] = {}
    for c in complaints.only("unit_id", "received_at", "state", "on_time").iterator():
        counters = out.setdefault((c.unit_id, timezone.localtime(c.received_at).date()), {})
        for name, value in complaint_counters(c).items():
            counters[name] = counters.get(name, 0) + value
    flagged_ids = set(Complaint.objects.filter(dossier__isnull=False).values_list("dossier_id", flat=True))
    flagged_ids |= set(ratings.values_list("dossier_id", flat=True))
    dossiers = Dossier.objects.filter(pk__in=flagged_ids)
    if unit_ids is not None:
        dossiers = dossiers.filter(unit_id__in=list(unit_ids))
    for d in dossiers.only("unit_id", "received_at", "state", "receipt_refused").iterator():
        if dossier_counts(d):
            counters = out.setdefault((d.unit_id, timezone.localtime(d.received_at).date()), {})
            counters["flagged"] = counters.get("flagged", 0) + 1
    return out


def complaints_for_leader(user: Any) -> QuerySet[Complaint]:
    from congvu.org.policy import scoped_units
    from congvu.org.roles import Action

    qs = Complaint.objects.select_related("unit", "dossier").order_by("state", "due_date")
    if user.is_superuser:
        return qs
    return qs.filter(unit__in=scoped_units(user, Action.DOSSIER_VIEW))
