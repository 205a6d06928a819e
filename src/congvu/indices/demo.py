"""Demo step (`congvu demo`, settings.CONGVU_DEMO_STEPS): the shipped frameworks (766, DTI, PAR INDEX
template, SIPAS)."""

from __future__ import annotations

from typing import Any


def load(stdout=None) -> dict[str, Any]:
    from congvu.indices.services import frameworks_load_shipped

    versions = frameworks_load_shipped()
    if stdout is not None:
        stdout.write(f"Bộ chỉ số: {', '.join(f'{v.framework.code} {v.version}' for v in versions)}.\n")
    return {"frameworks": len(versions)}
