"""Writes of the emulation app: `<entity>_<verb>` keyword-only, transactional, audited, policy-checked
(EMULATION_MANAGE for the emulation officer, EMULATION_NOMINATE for units' own registrations and
proposals). `actor=None` is the system (commands, demo).
"""

from congvu.emulation.services.initiatives import (
    initiative_propose,
    initiative_recognise,
    initiative_record,
    initiative_reject,
    initiative_review,
)
from congvu.emulation.services.movements import (
    criterion_add,
    criterion_remove,
    criterion_score_set,
    movement_close,
    movement_create,
    movement_launch,
    pledge_register,
    pledge_sign,
)
from congvu.emulation.services.records import (
    award_code_ok,
    award_record_create,
    employment_check,
    person_year_record_set,
    profile_set,
    research_record,
    unit_year_record_set,
)
from congvu.emulation.services.rounds import (
    candidate_nominate,
    candidate_update,
    candidate_withdraw,
    dossier_gaps,
    required_disclosure_days,
    round_disclose,
    round_open,
    round_prefill,
    round_submit,
)

__all__ = [
    "award_code_ok", "award_record_create", "candidate_nominate", "candidate_update", "candidate_withdraw",
    "dossier_gaps", "required_disclosure_days", "round_disclose", "round_open", "round_prefill", "round_submit", "criterion_add", "criterion_remove", "criterion_score_set",
    "employment_check", "initiative_propose", "initiative_recognise", "initiative_record", "initiative_reject",
    "initiative_review", "movement_close", "movement_create", "movement_launch", "person_year_record_set",
    "pledge_register", "pledge_sign", "profile_set", "research_record", "unit_year_record_set",
]
