"""Writes of the one-stop app. Keyword-only, transactional, audited, policy-checked.

`actor=None` means the system (imports, the demo loader, the bench): no policy check, audited as
"system". Every dossier change also updates the daily roll-up (`DailyRollup`) in the same
transaction, as the difference between the dossier's contributions before and after the change,
and tells the listeners registered in `congvu.onestop.hooks`.

One module per stage; this package re-exports their public names, so callers keep
`from congvu.onestop import services` / `services.dossier_receive(...)`:

| module | what |
|---|---|
| `intake` | receipt, guidance, acceptance of a guided dossier, refusal at the desk check |
| `processing` | transfer, steps, supplements, apology, result, return, stop, withdrawal, refusal |
| `procedures` | the procedures catalogue |
| `files` | component and result files, reuse of earlier digitised data |
| `rollups` | daily roll-up counters and their rebuild |
| `codes` | dossier codes |
| `_base` | what they share: time helpers, pauses, the timeline event, `_transition` |
"""

from congvu.onestop.services._base import dossier_pauses
from congvu.onestop.services.codes import CODE_RE, dossier_code_allocate, unit_code_prefix
from congvu.onestop.services.files import (
    ONESTOP_FILE_TYPES,
    dossier_components_record,
    dossier_result_file_attach,
    onestop_files_check,
    onestop_upload_max_bytes,
)
from congvu.onestop.services.intake import (
    dossier_accept_guided,
    dossier_guidance_create,
    dossier_receive,
    dossier_refuse_at_receipt,
)
from congvu.onestop.services.procedures import field_get_or_create, procedure_create, procedure_update
from congvu.onestop.services.processing import (
    BulkOutcome,
    dossier_apologise,
    dossier_close,
    dossier_record_result,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return,
    dossier_step_complete,
    dossier_stop,
    dossier_supplement_received,
    dossier_transfer,
    dossier_withdraw,
    dossiers_return_many,
)
from congvu.onestop.services.rollups import (
    Contribution,
    counter_buckets,
    counters_snapshot,
    dossier_contributions,
    dossier_counts,
    onestop_rollups_rebuild,
    procedure_counter,
    rollup_add,
    rollups_apply,
)

__all__ = [
    "CODE_RE", "ONESTOP_FILE_TYPES", "BulkOutcome", "Contribution", "counter_buckets", "counters_snapshot", "dossier_counts",
    "rollups_apply",
    "dossier_accept_guided", "dossier_apologise", "dossier_close", "dossier_code_allocate",
    "dossier_components_record", "dossier_contributions", "dossier_guidance_create", "dossier_pauses",
    "dossier_receive", "dossier_record_result", "dossier_refuse", "dossier_refuse_at_receipt",
    "dossier_request_supplement", "dossier_result_file_attach", "dossier_return", "dossier_step_complete",
    "dossier_stop", "dossier_supplement_received", "dossier_transfer", "dossier_withdraw",
    "dossiers_return_many", "field_get_or_create", "onestop_files_check", "onestop_rollups_rebuild",
    "onestop_upload_max_bytes", "procedure_counter", "procedure_create", "procedure_update", "rollup_add", "unit_code_prefix",
]
