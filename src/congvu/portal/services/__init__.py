"""Writes of the portal app (keyword-only, transactional, audited)."""

from congvu.portal.services.records import (
    dossier_facts,
    record_key,
    sync_record_add,
    sync_record_cancel,
    sync_record_resend,
)

__all__ = ["dossier_facts", "record_key", "sync_record_add", "sync_record_cancel", "sync_record_resend"]

from congvu.portal.services.reconcile import ReconcileReport, portal_reconcile  # noqa: E402
from congvu.portal.services.sender import SendReport, acks_pull, next_batch, portal_send  # noqa: E402

__all__ += ["ReconcileReport", "SendReport", "acks_pull", "next_batch", "portal_reconcile", "portal_send"]
