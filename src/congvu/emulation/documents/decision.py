"""Quyết định khen thưởng (DOCX) in the NĐ 30/2020 layout, over a plain mapping. Pure: no Django import.

    decision_docx({
        "issuer": {"parent": "", "name": "Ủy ban nhân dân tỉnh Quảng Ngãi", "place": "Quảng Ngãi"},
        "number": "1234/QĐ-UBND", "decided_on": date,
        "summary": "Về việc tặng danh hiệu Chiến sĩ thi đua cấp tỉnh năm 2024",
        "authority_line": "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH QUẢNG NGÃI",
        "bases": ["Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022", …],      # 'Căn cứ …;'
        "proposal": "Theo đề nghị của … tại Tờ trình số …",
        "title_name": "Chiến sĩ thi đua cấp tỉnh", "year": 2024, "form": "danh hiệu" | "hình thức",
        "awardees": [{"name", "position", "unit", "kind": "person"|"collective", "amount": int}],
        "money": {"coefficient": "3.0", "base_salary": 2340000, "base_salary_source": "NĐ 73/2024/NĐ-CP",
                  "article": "Nghị định số 98/2023/NĐ-CP, Điều 54", "funding": "Quỹ thi đua, khen thưởng …"},
        "executors": "Chánh Văn phòng UBND tỉnh, Trưởng Ban Thi đua - Khen thưởng …",
        "recipients": ["Như Điều 3", "Lưu: VT"],
        "signer": {"prefix": "KT.", "authority": "Chủ tịch", "title": "Phó Chủ tịch", "name": "…"},
    }) -> bytes

Layout (NĐ 30 Phụ lục I): issuer | Quốc hiệu; 'Số: …'; place and date; QUYẾT ĐỊNH + trích yếu;
the deciding authority; căn cứ; QUYẾT ĐỊNH:; Điều 1 (awardees, list attached when more than three),
Điều 2 (money), Điều 3 (execution); Nơi nhận | signature; then the attached list (DANH SÁCH).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from . import docx_base as d

INLINE_MAX = 3


def _who(a: Mapping[str, Any]) -> str:
    bits = [a.get("name", "")]
    if a.get("position"):
        bits.append(a["position"])
    if a.get("unit") and a.get("kind") != "collective":
        bits.append(a["unit"])
    return ", ".join(b for b in bits if b)


def decision_docx(data: Mapping[str, Any]) -> bytes:
    doc = d.new_document()
    number = data.get("number") or ""
    day = data.get("decided_on")
    d.header(doc, data.get("issuer", {}), number=number, day=day)
    d.para(doc, "QUYẾT ĐỊNH", 14, bold=True, align=d.CENTER, before=12, after=0)
    d.para(doc, data.get("summary", ""), 14, bold=True, align=d.CENTER, after=0)
    table = doc.add_table(rows=1, cols=1)
    d.no_borders(table)
    d.rule(table.rows[0].cells[0], 35, d.USABLE_MM)
    d.para(doc, d.upper(data.get("authority_line", "")), 14, bold=True, align=d.CENTER, before=6, after=8)
    for basis in data.get("bases", []):
        d.para(doc, f"Căn cứ {d.nfc(basis).rstrip(';.')};", 14, italic=True, indent=True, align=d.JUSTIFY)
    if data.get("proposal"):
        d.para(doc, f"{d.nfc(data['proposal']).rstrip(';.')}.", 14, italic=True, indent=True, align=d.JUSTIFY)
    d.para(doc, "QUYẾT ĐỊNH:", 14, bold=True, align=d.CENTER, before=8, after=6)

    awardees = list(data.get("awardees", []))
    form = data.get("form", "danh hiệu")
    verb = "Tặng" if form == "hình thức" else "Tặng danh hiệu"
    title_name = data.get("title_name", "")
    year = data.get("year")
    year_txt = f" năm {year}" if year else ""
    persons = sum(1 for a in awardees if a.get("kind") != "collective")
    collectives = len(awardees) - persons
    p = d.para(doc, indent=True, align=d.JUSTIFY)
    d.run(p, "Điều 1. ", 14, bold=True)
    if len(awardees) <= INLINE_MAX:
        names = "; ".join(_who(a) for a in awardees)
        d.run(p, f"{verb} “{title_name}”{year_txt} cho: {names}.", 14)
    else:
        parts = [f"{persons:02d} cá nhân" if persons else "", f"{collectives:02d} tập thể" if collectives else ""]
        d.run(p, f"{verb} “{title_name}”{year_txt} cho {' và '.join(x for x in parts if x)} "
                 f"(có danh sách kèm theo).", 14)
    d.para(doc, "Đã có thành tích xuất sắc trong phong trào thi đua, góp phần vào sự nghiệp xây dựng và phát triển "
                "của địa phương.", 14, indent=True, align=d.JUSTIFY)
    money = data.get("money") or {}
    total = sum(int(a.get("amount") or 0) for a in awardees)
    p = d.para(doc, indent=True, align=d.JUSTIFY)
    d.run(p, "Điều 2. ", 14, bold=True)
    each = sorted({int(a.get("amount") or 0) for a in awardees})
    amount_txt = (f"{d.money(each[0])} đồng" if len(each) == 1 else "theo danh sách kèm theo")
    d.run(p, f"Mức tiền thưởng: {amount_txt} (hệ số {money.get('coefficient', '')} × mức lương cơ sở "
             f"{d.money(money.get('base_salary'))} đồng theo {money.get('base_salary_source', '')}, làm tròn lên "
             f"hàng chục nghìn đồng; {money.get('article', '')}). Tổng số tiền thưởng: {d.money(total)} đồng"
             f"{', trích từ ' + money['funding'] if money.get('funding') else ''}.", 14)
    p = d.para(doc, indent=True, align=d.JUSTIFY)
    d.run(p, "Điều 3. ", 14, bold=True)
    d.run(p, "Quyết định này có hiệu lực kể từ ngày ký. "
             f"{data.get('executors') or 'Thủ trưởng các cơ quan, đơn vị có liên quan'} và các cá nhân, tập thể có tên "
             "tại Điều 1 chịu trách nhiệm thi hành Quyết định này./.", 14)
    d.signature(doc, recipients=list(data.get("recipients") or ["Như Điều 3", "Lưu: VT"]),
                signer=data.get("signer", {}))

    if len(awardees) > INLINE_MAX:
        doc.add_page_break()
        d.para(doc, "DANH SÁCH", 14, bold=True, align=d.CENTER, after=0)
        d.para(doc, f"{verb} “{title_name}”{year_txt}", 14, bold=True, align=d.CENTER, after=0)
        d.para(doc, f"(Kèm theo Quyết định số {number} {d.vn_date(day)} của {data.get('authority_short', '')})".replace(
            " của )", ")"), 13, italic=True, align=d.CENTER, after=6)
        rows = [[f"{i:02d}", a.get("name", ""), a.get("position", ""), a.get("unit", ""), d.money(a.get("amount"))]
                for i, a in enumerate(awardees, start=1)]
        rows.append(["", "Tổng cộng", "", "", d.money(total)])
        d.grid(doc, [("STT", 12), ("Họ và tên / Tập thể", 55), ("Chức vụ", 35), ("Đơn vị", 38), ("Tiền thưởng (đồng)", 25)],
               rows, centred=(0, 4))
    return d.save(doc, title=f"Quyết định {number}", subject=data.get("summary", ""))
