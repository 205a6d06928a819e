"""Biên bản họp Hội đồng Thi đua – Khen thưởng (DOCX), over a plain mapping. Pure: no Django import.

    minutes_docx({
        "issuer": {"parent": "UBND tỉnh Quảng Ngãi", "name": "Hội đồng Thi đua - Khen thưởng", "place": "Quảng Ngãi"},
        "number": "05/BB-HĐTĐKT",                  # optional
        "subject": "Xét khen thưởng tổng kết năm 2024",
        "held_on": date, "started_at": "08 giờ 00", "ended_at": "10 giờ 30", "location": "…",
        "chair": "Nguyễn Văn A - Chủ tịch UBND tỉnh, Chủ tịch Hội đồng", "secretary": "…",
        "members": [{"name", "role", "present": bool, "written": bool}],  # written: absent, voted in writing
        "quorum_text": "Có mặt 7/9 thành viên, …",
        "results": [{"candidate", "unit", "title", "ballot": "open"|"secret", "yes", "no", "abstain",
                     "members", "percent", "approved": bool, "text"}],
        "conclusion": "…",
    }) -> bytes

A secret ballot is reported as counts only (the minutes never say who chose what); an open ballot
may list the votes by member under `open_votes` [{"candidate", "title", "votes": [(name, choice_vi)]}].
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import docx_base as d

BALLOT_VI = {"open": "Biểu quyết công khai", "secret": "Bỏ phiếu kín"}


def minutes_docx(data: Mapping[str, Any]) -> bytes:
    doc = d.new_document()
    d.header(doc, data.get("issuer", {}), number=data.get("number"), day=data.get("held_on"))
    d.para(doc, "BIÊN BẢN", 14, bold=True, align=d.CENTER, before=12, after=0)
    d.para(doc, data.get("subject", "Họp Hội đồng Thi đua - Khen thưởng"), 14, bold=True, align=d.CENTER, after=8)

    held = data.get("held_on")
    start = data.get("started_at", "")
    d.para(doc, f"Thời gian: {start + ', ' if start else ''}{d.vn_date(held)}.", indent=True, align=d.JUSTIFY)
    if data.get("location"):
        d.para(doc, f"Địa điểm: {data['location']}.", indent=True, align=d.JUSTIFY)
    d.para(doc, "I. THÀNH PHẦN", bold=True, before=6)
    if data.get("chair"):
        d.para(doc, f"Chủ trì: {data['chair']}.", indent=True, align=d.JUSTIFY)
    if data.get("secretary"):
        d.para(doc, f"Thư ký: {data['secretary']}.", indent=True, align=d.JUSTIFY)
    members = list(data.get("members", []))
    present = [m for m in members if m.get("present")]
    written = [m for m in members if not m.get("present") and m.get("written")]
    away = [m for m in members if not m.get("present") and not m.get("written")]
    d.para(doc, f"Tổng số thành viên Hội đồng: {len(members):02d}; có mặt: {len(present):02d}; vắng mặt: "
                f"{len(members) - len(present):02d} (trong đó {len(written):02d} thành viên gửi phiếu bằng văn bản).",
           indent=True, align=d.JUSTIFY)
    for label, group in (("Thành viên có mặt", present), ("Vắng mặt, có phiếu bằng văn bản", written),
                         ("Vắng mặt", away)):
        if group:
            d.para(doc, f"{label}:", indent=True, italic=True)
            for m in group:
                role = f" - {m['role']}" if m.get("role") else ""
                d.para(doc, f"- {m.get('name', '')}{role}.", indent=True)
    if data.get("quorum_text"):
        d.para(doc, data["quorum_text"], indent=True, align=d.JUSTIFY, before=3)

    d.para(doc, "II. NỘI DUNG", bold=True, before=6)
    d.para(doc, "Hội đồng xem xét hồ sơ, thành tích của các cá nhân, tập thể được đề nghị và biểu quyết hoặc "
                "bỏ phiếu kín theo quy định cho từng danh hiệu, hình thức khen thưởng; tỷ lệ đồng ý tính trên "
                "tổng số thành viên Hội đồng, kể cả phiếu bằng văn bản của thành viên vắng mặt.",
           indent=True, align=d.JUSTIFY)
    results = list(data.get("results", []))
    d.para(doc, "III. KẾT QUẢ", bold=True, before=6, after=3)
    rows = []
    for i, r in enumerate(results, start=1):
        rows.append([
            f"{i:02d}", r.get("candidate", ""), r.get("title", ""), BALLOT_VI.get(r.get("ballot", ""), r.get("ballot", "")),
            r.get("yes", 0), r.get("no", 0), r.get("abstain", 0),
            f"{r.get('percent', 0):g} %".replace(".", ","), "Đạt" if r.get("approved") else "Không đạt",
        ])
    d.grid(doc, [("STT", 10), ("Cá nhân, tập thể", 40), ("Danh hiệu, hình thức", 30), ("Hình thức xét", 20),
                 ("Đồng ý", 12), ("Không đồng ý", 13), ("Không biểu quyết", 13), ("Tỷ lệ/tổng số TV", 14),
                 ("Kết quả", 13)], rows, size=10.5, centred=(0, 3, 4, 5, 6, 7, 8))
    for r in results:
        if r.get("text"):
            d.para(doc, f"- {r.get('candidate', '')} ({r.get('title', '')}): {r['text']}", 12, indent=True,
                   align=d.JUSTIFY, after=0)
    for block in data.get("open_votes", []) or []:
        d.para(doc, f"Biểu quyết công khai - {block.get('candidate', '')} ({block.get('title', '')}):", 12,
               italic=True, indent=True, before=3, after=0)
        for name, choice in block.get("votes", []):
            d.para(doc, f"+ {name}: {choice}", 12, indent=True, after=0)
    passed = sum(1 for r in results if r.get("approved"))
    d.para(doc, "IV. KẾT LUẬN", bold=True, before=6)
    d.para(doc, data.get("conclusion") or
           f"Hội đồng thống nhất đề nghị cấp có thẩm quyền khen thưởng {passed:02d}/{len(results):02d} trường hợp "
           f"đạt tỷ lệ phiếu đồng ý theo quy định.", indent=True, align=d.JUSTIFY)
    if data.get("ended_at"):
        d.para(doc, f"Cuộc họp kết thúc lúc {data['ended_at']} cùng ngày. Biên bản đã được thông qua trước Hội đồng./.",
               indent=True, align=d.JUSTIFY)
    table = doc.add_table(rows=1, cols=2)
    d.no_borders(table)
    d.widths(table, [d.USABLE_MM / 2, d.USABLE_MM / 2])
    d.signer_block(table.rows[0].cells[0], {"title": "THƯ KÝ", "name": data.get("secretary_name", "")}, reuse=True)
    d.signer_block(table.rows[0].cells[1], {"title": "CHỦ TRÌ", "name": data.get("chair_name", "")}, reuse=True)
    return d.save(doc, title=f"Biên bản {data.get('subject', '')}", subject="Biên bản họp Hội đồng Thi đua - Khen thưởng")
