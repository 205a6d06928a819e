"""Renderers: form number + FormData → PDF (weasyprint, Django templates) or DOCX (python-docx).

The templates live in `onestop/templates/onestop/forms/` and are rendered by a dedicated Django
template engine whose builtins are the forms' filters (`documents.templatetags`), so the project's
template settings need no change. The HTML is NFC-normalised before weasyprint sees it.
"""

from __future__ import annotations

import functools
from typing import Any

from congvu.common.errors import DomainError
from congvu.onestop.documents import word
from congvu.onestop.documents.data import ApologyData, BookData, FormData, StopData
from congvu.onestop.documents.fmt import nfc
from congvu.onestop.documents.registry import FormSpec, form_spec


@functools.cache
def _engine():
    from django.template import Engine

    return Engine(app_dirs=True, builtins=["congvu.onestop.documents.templatetags"], autoescape=True)


def _spec(form_no: str | int, data: FormData) -> FormSpec:
    spec = form_spec(data.rule_version, form_no)
    if spec.form_no != data.form_no:
        raise DomainError("onestop_form.mismatch",
                          f"Dữ liệu của Mẫu {data.form_no} không dùng để in Mẫu {spec.form_no}.")
    return spec


def render_html(form_no: str | int, data: FormData) -> str:
    from django.template import Context

    spec = _spec(form_no, data)
    context: dict[str, Any] = {"data": data, "spec": spec, "motto_1": word.MOTTO_1, "motto_2": word.MOTTO_2}
    if isinstance(data, ApologyData):
        context["paragraphs"] = word.apology_body(data)
    if isinstance(data, StopData):
        context["paragraphs"] = word.stop_body(data)
    if isinstance(data, ApologyData | StopData):
        context["recipients"] = word.letter_recipients(data)
    if isinstance(data, BookData):
        context["period"] = word.book_period(data)
    return nfc(_engine().get_template(spec.template).render(Context(context)))


def render_pdf(form_no: str | int, data: FormData) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(form_no, data)).write_pdf()


def render_docx(form_no: str | int, data: FormData) -> bytes:
    return _spec(form_no, data).docx(data)
