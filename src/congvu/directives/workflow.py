"""The task state machine. Pure: states, allowed transitions and who may do each, as a table.

    assigned ──start──▶ in_progress ──report_done──▶ reported_done ──accept──▶ accepted
        │                    ▲                          │
        └──report_done───────┼──────────────────────────┤
                             └──resume── returned ◀─return─┘
    any open state ──cancel──▶ cancelled

Overdue is not a state: it is derived from the deadline and the working-day calendar.
`actor_side` says whose unit the permission is checked against: the task's lead unit
("assignee") or the issuing unit of the notice ("issuer").
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from congvu.common.errors import DomainError
from congvu.org.roles import Action


class State(StrEnum):
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    REPORTED_DONE = "reported_done"
    ACCEPTED = "accepted"
    RETURNED = "returned"
    CANCELLED = "cancelled"


STATE_LABELS: dict[State, str] = {
    State.ASSIGNED: "Đã giao",
    State.IN_PROGRESS: "Đang thực hiện",
    State.REPORTED_DONE: "Đã báo cáo hoàn thành",
    State.ACCEPTED: "Đã hoàn thành (được chấp nhận)",
    State.RETURNED: "Bị trả lại",
    State.CANCELLED: "Đã hủy",
}

OPEN_STATES = frozenset({State.ASSIGNED, State.IN_PROGRESS, State.RETURNED, State.REPORTED_DONE})
#: States in which the assignee still owes work (reminders and overdue apply).
PENDING_WORK_STATES = frozenset({State.ASSIGNED, State.IN_PROGRESS, State.RETURNED})
FINAL_STATES = frozenset({State.ACCEPTED, State.CANCELLED})


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset[State]
    target: State
    action: Action
    actor_side: str  # "assignee" | "issuer"
    label: str
    note_required: bool = False


TRANSITIONS: dict[str, Transition] = {t.name: t for t in [
    Transition("start", frozenset({State.ASSIGNED}), State.IN_PROGRESS, Action.TASK_REPORT, "assignee",
               "Bắt đầu thực hiện"),
    Transition("report_done", frozenset({State.ASSIGNED, State.IN_PROGRESS, State.RETURNED}), State.REPORTED_DONE,
               Action.TASK_REPORT, "assignee", "Báo cáo hoàn thành"),
    Transition("accept", frozenset({State.REPORTED_DONE}), State.ACCEPTED, Action.TASK_ACCEPT, "issuer",
               "Chấp nhận kết quả"),
    Transition("return", frozenset({State.REPORTED_DONE}), State.RETURNED, Action.TASK_ACCEPT, "issuer",
               "Trả lại, yêu cầu thực hiện tiếp", note_required=True),
    Transition("resume", frozenset({State.RETURNED}), State.IN_PROGRESS, Action.TASK_REPORT, "assignee",
               "Tiếp tục thực hiện"),
    Transition("cancel", frozenset(OPEN_STATES), State.CANCELLED, Action.DIRECTIVE_MANAGE, "issuer",
               "Hủy nhiệm vụ", note_required=True),
]}


def transition_for(name: str, current: State | str) -> Transition:
    """The transition `name` from `current`, or a DomainError in Vietnamese saying why not."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise DomainError("task.unknown_transition", f"Thao tác không hợp lệ: {name}.",
                          message_en=f"Unknown transition {name}.")
    current = State(current)
    if current not in transition.sources:
        raise DomainError(
            "task.transition_refused",
            f"Không thể «{transition.label.lower()}» khi nhiệm vụ đang ở trạng thái «{STATE_LABELS[current]}».",
            message_en=f"Transition {name} is not allowed from state {current}.",
            details={"state": current.value, "transition": name},
        )
    return transition


def available(current: State | str) -> list[Transition]:
    current = State(current)
    return [t for t in TRANSITIONS.values() if current in t.sources]
