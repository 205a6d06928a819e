"""Demo data of the one-stop app: a procedures catalogue and the dossiers of 2023.

`load(stdout=None)` is idempotent. Units are those of the demo province (`congvu.org.demo`), found
by code then by name or alias; missing ones are created with the same codes. Figures reproduce the
2023 reports of the seeds: Xã Ba Bích (seed 004) 376 dossiers, 162 online (43.1 %), 51 late
(13.56 %), 48.4 % digitised; the provincial centre (seed 001) 99.9 % on time. Every promised date
comes from the real clock (`congvu.onestop.clock` + the working-day calendar) and finish times are
chosen relative to it, so the verdicts are computed, not written. Seeded RNG: same data every run.

Ba Bích goes through the services (timeline, slips, audit); the provincial centre's volume is
bulk-inserted with the same clock and codes, then the roll-ups are rebuilt.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from congvu.audit.services import audit_record
from congvu.common.text import search_key
from congvu.onestop import clock
from congvu.onestop import services as s
from congvu.onestop.models import (
    SYNC_CHANNEL,
    Channel,
    Dossier,
    DossierCodeCounter,
    DossierEvent,
    Procedure,
    UnitProfile,
)
from congvu.onestop.rules import rules_for
from congvu.onestop.workflow import State
from congvu.org.models import Unit, UnitKind
from congvu.org.services import unit_create

VN = ZoneInfo("Asia/Ho_Chi_Minh")
YEAR = 2023
SEED = 766

BA_BICH = {"total": 376, "online": 162, "late": 51, "digitized": 182}
PROVINCE_CENTRE = {"total": 2000, "late": 2}

FIELDS = {
    "HT": "Hộ tịch",
    "CT": "Chứng thực",
    "TS": "Thủy sản",
    "DB": "Đường bộ",
    "TP": "Lý lịch tư pháp",
    "DN": "Thành lập và hoạt động doanh nghiệp",
}

# (code, name, field, level, time, unit, online level, fee, legal basis, written result)
CATALOGUE: list[tuple[Any, ...]] = [
    ("1.004359", "Cấp giấy chứng nhận an toàn kỹ thuật tàu cá", "TS", "province", 5, "working_days", "full", 0,
     "Luật Thủy sản 2017; Thông tư 23/2018/TT-BNNPTNT", True),
    ("1.004692", "Cấp, cấp lại giấy phép khai thác thủy sản", "TS", "province", 6, "working_days", "full", 40000,
     "Luật Thủy sản 2017; Nghị định 26/2019/NĐ-CP", True),
    ("1.002804", "Đổi giấy phép lái xe do ngành Giao thông vận tải cấp", "DB", "province", 5, "working_days", "full",
     135000, "Thông tư 12/2017/TT-BGTVT", True),
    ("2.001417", "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam", "TP", "province", 10, "working_days", "partial",
     200000, "Luật Lý lịch tư pháp 2009", True),
    ("2.001610", "Đăng ký thành lập doanh nghiệp tư nhân", "DN", "province", 3, "working_days", "full", 50000,
     "Luật Doanh nghiệp 2020; Nghị định 01/2021/NĐ-CP", True),
    ("1.001193", "Thủ tục đăng ký khai sinh", "HT", "commune", 0, "working_days", "full", 0,
     "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP", True),
    ("1.000894", "Thủ tục đăng ký kết hôn", "HT", "commune", 0, "working_days", "partial", 0,
     "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP", True),
    ("1.000656", "Thủ tục đăng ký khai tử", "HT", "commune", 0, "working_days", "full", 0,
     "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP", True),
    ("1.004873", "Thủ tục cấp Giấy xác nhận tình trạng hôn nhân", "HT", "commune", 3, "working_days", "full", 0,
     "Luật Hộ tịch 2014; Nghị định 123/2015/NĐ-CP", True),
    ("1.004884", "Thủ tục cấp bản sao trích lục hộ tịch", "HT", "commune", 0, "working_days", "full", 8000,
     "Nghị định 123/2015/NĐ-CP; Thông tư 281/2016/TT-BTC", True),
    ("2.000815", "Chứng thực bản sao từ bản chính giấy tờ, văn bản", "CT", "commune", 0, "working_days", "none",
     2000, "Nghị định 23/2015/NĐ-CP", False),
    ("2.000884", "Chứng thực chữ ký trong các giấy tờ, văn bản", "CT", "commune", 0, "working_days", "none", 10000,
     "Nghị định 23/2015/NĐ-CP", False),
]

COMPONENTS = {
    "1.001193": ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"],
    "1.000894": ["Tờ khai đăng ký kết hôn", "Giấy xác nhận tình trạng hôn nhân"],
    "1.000656": ["Tờ khai đăng ký khai tử", "Giấy báo tử"],
    "1.004359": ["Tờ khai cấp giấy chứng nhận an toàn kỹ thuật tàu cá", "Biên bản kiểm tra kỹ thuật tàu cá"],
    "1.004692": ["Đơn đề nghị cấp giấy phép khai thác thủy sản", "Giấy chứng nhận an toàn kỹ thuật tàu cá"],
}

STEPS = [("Tiếp nhận, chuyển hồ sơ", "0.1"), ("Thẩm định, xử lý", "0.7"), ("Ký duyệt, trả kết quả", "0.2")]

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đinh", "Phan", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Minh", "Thanh", "Đức", "Ngọc", "Hữu"]
GIVEN = ["An", "Bình", "Chánh", "Dũng", "Hà", "Hoa", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Sương", "Tâm", "Vy"]


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


def _find_unit(code: str, names: list[str]) -> Unit | None:
    unit = Unit.objects.filter(code=code).first()
    if unit:
        return unit
    for name in names:
        key = search_key(name)
        unit = Unit.objects.filter(Q(search_key=key) | Q(aliases__icontains=name)).order_by("path").first()
        if unit:
            return unit
    return None


def _ensure(code: str, name: str, kind: str, parent: Unit | None, names: list[str] | None = None, **kw) -> Unit:
    return _find_unit(code, names or [name]) or unit_create(code=code, name=name, kind=kind, parent=parent, **kw)


def demo_units() -> dict[str, Unit]:
    """The units the demo needs, looked up in the demo province or created with its codes."""
    province = _ensure("51", "Tỉnh Quảng Ngãi", UnitKind.PROVINCE, None, admin_code="51")
    centre = _ensure("51-VP-TTPV", "Trung tâm Phục vụ - Kiểm soát thủ tục hành chính tỉnh", UnitKind.ONESTOP_DESK,
                     province, names=["Trung tâm Phục vụ hành chính công tỉnh",
                                      "Trung tâm Phục vụ - Kiểm soát thủ tục hành chính tỉnh"],
                     aliases=["Trung tâm Phục vụ hành chính công tỉnh"])
    district = _ensure("51-535", "Huyện Ba Tơ", UnitKind.DISTRICT, province, admin_code="535", valid_to=dt.date(2025, 6, 30))
    commune = _ensure("51-535-21526", "Xã Ba Bích", UnitKind.COMMUNE, district, admin_code="21526",
                      valid_to=dt.date(2025, 6, 30))
    desk = _find_unit("51-535-21526-MC", ["Bộ phận một cửa xã Ba Bích"])
    if desk is None:
        desk = unit_create(code="51-535-21526-MC", name="Bộ phận một cửa xã Ba Bích", kind=UnitKind.ONESTOP_DESK,
                           parent=commune, valid_to=dt.date(2025, 6, 30))
    agri = _find_unit("51-SNNPTNT", ["Sở Nông nghiệp và Phát triển nông thôn tỉnh Quảng Ngãi"])
    for unit, ident in ((centre, "H55.01"), (desk, "H55.08.26")):
        UnitProfile.objects.get_or_create(unit=unit, defaults={"identifier_code": ident})
    return {"province": province, "centre": centre, "district": district, "commune": commune, "desk": desk,
            "agri": agri}


def load_catalogue(units: dict[str, Unit] | None = None) -> dict[str, Procedure]:
    fields = {code: s.field_get_or_create(code=code, name=name) for code, name in FIELDS.items()}
    out = {}
    for code, name, fcode, level, amount, unit, online, fee, basis, written in CATALOGUE:
        proc = Procedure.objects.filter(code=code).first()
        if proc is None:
            competent = (units or {}).get("agri") if fcode == "TS" else None
            proc = s.procedure_create(
                code=code, name=name, field=fields[fcode], level=level, processing_time=amount, time_unit=unit,
                online_level=online, fee_amount=fee, legal_basis=basis, requires_written_result=written,
                competent_unit=competent, effective_from=dt.date(2019, 1, 1),
                components=[{"name": c, "originals": 1} for c in COMPONENTS.get(code, ["Đơn, tờ khai"])],
                steps=[{"name": n, "share": sh} for n, sh in STEPS] if amount else [],
            )
        out[code] = proc
    return out


# ------------------------------------------------------------------------------------------------
# Time choices made against the real clock
# ------------------------------------------------------------------------------------------------


def _receipt_moments(rng: random.Random, cal, n: int, last: dt.date) -> list[dt.datetime]:
    days = [dt.date(YEAR, 1, 1) + dt.timedelta(days=i) for i in range((last - dt.date(YEAR, 1, 1)).days + 1)]
    days = [d for d in days if cal.is_working_day(d)]
    out = []
    for _ in range(n):
        day = rng.choice(days)
        minute = rng.randrange(7 * 60 + 30, 16 * 60 + 30)
        out.append(dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=VN))
    return sorted(out)


def _finish_on_time(rng: random.Random, cal, received: dt.datetime, due: dt.datetime) -> dt.datetime:
    days = [received.date()]
    while days[-1] < due.date():
        days.append(cal.next_working_day(days[-1]))
    for _ in range(20):
        day = rng.choice(days)
        minute = rng.randrange(8 * 60, 16 * 60 + 45)
        t = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=VN)
        if received + dt.timedelta(minutes=15) <= t <= due:
            return t
    return min(due, received + dt.timedelta(minutes=45))


def _finish_late(rng: random.Random, cal, due: dt.datetime) -> dt.datetime:
    day = cal.add_working_days(due.date(), rng.randint(1, 3))
    minute = rng.randrange(8 * 60, 16 * 60)
    return dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=VN)


def _person(rng: random.Random) -> tuple[str, str, str]:
    name = f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
    return name, f"09{rng.randrange(10**7, 10**8)}", f"0511{rng.randrange(10**7, 10**8)}"


def _ba_bich(units, procs, rng, cal, stdout) -> None:
    desk = units["desk"]
    commune_procs = [procs[c] for c in ("1.001193", "1.000894", "1.000656", "1.004873", "1.004884", "2.000815",
                                        "2.000884")]
    weights = [22, 8, 6, 14, 10, 30, 10]
    n = BA_BICH["total"]
    moments = _receipt_moments(rng, cal, n, dt.date(YEAR, 11, 30))
    online = set(rng.sample(range(n), BA_BICH["online"]))
    late = set(rng.sample(range(n), BA_BICH["late"]))
    digitized = set(rng.sample(range(n), BA_BICH["digitized"]))
    for i, received in enumerate(moments):
        proc = rng.choices(commune_procs, weights)[0]
        name, phone, ident = _person(rng)
        d = s.dossier_receive(procedure=proc, unit=desk, applicant_name=name, applicant_phone=phone,
                              applicant_id_number=ident, channel="online" if i in online else "in_person",
                              received_at=received, digitized_components=i in digitized)
        s.dossier_transfer(dossier=d, at=received + dt.timedelta(minutes=5))
        finish = _finish_late(rng, cal, d.due_at) if i in late else _finish_on_time(rng, cal, received, d.due_at)
        s.dossier_record_result(dossier=d, at=finish, e_result=i in digitized,
                                result_code=f"{proc.code}/{YEAR}/{i + 1:04d}")
        s.dossier_return(dossier=d, at=finish + dt.timedelta(minutes=rng.randint(10, 240)))
    _say(stdout, f"Xã Ba Bích: {n} hồ sơ năm {YEAR}.\n")


def _province_centre(units, procs, rng, cal) -> int:
    centre = units["centre"]
    plist = [procs[c] for c in ("1.004359", "1.004692", "1.002804", "2.001417", "2.001610")]
    weights = [12, 10, 40, 25, 13]
    n = PROVINCE_CENTRE["total"]
    moments = _receipt_moments(rng, cal, n, dt.date(YEAR, 11, 30))
    late = set(rng.sample(range(n), PROVINCE_CENTRE["late"]))
    prefix = s.unit_code_prefix(centre)
    seq: dict[str, int] = {}
    rows = []
    for i, received in enumerate(moments):
        proc = rng.choices(plist, weights)[0]
        if proc.code in ("1.004359", "1.004692"):  # the fishing-vessel hotline (seed 001)
            channel = rng.choices([Channel.PHONE, Channel.ONLINE, Channel.IN_PERSON], [5, 3, 2])[0]
        else:
            channel = rng.choices([Channel.ONLINE, Channel.IN_PERSON, Channel.POSTAL], [55, 40, 5])[0]
        rules = rules_for(received.date())
        due = clock.due_datetime(received, amount=proc.processing_time, unit=proc.time_unit, channel=channel,
                                 cal=cal, rules=rules)
        finish = _finish_late(rng, cal, due) if i in late else _finish_on_time(rng, cal, received, due)
        period = received.strftime("%y%m%d")
        seq[period] = seq.get(period, 0) + 1
        name, phone, ident = _person(rng)
        digit = rng.random() < 0.9
        rows.append(Dossier(
            code=rules.code_format.format(prefix=prefix, yymmdd=period, seq=seq[period], digits=rules.code_seq_digits),
            procedure=proc, unit=centre, applicant_name=name, applicant_phone=phone, applicant_id_number=ident,
            search_key=search_key(f"{name} {ident} {phone}"), channel=channel, sync_channel=SYNC_CHANNEL[channel],
            received_at=received, due_at=due, due_at_original=due, rule_version=rules.version,
            state=State.RETURNED, finished_at=finish, returned_at=finish + dt.timedelta(hours=1),
            verdict=clock.verdict(due_at=due, end_at=finish, rules=rules).value,
            processing_seconds=clock.processing_seconds(received, finish),
            digitized_components=digit, digitized_result=digit, e_result=digit, reused_data=rng.random() < 0.3,
            fee_amount=proc.fee_amount, result_code=f"{proc.code}/{YEAR}/{i + 1:05d}",
        ))
    with transaction.atomic():
        Dossier.objects.bulk_create(rows, batch_size=1000)
        DossierCodeCounter.objects.bulk_create(
            [DossierCodeCounter(unit=centre, period=p, last_seq=v) for p, v in seq.items()], batch_size=1000)
        created = list(Dossier.objects.filter(unit=centre, received_at__year=YEAR).values_list(
            "pk", "received_at", "finished_at", "returned_at"))
        events = []
        for pk, rec, fin, ret in created:
            events += [
                DossierEvent(dossier_id=pk, at=rec, transition="receive", from_state="", to_state="received"),
                DossierEvent(dossier_id=pk, at=fin, transition="record_result", from_state="processing",
                             to_state="result_ready"),
                DossierEvent(dossier_id=pk, at=ret, transition="return_result", from_state="result_ready",
                             to_state="returned"),
            ]
        DossierEvent.objects.bulk_create(events, batch_size=2000)
        audit_record(action="import", obj=centre, note=f"onestop demo: {len(rows)} hồ sơ năm {YEAR} (bulk)")
        s.onestop_rollups_rebuild(unit_ids=[centre.pk])
    return len(rows)


def load(stdout=None) -> dict[str, Any]:
    """Load the catalogue and the 2023 dossiers (skipped when they are already there)."""
    from congvu.onestop.selectors import onestop_stats
    from congvu.workdays.selectors import work_calendar

    cal = work_calendar()
    with transaction.atomic():
        units = demo_units()
        procs = load_catalogue(units)
    _say(stdout, f"Danh mục: {len(procs)} thủ tục.\n")
    rng = random.Random(SEED)
    if not Dossier.objects.filter(unit=units["desk"], received_at__year=YEAR).exists():
        with transaction.atomic():
            _ba_bich(units, procs, rng, cal, stdout)
    else:
        _say(stdout, "Xã Ba Bích: hồ sơ năm 2023 đã có, bỏ qua.\n")
    rng = random.Random(SEED + 1)
    if not Dossier.objects.filter(unit=units["centre"], received_at__year=YEAR).exists():
        n = _province_centre(units, procs, rng, cal)
        _say(stdout, f"Trung tâm Phục vụ hành chính công tỉnh: {n} hồ sơ năm {YEAR}.\n")
    figures = {
        key: onestop_stats(unit=units[key], date_from=dt.date(YEAR, 1, 1), date_to=dt.date(YEAR, 12, 31))
        for key in ("commune", "centre")
    }
    b, c = figures["commune"], figures["centre"]
    _say(stdout, f"Ba Bích {YEAR}: {b['received']} hồ sơ, trực tuyến {b['online']} ({b['online_rate']}%), "
                 f"trễ hạn {b['late']} ({b['late_rate']}%), số hóa {b['digitized_rate']}%.\n")
    _say(stdout, f"Trung tâm tỉnh {YEAR}: {c['received']} hồ sơ, đúng hạn {c['on_time_rate']}%.\n")
    return figures
