"""Indices endpoints (mounted at /api/indices by `congvu.api.core.autodiscover`). The assessment
workflow, points within reach and projection endpoints live in `api_workflow` and are added here."""

from __future__ import annotations

from ninja import Router

from congvu.indices.api_workflow import router as workflow_router

router = Router(tags=["indices"])
router.add_router("", workflow_router)
