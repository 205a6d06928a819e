"""The assessment round's state machine. Pure: states, transitions, who may do each, as a table.

    draft ──submit──▶ submitted ──complete──▶ appraised ──publish──▶ published (frozen)
                          │   ▲                   │
                       return │answer           reopen (before publishing)
                          ▼   │                   ▼
                       returned ──answer──▶ answered ──complete──▶ appraised
                                               └──return──▶ returned

The unit (`INDEX_SELF_ASSESS`) edits its self-assessment in `draft` and `returned` and moves it
forward with `submit` / `answer`; the assessor (`INDEX_APPRAISE`) appraises leaves while the round
is `submitted` or `answered`, returns it, completes the appraisal and publishes. Nothing changes a
`published` round: its result is frozen with the framework version it used.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from congvu.common.errors import DomainError
from congvu.org.roles import Action


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ANSWERED = "answered"
    APPRAISED = "appraised"
    PUBLISHED = "published"


STATE_LABELS: dict[State, str] = {
    State.DRAFT: "Đơn vị đang tự đánh giá",
    State.SUBMITTED: "Đã gửi thẩm định",
    State.RETURNED: "Trả lại để giải trình, bổ sung",
    State.ANSWERED: "Đơn vị đã giải trình",
    State.APPRAISED: "Đã thẩm định",
    State.PUBLISHED: "Đã công bố",
}

#: the unit may edit its self-assessment (scores, explanations, evidence)
UNIT_EDITABLE = frozenset({State.DRAFT, State.RETURNED})
#: the assessor may appraise leaves
APPRAISABLE = frozenset({State.SUBMITTED, State.ANSWERED})
#: whose turn it is, for deadlines and reminders
UNIT_TURN = frozenset({State.DRAFT, State.RETURNED})
ASSESSOR_TURN = frozenset({State.SUBMITTED, State.ANSWERED, State.APPRAISED})


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[State]
    target: State
    action: Action
    label: str
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {t.name: t for t in [
    Transition("submit", frozenset({State.DRAFT}), State.SUBMITTED, Action.INDEX_SELF_ASSESS, "Gửi thẩm định"),
    Transition("return", frozenset({State.SUBMITTED, State.ANSWERED}), State.RETURNED, Action.INDEX_APPRAISE,
               "Trả lại để giải trình, bổ sung", note_required=True),
    Transition("answer", frozenset({State.RETURNED}), State.ANSWERED, Action.INDEX_SELF_ASSESS,
               "Gửi giải trình", note_required=True),
    Transition("complete", frozenset({State.SUBMITTED, State.ANSWERED}), State.APPRAISED, Action.INDEX_APPRAISE,
               "Hoàn tất thẩm định"),
    Transition("reopen", frozenset({State.APPRAISED}), State.SUBMITTED, Action.INDEX_APPRAISE,
               "Mở lại để thẩm định", note_required=True),
    Transition("publish", frozenset({State.APPRAISED}), State.PUBLISHED, Action.INDEX_APPRAISE, "Công bố kết quả"),
]}


def transition_for(name: str, state: str) -> Transition:
    """The transition `name` from `state`, or a DomainError saying why not."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise DomainError("assessment.unknown_transition", f"Không có thao tác «{name}».")
    current = State(state)
    if current is State.PUBLISHED:
        raise DomainError("assessment.published", "Kết quả đã công bố và được khóa; không thể thay đổi.",
                          message_en="The result is published and frozen.")
    if current not in transition.sources:
        raise DomainError("assessment.bad_state",
                          f"Không thể «{transition.label.lower()}» khi kỳ đánh giá đang ở trạng thái "
                          f"«{STATE_LABELS[current].lower()}».")
    return transition


def available(state: str, allowed_actions: set[Action] | frozenset[Action]) -> list[Transition]:
    """Transitions from `state` that a user with `allowed_actions` may take (for the buttons)."""
    current = State(state)
    return [t for t in TRANSITIONS.values() if current in t.sources and t.action in allowed_actions]
