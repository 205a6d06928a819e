"""Emulation endpoints (mounted at /api/emulation by `congvu.api.core.autodiscover`).

The council, decision, awards-register and exemplar endpoints live in `api_council` and are
included here, so each part of the app keeps its own module."""

from __future__ import annotations

from ninja import Router

from congvu.emulation.api_council import router as council_router

router = Router(tags=["emulation"])
router.add_router("", council_router)
