"""The editable draft of an import: pure functions over plain dicts (no Django).

A draft is {"meta": {...}, "tasks": [task...], "reports": [report...], "next_id": int}; each task
is {"id", "assignee", "unit_id", "candidates", "co_assignees", "co_unit_ids", "action", "deadline",
"deadline_text", "source_text", "start", "end", "flags"}. "suggestions" (optional) holds the sentences the
extractor found but did not trust as tasks, each with its "reason"; `adopt_suggestion` makes one a task.
Review-screen operations (edit, merge, split, add, delete, resolve, adopt) are functions draft → draft; flags
are recomputed after each one.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

FLAG_LABELS: dict[str, str] = {
    "deadline_before_date": "Thời hạn trước ngày ban hành văn bản — kiểm tra lại",
    "assignee_unmatched": "Không tìm thấy đơn vị chủ trì trong danh mục — chọn đơn vị",
    "assignee_ambiguous": "Tên đơn vị chủ trì khớp nhiều đơn vị — chọn một",
    "assignee_generic": "Giao chung cho nhiều cơ quan — chọn đơn vị chủ trì nếu cần theo dõi",
    "assignee_missing": "Chưa có đơn vị chủ trì",
    "co_assignee_unmatched": "Có đơn vị phối hợp chưa xác định",
    "no_deadline": "Không có thời hạn cụ thể",
    "deadline_vague": "Thời hạn ghi chung chung, không quy ra ngày",
    "action_missing": "Chưa có nội dung nhiệm vụ",
}

#: Flags that describe the resolution of the lead; recomputed, not carried over.
_DERIVED = {"deadline_before_date", "assignee_unmatched", "assignee_ambiguous", "assignee_missing",
            "no_deadline", "deadline_vague", "action_missing", "co_assignee_unmatched"}


def flag_label(code: str) -> str:
    return FLAG_LABELS.get(code, code.replace("_", " "))


def _iso(value: Any) -> str | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def recompute_flags(task: dict, doc_date: str | None) -> dict:
    flags = [f for f in task.get("flags", []) if f not in _DERIVED]
    if not (task.get("action") or "").strip():
        flags.append("action_missing")
    if task.get("unit_id") is None and "assignee_generic" not in flags:
        if task.get("candidates") and len(task["candidates"]) > 1:
            flags.append("assignee_ambiguous")
        elif (task.get("assignee") or "").strip():
            flags.append("assignee_unmatched")
        else:
            flags.append("assignee_missing")
    if len(task.get("co_unit_ids") or []) < len(task.get("co_assignees") or []):
        flags.append("co_assignee_unmatched")
    deadline = _iso(task.get("deadline"))
    if deadline is None:
        flags.append("deadline_vague" if (task.get("deadline_text") or "").strip() else "no_deadline")
    elif doc_date and deadline < doc_date:
        flags.append("deadline_before_date")
    task["flags"] = list(dict.fromkeys(flags))
    return task


def refresh(draft: dict) -> dict:
    doc_date = _iso(draft.get("meta", {}).get("date")) or _iso(draft.get("meta", {}).get("meeting_date"))
    for task in draft.get("tasks", []):
        recompute_flags(task, doc_date)
    return draft


def _find(draft: dict, task_id: str) -> int:
    for i, task in enumerate(draft["tasks"]):
        if task["id"] == task_id:
            return i
    raise KeyError(task_id)


def _new_id(draft: dict) -> str:
    draft["next_id"] = int(draft.get("next_id", len(draft["tasks"]) + 1)) + 1
    return f"t{draft['next_id']}"


def blank_task(task_id: str) -> dict:
    return {"id": task_id, "assignee": "", "unit_id": None, "candidates": [], "co_assignees": [], "co_unit_ids": [],
            "action": "", "deadline": None, "deadline_text": "", "source_text": "", "start": None, "end": None,
            "flags": []}


def update_task(draft: dict, task_id: str, **fields: Any) -> dict:
    draft = copy.deepcopy(draft)
    task = draft["tasks"][_find(draft, task_id)]
    for key, value in fields.items():
        if key == "deadline":
            value = _iso(value)
        if key == "unit_id":
            value = int(value) if value not in (None, "") else None
            if value is not None:
                task["flags"] = [f for f in task.get("flags", []) if f != "assignee_generic"]
        task[key] = value
    return refresh(draft)


def add_task(draft: dict, after: str | None = None, **fields: Any) -> tuple[dict, str]:
    draft = copy.deepcopy(draft)
    task = blank_task(_new_id(draft))
    pos = _find(draft, after) + 1 if after else len(draft["tasks"])
    draft["tasks"].insert(pos, task)
    return update_task(draft, task["id"], **fields) if fields else refresh(draft), task["id"]


SUGGESTION_REASONS: dict[str, str] = {
    "preamble": "Thuộc phần căn cứ của văn bản",
    "execution_clause": "Điều khoản thi hành",
    "aims": "Thuộc phần mục tiêu, yêu cầu",
    "narration": "Câu tường thuật",
    "low_confidence": "Độ tin cậy thấp",
}


def suggestion_reason(code: str) -> str:
    return SUGGESTION_REASONS.get(code, code)


def adopt_suggestion(draft: dict, suggestion_id: str) -> tuple[dict, str]:
    """Make one of the extractor's suggestions a task of the draft (placed by its position in the text)."""
    draft = copy.deepcopy(draft)
    found = [s for s in draft.get("suggestions", []) if s.get("id") == suggestion_id]
    if not found:  # already adopted (a second click, another tab): nothing to do
        return refresh(draft), ""
    sug = found[0]
    draft["suggestions"] = [s for s in draft["suggestions"] if s.get("id") != suggestion_id]
    task = blank_task(_new_id(draft))
    for key in ("assignee", "co_assignees", "action", "deadline", "deadline_text", "source_text", "start", "end",
                "confidence"):
        if sug.get(key) is not None:
            task[key] = copy.deepcopy(sug[key])
    start = sug.get("start")
    pos = len(draft["tasks"])
    if isinstance(start, int):
        pos = next((i for i, t in enumerate(draft["tasks"]) if isinstance(t.get("start"), int) and t["start"] > start),
                   pos)
    draft["tasks"].insert(pos, task)
    return refresh(draft), task["id"]


