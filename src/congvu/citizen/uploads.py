"""Kept for callers not yet moved: the one upload validator is `congvu.common.uploads`."""

from congvu.common.uploads import CONTENT_TYPES, KINDS, Checked, check_file, docx_bytes, sniff

__all__ = ["CONTENT_TYPES", "KINDS", "Checked", "check_file", "docx_bytes", "sniff"]
