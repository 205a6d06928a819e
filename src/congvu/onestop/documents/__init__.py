"""Printable one-stop forms (TT 01/2018/TT-VPCP and TT 03/2025/TT-VPCP), as PDF and DOCX.

Public surface (what views and the API call):

- `dossier_form_pdf(dossier, form_no) -> bytes`
- `dossier_form_docx(dossier, form_no) -> bytes`
- `register_book_pdf(unit, date_from, date_to) -> bytes` / `register_book_docx(...)`
- `available_forms(dossier) -> list[dict]` (which forms apply now, for the officer screen)
- `dossier_form_filename(dossier, form_no, ext)` (download name)

The form set follows the dossier's `rule_version` (registry.FORM_SETS). A form that does not apply
raises `DomainError` with a Vietnamese message (codes `onestop_form.not_applicable`,
`onestop_form.unknown_form`, `onestop_form.unknown_rule_version`, `onestop_form.book_per_unit`,
`onestop_form.book_period`).
"""

from __future__ import annotations

import datetime as dt

from congvu.common.errors import DomainError
from congvu.onestop.documents.data import FormData, book_data_for, form_data_for
from congvu.onestop.documents.registry import FORM_SETS, FormSpec, Kind, form_set, form_spec
from congvu.onestop.documents.render import render_docx, render_html, render_pdf

__all__ = [
    "FORM_SETS", "FormData", "FormSpec", "Kind", "available_forms", "book_data_for", "dossier_form_docx",
    "dossier_form_filename", "dossier_form_pdf", "form_data_for", "form_set", "form_spec", "register_book_docx",
    "register_book_pdf", "render_docx", "render_html", "render_pdf",
]


def dossier_form_pdf(dossier, form_no: str | int) -> bytes:
    data = form_data_for(dossier, form_no)
    return render_pdf(data.form_no, data)


def dossier_form_docx(dossier, form_no: str | int) -> bytes:
    data = form_data_for(dossier, form_no)
    return render_docx(data.form_no, data)


def register_book_pdf(unit, date_from: dt.date, date_to: dt.date) -> bytes:
    data = book_data_for(unit, date_from, date_to)
    return render_pdf(data.form_no, data)


def register_book_docx(unit, date_from: dt.date, date_to: dt.date) -> bytes:
    data = book_data_for(unit, date_from, date_to)
    return render_docx(data.form_no, data)


def dossier_form_filename(dossier, form_no: str | int, ext: str = "pdf") -> str:
    """ASCII-safe download name: 'mau-01-H55.01.12-240207-0001.pdf'."""
    spec = form_spec(dossier.rule_version, form_no)
    return f"mau-{spec.form_no}-{dossier.code}.{ext}"


def available_forms(dossier) -> list[dict]:
    """The dossier's own forms (not the register) with whether each applies now and, if not, why."""
    out = []
    for spec in form_set(dossier.rule_version).forms.values():
        if spec.kind == Kind.BOOK:
            continue
        try:
            form_data_for(dossier, spec.form_no)
            applies, reason = True, ""
        except DomainError as exc:
            applies, reason = False, exc.message
        out.append({"form_no": spec.form_no, "title": spec.title, "kind": spec.kind.value, "applies": applies,
                    "reason": reason})
    return out