def delete_tasks(draft: dict, task_ids: list[str]) -> dict:
    draft = copy.deepcopy(draft)
    draft["tasks"] = [t for t in draft["tasks"] if t["id"] not in set(task_ids)]
    return refresh(draft)


def merge_tasks(draft: dict, task_ids: list[str]) -> dict:
    """Merge into the first selected task: actions and source texts joined, span widened, the
    earliest deadline kept, co-assignees united."""
    if len(task_ids) < 2:
        return draft
    draft = copy.deepcopy(draft)
    order = sorted(task_ids, key=lambda i: _find(draft, i))
    first = draft["tasks"][_find(draft, order[0])]
    for other_id in order[1:]:
        other = draft["tasks"][_find(draft, other_id)]
        first["action"] = "; ".join(x for x in [first["action"].rstrip(" ;."), other["action"]] if x)
        first["source_text"] = "\n".join(x for x in [first.get("source_text"), other.get("source_text")] if x)
        starts = [x for x in (first.get("start"), other.get("start")) if x is not None]
        ends = [x for x in (first.get("end"), other.get("end")) if x is not None]
        first["start"], first["end"] = (min(starts) if starts else None), (max(ends) if ends else None)
        deadlines = [d for d in (_iso(first.get("deadline")), _iso(other.get("deadline"))) if d]
        if deadlines:
            first["deadline"] = min(deadlines)
            first["deadline_text"] = first.get("deadline_text") or other.get("deadline_text", "")
        for name in other.get("co_assignees", []):
            if name not in first["co_assignees"]:
                first["co_assignees"].append(name)
        for uid in other.get("co_unit_ids", []):
            if uid not in first["co_unit_ids"]:
                first["co_unit_ids"].append(uid)
        draft["tasks"].remove(other)
    return refresh(draft)


def split_task(draft: dict, task_id: str, parts: list[str]) -> dict:
    """Replace a task by one task per non-empty action in `parts`, keeping assignee and deadline."""
    parts = [p.strip() for p in parts if p and p.strip()]
    if len(parts) < 2:
        return draft
    draft = copy.deepcopy(draft)
    pos = _find(draft, task_id)
    original = draft["tasks"][pos]
    new_tasks = []
    for i, action in enumerate(parts):
        task = copy.deepcopy(original)
        task["action"] = action
        if i:
            task["id"] = _new_id(draft)
        new_tasks.append(task)
    draft["tasks"][pos:pos + 1] = new_tasks
    return refresh(draft)


#: Flags that mean the extractor could not place something the clerk must set.
_UNPLACED = {"assignee_missing", "assignee_unmatched", "assignee_ambiguous", "no_deadline", "deadline_vague",
             "action_missing"}


def review_hints(task: dict) -> dict:
    """What the review screen shows beside a task: the extractor's confidence (percent, and low / medium /
    high) and whether something is unplaced (no assignee, no deadline, unit not found)."""
    conf = task.get("confidence")
    try:
        conf = float(conf) if conf is not None else None
    except (TypeError, ValueError):
        conf = None
    level = "unknown" if conf is None else ("high" if conf >= 0.8 else "medium" if conf >= 0.55 else "low")
    unplaced = [f for f in task.get("flags", []) if f in _UNPLACED]
    return {"confidence_pct": None if conf is None else round(conf * 100), "confidence_level": level,
            "unplaced": unplaced, "needs_check": bool(unplaced) or level == "low"}
