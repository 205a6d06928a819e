"""Certificates (Bằng chứng nhận, Giấy khen, Bằng khen) as PDF with weasyprint. Pure: no Django import.

    certificate_pdf({
        "kind_label": "Giấy khen" | "Bằng khen" | "Giấy chứng nhận",
        "verb": "Tặng" | "Chứng nhận",
        "authority": "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi",
        "title_name": "Chiến sĩ thi đua cấp tỉnh", "year": 2024,
        "name": "Nguyễn Văn A", "position": "Chuyên viên", "unit": "Sở Nội vụ",
        "reason": "Đã có thành tích …",
        "decision_number": "1234/QĐ-UBND", "decided_on": date, "place": "Quảng Ngãi",
        "signer": {"prefix": "KT.", "authority": "Chủ tịch", "title": "Phó Chủ tịch", "name": "…"},
        "serial": "Số vào sổ: 15",
    }) -> bytes

The HTML is built with every value escaped and NFC-normalised; the CSS is data/certificate.css.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from congvu.common.text import nfc

CSS = Path(__file__).resolve().parent.parent / "data" / "certificate.css"
MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def _e(value: object) -> str:
    return html.escape(nfc("" if value is None else str(value)))


def _date(day: dt.date | None) -> str:
    return "ngày …… tháng …… năm ……" if day is None else f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def certificate_html(data: Mapping[str, Any]) -> str:
    signer = data.get("signer", {}) or {}
    prefix = nfc(str(signer.get("prefix", ""))).strip()
    sign_lines = []
    if prefix and signer.get("authority"):
        sign_lines.append(f"{prefix} {signer['authority']}".upper())
    sign_lines.append(str(signer.get("title", "")).upper())
    year = f" năm {data['year']}" if data.get("year") else ""
    details = []
    if data.get("position"):
        details.append(f'<div class="detail">{_e(data["position"])}</div>')
    if data.get("unit"):
        details.append(f'<div class="detail">{_e(data["unit"])}</div>')
    reason = (f'<div class="reason">{_e(data["reason"])}</div>' if data.get("reason") else "")
    title_line = (f'<div class="detail">Danh hiệu: <b>{_e(data.get("title_name"))}{_e(year)}</b></div>'
                  if data.get("title_name") else "")
    ref = (f'Quyết định số {_e(data.get("decision_number"))} {_e(_date(data.get("decided_on")))}'
           if data.get("decision_number") else "")
    body = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>{_e(data.get("kind_label", "Giấy khen"))} - {_e(data.get("name"))}</title>
<style>{CSS.read_text(encoding="utf-8")}</style></head>
<body><div class="frame"><div class="inner">
<div class="motto1">{MOTTO_1}</div>
<div class="motto2">{MOTTO_2}</div>
<div class="authority">{_e(data.get("authority"))}</div>
<div class="verb">{_e(data.get("verb", "Tặng"))}</div>
<div class="kind">{_e(data.get("kind_label", "Giấy khen"))}</div>
<div class="for">{"Cho" if data.get("verb", "Tặng") == "Tặng" else ""}</div>
<div class="name">{_e(data.get("name"))}</div>
{"".join(details)}
{title_line}
{reason}
<table class="foot"><tr>
<td class="ref">{ref}</td>
<td><div class="dateline">{_e(data.get("place") or "…………")}, {_e(_date(data.get("decided_on")))}</div>
{"".join(f'<div class="sign-title">{_e(line)}</div>' for line in sign_lines)}
<div class="sign-name">{_e(signer.get("name"))}</div></td>
</tr></table>
</div>{f'<div class="serial">{_e(data["serial"])}</div>' if data.get("serial") else ""}</div></body></html>"""
    return nfc(body)


def certificate_pdf(data: Mapping[str, Any]) -> bytes:
    from weasyprint import HTML

    return HTML(string=certificate_html(data)).write_pdf()
