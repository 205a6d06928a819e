"""The dossier state machine as a pure table (no Django imports).

    guidance → received → transferred → processing (steps) → result_ready → returned → closed
    supplement_requested: clock paused; resumes the state it left when the supplement arrives
    stopped, withdrawn, refused: terminal side exits

`result_ready` (Đã xử lý xong) is the end of processing for 766; `stopped` (Dừng xử lý),
`refused` (Từ chối) and `withdrawn` (Công dân yêu cầu rút hồ sơ) end it too.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    GUIDANCE = "guidance"
    RECEIVED = "received"
    TRANSFERRED = "transferred"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    RESULT_READY = "result_ready"
    RETURNED = "returned"
    CLOSED = "closed"
    STOPPED = "stopped"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"


STATE_LABELS: dict[State, str] = {
    State.GUIDANCE: "Hướng dẫn",
    State.RECEIVED: "Mới tiếp nhận",
    State.TRANSFERRED: "Đã chuyển xử lý",
    State.PROCESSING: "Đang xử lý",
    State.SUPPLEMENT_REQUESTED: "Yêu cầu bổ sung",
    State.RESULT_READY: "Đã xử lý xong",
    State.RETURNED: "Đã trả kết quả",
    State.CLOSED: "Kết thúc",
    State.STOPPED: "Dừng xử lý",
    State.WITHDRAWN: "Công dân yêu cầu rút hồ sơ",
    State.REFUSED: "Từ chối",
}

# A dossier in one of these states has not finished processing (the 766 clock runs or is paused).
OPEN_STATES = frozenset({State.RECEIVED, State.TRANSFERRED, State.PROCESSING, State.SUPPLEMENT_REQUESTED})
# Reaching one of these ends processing (sets finished_at and the verdict).
FINISHING_STATES = frozenset({State.RESULT_READY, State.STOPPED, State.WITHDRAWN, State.REFUSED})
TERMINAL_STATES = frozenset({State.CLOSED, State.STOPPED, State.WITHDRAWN, State.REFUSED})

RESUME = "<resume>"  # target meaning "the state held before the supplement request"


class Transition(StrEnum):
    RECEIVE = "receive"
    TRANSFER = "transfer"
    STEP_COMPLETE = "step_complete"
    REQUEST_SUPPLEMENT = "request_supplement"
    SUPPLEMENT_RECEIVED = "supplement_received"
    APOLOGISE = "apologise"
    RECORD_RESULT = "record_result"
    RETURN_RESULT = "return_result"
    CLOSE = "close"
    STOP = "stop"
    WITHDRAW = "withdraw"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[State]
    target: State | str | None  # None: stays in the same state (apology); RESUME: back to the previous state
    label: str


_ACTIVE = frozenset({State.RECEIVED, State.TRANSFERRED, State.PROCESSING})

TABLE: dict[Transition, Rule] = {
    Transition.RECEIVE: Rule(frozenset({State.GUIDANCE}), State.RECEIVED, "tiếp nhận hồ sơ"),
    Transition.TRANSFER: Rule(frozenset({State.RECEIVED}), State.TRANSFERRED, "chuyển hồ sơ đến cơ quan giải quyết"),
    Transition.STEP_COMPLETE: Rule(frozenset({State.TRANSFERRED, State.PROCESSING}), State.PROCESSING,
                                   "hoàn thành bước xử lý"),
    Transition.REQUEST_SUPPLEMENT: Rule(_ACTIVE, State.SUPPLEMENT_REQUESTED, "yêu cầu bổ sung hồ sơ"),
    Transition.SUPPLEMENT_RECEIVED: Rule(frozenset({State.SUPPLEMENT_REQUESTED}), RESUME, "nhận hồ sơ bổ sung"),
    Transition.APOLOGISE: Rule(_ACTIVE | {State.SUPPLEMENT_REQUESTED}, None, "gửi phiếu xin lỗi và hẹn lại ngày trả"),
    Transition.RECORD_RESULT: Rule(frozenset({State.TRANSFERRED, State.PROCESSING}), State.RESULT_READY,
                                   "ghi nhận kết quả giải quyết"),
    Transition.RETURN_RESULT: Rule(frozenset({State.RESULT_READY}), State.RETURNED, "trả kết quả"),
    Transition.CLOSE: Rule(frozenset({State.RETURNED}), State.CLOSED, "kết thúc hồ sơ"),
    Transition.STOP: Rule(_ACTIVE | {State.SUPPLEMENT_REQUESTED}, State.STOPPED, "dừng xử lý hồ sơ"),
    Transition.WITHDRAW: Rule(_ACTIVE | {State.SUPPLEMENT_REQUESTED, State.GUIDANCE}, State.WITHDRAWN,
                              "rút hồ sơ"),
    Transition.REFUSE: Rule(_ACTIVE | {State.SUPPLEMENT_REQUESTED, State.GUIDANCE}, State.REFUSED,
                            "từ chối hồ sơ"),
}


class TransitionNotAllowed(Exception):
    def __init__(self, transition: Transition, state: State, message: str):
        super().__init__(message)
        self.transition, self.state, self.message = transition, state, message


def allowed(transition: Transition | str, state: State | str) -> bool:
    return State(state) in TABLE[Transition(transition)].sources


def available(state: State | str) -> list[Transition]:
    return [t for t, rule in TABLE.items() if State(state) in rule.sources]


def target(transition: Transition | str, state: State | str, resume_state: State | str | None = None) -> State:
    """The state after `transition` from `state`; raises TransitionNotAllowed (Vietnamese message)."""
    transition, state = Transition(transition), State(state)
    rule = TABLE[transition]
    if state not in rule.sources:
        if transition is Transition.RETURN_RESULT and state in _ACTIVE | {State.SUPPLEMENT_REQUESTED}:
            message = "Hồ sơ chưa có kết quả giải quyết nên chưa thể trả kết quả."
        else:
            message = (f"Không thể {rule.label} khi hồ sơ đang ở trạng thái \u201c{STATE_LABELS[state]}\u201d.")
        raise TransitionNotAllowed(transition, state, message)
    if rule.target is None:
        return state
    if rule.target == RESUME:
        return State(resume_state) if resume_state else State.PROCESSING
    return State(rule.target)
