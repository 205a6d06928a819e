"""Emulation documents over plain mappings (no database access): the council's minutes (DOCX), the
award decision in the NĐ 30/2020 layout (DOCX) and certificates (PDF). Pure: no Django import."""

from .certificate import certificate_html, certificate_pdf
from .decision import decision_docx
from .minutes import minutes_docx

__all__ = ["certificate_html", "certificate_pdf", "decision_docx", "minutes_docx"]
