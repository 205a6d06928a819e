"""Writes of the portal app (keyword-only, transactional, audited)."""

from congvu.portal.services.records import (
    dossier_facts,
    record_key,
    sync_record_add,
    sync_record_cancel,
    sync_record_resend,
)

__all__ = ["dossier_facts", "record_key", "sync_record_add", "sync_record_cancel", "sync_record_resend"]
