"""Vetting of the tasks the grammar found (pure, no Django).

The grammar finds sentences that name a body and say what it does; some of them are not directives.
This module holds the language-level reasons, each tested on the task's place in the whole text:

- ``preamble``: before the "QUYẾT ĐỊNH:" / "QUYẾT NGHỊ:" line of a decision or resolution (its
  "Căn cứ ...", "Theo đề nghị của ..." lines cite other documents and their bodies);
- ``execution_clause``: the formula that closes a decision ("Chánh Văn phòng ...; Giám đốc các sở ...
  chịu trách nhiệm thi hành Quyết định này", "... căn cứ Quyết định thi hành");
- ``aims``: under a heading of aims or objectives ("MỤC TIÊU", "MỤC ĐÍCH, YÊU CẦU");
- ``narration``: news about a named person ("Đồng chí Nguyễn Văn A, Phó Chủ tịch UBND tỉnh trình bày
  báo cáo tại kỳ họp"), a photo caption or an appraisal, with no request in it.

A task rejected for one of these reasons is not lost: it goes to the document's ``candidates`` with its
reason, and the import screen offers it to the clerk. Tasks whose confidence is under
``CANDIDATE_THRESHOLD`` go there too (the threshold is calibrated on the dev corpus, leave one batch out:
see docs/extraction.md).
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from .normalize import fold

# Calibrated on the dev corpus (docs/extraction.md, "Confidence threshold"); a task strictly under it is a
# candidate. 0.0 keeps every task the rules keep.
CANDIDATE_THRESHOLD = 0.6

_DECIDES = re.compile(r"^[ \t|]*(?:QUYẾT ĐỊNH|QUYẾT NGHỊ)\s*:\s*$", re.MULTILINE)
_EXECUTION = re.compile(
    r"(?:chiu trach nhiem|co trach nhiem)\s+(?:to chuc\s+)?thi hanh"
    r"|can cu (?:quyet dinh|nghi quyet|chi thi)(?:\s+nay)?\s+(?:de\s+)?thi hanh"
    r"|thi hanh (?:quyet dinh|nghi quyet) nay"
)
_AIMS = re.compile(r"^(?:muc tieu|muc dich|yeu cau\W*$|muc dich,? yeu cau|quan diem)")
_NUMBERING = re.compile(r"^\s*(?:[IVXLC]+|\d+(?:\.\d+)*|[a-zđ])\s*[.)/]\s*", re.IGNORECASE)
_REQUEST = re.compile(r"(?<![\w])(?:yeu cau|de nghi|giao|chi dao|phan cong|luu y|can|phai)(?![\w])")
# "Đồng chí Nguyễn Ngọc Sâm, ...": a person named by name (not by office) opens news, not a directive
_PERSON = re.compile(
    r"^(?:Đồng chí|Ông|Bà)\s+(?!(?:Chủ tịch|Phó|Bí thư|Giám đốc|Trưởng|Thủ trưởng|Bộ trưởng|Thứ trưởng|Chánh|Cục trưởng)\b)"
    r"[A-ZĐ\u00c0-\u1ef8][\w]*\s+[A-ZĐ\u00c0-\u1ef8]"
)
_NARRATED_VERB = re.compile(
    r"(?<![\w])(?:trinh bay|phat bieu|chu tri|du|tham du|danh gia cao|bieu duong|ghi nhan|cam on|tham quan|"
    r"tiep|trao|tang|chuc mung|thong tin|cho biet|nhan manh)(?![\w])"
)


# Openings of a plan's targets and inventories rather than of an action ("Tỷ lệ ... đạt 100%", "Ít nhất 30% ...",
# "Dự án đường trục ...", "Tài sản kết cấu hạ tầng ... - Bộ Xây dựng")
_TARGET_OPENING = re.compile(r"^(?:\(?[ivx]+\)\s*)?(?:ty le|it nhat|toi thieu|phan dau (?:dat|co)|du an|tai san|tong (?:so|von|muc)|"
                             r"so luong|chi tieu|von|kinh phi|cac noi dung khac)(?![\w])")
_DIRECTIVE_ANY = re.compile(r"(?<![\w])(?:giao|de nghi|yeu cau|chu tri|phoi hop|tham muu|chiu trach nhiem|co trach nhiem|"
                            r"bao cao|huong dan|kiem tra|don doc|chi dao|khan truong)(?![\w])")


def _same(a: str | None, b: str | None) -> bool:
    fa, fb = (re.sub(r"\W+", " ", fold(x or "")).replace("uy ban nhan dan", "ubnd").strip() for x in (a, b))
    return bool(fa) and fa == fb


def plausibility_penalty(task: dict[str, Any], issuer: str | None) -> float:
    """How much less likely a found sentence is a task, from features of its own text: the issuer assigned to
    itself without naming itself (a plan's targets and measures under the plan's own name), a target or an
    inventory line, no directive verb in a text that names no body."""
    source = task.get("source_text") or ""
    folded = fold(source)
    assignee = task.get("assignee")
    named = bool(assignee) and fold(assignee)[:20] in folded
    penalty = 0.0
    if assignee and _same(assignee, issuer) and not named:
        penalty += 0.3
    if _TARGET_OPENING.match(folded.strip()):
        penalty += 0.2
    if not named and not _DIRECTIVE_ANY.search(folded):
        penalty += 0.1
    return penalty


def _sentence_around(text: str, start: int, end: int) -> str:
    """The task's sentence (or paragraph) in the whole text: from the last full stop or line end before it
    to the first full stop after its end."""
    left = max(text.rfind("\n", 0, start), text.rfind(". ", 0, start))
    m = re.compile(r"\.(?:/\.)?(?=\s|$)|\n\s*\n").search(text, end)
    right = m.start() if m else len(text)
    return text[left + 1:right]


_HEADING_LINE = re.compile(r"^[ \t]*(?P<line>\S[^\n]*?)[ \t]*$", re.MULTILINE)


def _headings(text: str) -> list[tuple[int, str]]:
    """The heading lines of a text with their offsets: upper-case lines, and short numbered lines that do not
    end a sentence."""
    out = []
    # _HEADING_LINE's matches, found line by line: the pattern's lazy line end was tried at every character
    # of the text (a few ms on a long document); each line starts a match when it has a non-space character
    # after its spaces and tabs, and the match is the line without them.
    start = 0
    for raw in text.split("\n"):
        at, start = start, start + len(raw) + 1
        line = raw.lstrip(" \t")
        if not line or line[0].isspace():
            continue
        line = line.rstrip(" \t")
        if len(line) > 160:
            continue
        upper = line.isupper() and len(line) >= 4  # str.isupper: every cased character is upper case
        if upper or (len(line) <= 60 and not line.endswith((".", ";")) and _NUMBERING.match(line)):
            out.append((at, line))
    return out


def _heading_before(headings: list[tuple[int, str]], start: int) -> str | None:
    i = bisect.bisect_left(headings, (start, "")) - 1
    return headings[i][1] if i >= 0 else None


def rejection(text: str, task: dict[str, Any], decides_at: int | None = -1,
              headings: list[tuple[int, str]] | None = None) -> str | None:
    """Why a task found by the grammar is not a task (a reason key), or None. `decides_at`: where the
    "QUYẾT ĐỊNH:" line starts (None when there is none; -1: look it up)."""
    start, end = task["start"], task["end"]
    if decides_at == -1:
        decides_at = decision_line(text)
    if decides_at is not None and start < decides_at:
        return "preamble"
    sentence = fold(_sentence_around(text, start, end))
    if _EXECUTION.search(sentence):
        return "execution_clause"
    heading = _heading_before(_headings(text) if headings is None else headings, start)
    if heading and _AIMS.match(fold(_NUMBERING.sub("", heading, count=1)).strip()):
        return "aims"
    source = task.get("source_text") or ""
    if _PERSON.match(source) and not _REQUEST.search(fold(source)):
        return "narration"
    if _NARRATED_VERB.search(fold(source[:120])) and not _REQUEST.search(fold(source)) and _PERSON.match(source):
        return "narration"
    return None


def decision_line(text: str) -> int | None:
    """Where the "QUYẾT ĐỊNH:" / "QUYẾT NGHỊ:" line starts, or None."""
    found = _DECIDES.search(text) if "QUYẾT " in text else None  # a substring test is far cheaper than the pattern
    return found.start() if found else None


def split(items: list[Any], threshold: float = CANDIDATE_THRESHOLD) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Split proposals (objects with `.task` and `.reason`, the vetting rule's reason or None) into (tasks,
    candidates); each candidate carries `candidate_reason`."""
    kept: list[dict[str, Any]] = []
    candidates: list[dict[str, Any]] = []
    for item in items:
        task, reason = item.task, item.reason
        # a dated duty stays a task whatever else is unsure (the clerk places it: flags say what to check)
        confidence = getattr(item, "confidence", None)
        confidence = task.get("confidence", 1.0) if confidence is None else confidence
        if reason is None and not task.get("deadline") and confidence < threshold:
            reason = "low_confidence"
        if reason is None:
            kept.append(task)
        else:
            candidates.append({**task, "candidate_reason": reason})
    return kept, candidates
