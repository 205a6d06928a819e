"""`extract_text` / `extract_file`: a document in, the extraction contract dict out.

The contract is shared/eval/README.md's: doc_type, number, issuer, date, meeting_date, title, tasks
(assignee, assignee_unit, co_assignees, action, deadline, deadline_text, source_text, start, end) and
reports. Each task also carries `generic` and `flags` for the clerk; the document also carries place,
signer, signing_authority, signer_title and recipients. `start`/`end` index `document_text(text)`:
the NFC form of the text (legacy TCVN3/VNI text converted first), so that
`document_text(text)[start:end] == source_text`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from os import PathLike
from typing import Any

from .bodies import tidy
from .deadlines import WorkdayAdder, effective_dates
from .document import DocumentInfo, appendix_start, attachment_span, parse_document
from .layout import LazyBlocks, build_blocks, iter_blocks
from .model import load_model, probability, task_features
from .normalize import clean_lines, fold, prepare
from .resolve import RegistryUnit, Resolver
from .tasks import Context, TaskDraft, TaskExtractor, flat_table_tasks
from .vetting import CANDIDATE_THRESHOLD, _headings, decision_line, plausibility_penalty, rejection, split

# The confidence shown per task and compared with the candidate threshold: the learned model of model.py
# (data/task_model.json, its own threshold) when True; the hand-set `task_confidence` and
# CANDIDATE_THRESHOLD when False. Off: leave one batch out, the model was not reliably better than the rules
# (better on 6 batches, worse once the two fresh batches b5/b6 joined; docs/extraction.md, "Learned confidence").
USE_MODEL = False


def document_text(text: str) -> str:
    """The text that `start`/`end` offsets of an extraction index."""
    return prepare(text)


def _ref_year(info: DocumentInfo, text: str) -> int | None:
    if info.date:
        return info.date.year
    if info.year:
        return info.year
    if info.meeting_date:
        return info.meeting_date.year
    years = Counter(int(y) for y in re.findall(r"(?<![\d/])(20\d{2})(?![\d/])", info.title or ""))
    if not years:
        years = Counter(int(y) for y in re.findall(r"năm\s+(20\d{2})", text[:3000]))
    if not years:
        # "trong quý IV/2011", "tháng 6/2011": one year the text's own periods name
        found = set(re.findall(r"(?:quý\s+[IV1-4]{1,3}|tháng\s+\d{1,2})\s*[/-]\s*(20\d{2})(?![\d/])", text[:3000]))
        if len(found) == 1:
            return int(found.pop())
    return max(years) if years else None


def _aliases(text: str) -> dict[str, str]:
    """Short names a document defines: "Văn phòng UBND tỉnh (Văn phòng)", "Ban Chỉ đạo (BCĐ)"."""
    out: dict[str, str] = {}
    for m in re.finditer(r"\((?:sau đây gọi (?:tắt )?là\s+)?([^()\n]{2,30})\)", text):
        short = m.group(1).strip(" *_")
        words = text[max(0, m.start() - 120):m.start()].split()
        if not short or not words:
            continue
        first = fold(short.split()[0])
        initials = fold(short).replace(" ", "")
        for k in range(min(len(words), 10), 0, -1):
            cand = words[-k:]
            if len(cand) <= len(short.split()):
                continue
            cand_text = " ".join(cand).strip(" ,;:")
            acronym = "".join(w[0] for w in cand if w[0].isalpha())
            if fold(cand[0]) == first or fold(acronym) == initials:
                out.setdefault(fold(short), tidy(cand_text))
                break
    return out


@dataclass
class Proposal:
    """One task the grammar found, before vetting: its contract dict, how it was found (`origin`: item,
    sentence, follow, row) and the vetting rule that rejects it (None when none does)."""

    task: dict[str, Any]
    origin: str
    reason: str | None
    confidence: float = 1.0  # unrounded, what the threshold is compared with
    hand_confidence: float = 1.0  # `task_confidence`, the rules' own score (kept for comparison)


@dataclass
class Proposals:
    doc: str
    info: DocumentInfo
    reports: list[Any]
    items: list[Proposal]
    headings: list[tuple[int, str]]


def _restates(text: str, row: str) -> bool:
    """Does a plan's body item say what a table row says (80% of the shorter one's words in the other)?"""
    a, b = set(fold(text).split()), set(fold(row).split())
    return bool(a and b) and len(a & b) >= 0.8 * min(len(a), len(b))


def propose_text(text: str, registry: list[RegistryUnit] | None = None,
                 workdays: WorkdayAdder | None = None) -> Proposals:
    """Every task the grammar finds in a document, with its hand-set confidence and the vetting rule that
    rejects it; `extract_text` splits them into tasks and candidates (the training tool reads them all)."""
    doc = prepare(text)
    cleaned = clean_lines(doc)
    # the header pass reads only the first blocks of the whole text: built on demand (LazyBlocks)
    info = parse_document(doc, LazyBlocks(iter_blocks(doc, cleaned=cleaned)), cleaned)
    blocks = build_blocks(doc, info.body_start, info.body_end, cleaned=cleaned)
    ref_year = _ref_year(info, doc)
    ref_date = info.date or info.meeting_date
    ctx = Context(doc_type=info.doc_type, issuer=info.issuer, addressed_to=info.addressed_to, ref_year=ref_year,
                  ref_date=ref_date, aliases=_aliases(doc), workdays=workdays, anchors=effective_dates(doc),
                  title=info.title)
    extractor = TaskExtractor(blocks, ctx)
    drafts = extractor.run()
    reports = extractor.reports()
    attached = attachment_span(cleaned, info.body_end) if info.doc_type == "QĐ" else None
    if attached is not None:  # "Ban hành kèm theo Quyết định này Kế hoạch ...": the plan after the signature directs
        sub = TaskExtractor(build_blocks(doc, attached[0], attached[1], cleaned=cleaned), replace(ctx, doc_type="KH"))
        drafts += sub.run()
        reports += sub.reports()
        if attached[1] < len(cleaned):  # its appendix: a task table whose rows the text layer flattened
            groups: list[str] = []
            rows = flat_table_tasks([v for v, _ in cleaned[attached[1]:]], ctx, groups)
            # the plan's body lists the activities its table assigns: a body item the table repeats (in full or in
            # its head before "như:") is that row, and one that repeats a group heading of the table is a heading
            known = [r.view.text for r in rows] + (groups if rows else [])
            drafts = [t for t in drafts if not any(_restates(t.view.text, k) or _restates(t.view.text.split(":")[0], k)
                                                   for k in known)] + rows
    annex = appendix_start(doc, cleaned, info.body_end)
    if annex is not None:  # a task table in an appendix after the signature ("PHỤ LỤC: CÁC NHIỆM VỤ ...")
        rows = [b for b in build_blocks(doc, annex, cleaned=cleaned) if b.kind == "row"]
        for b in rows:
            b.parent, b.children = None, []
        drafts += TaskExtractor(rows, ctx).run() if rows else []
    resolver = Resolver(registry, issuer=info.issuer) if registry else None
    dicts = [_task_dict(doc, t, info, resolver) for t in drafts]
    headings = _headings(doc) if dicts else []
    found = decision_line(doc) if dicts else None
    items = []
    for d, t in zip(dicts, drafts, strict=True):
        item = Proposal(d, t.origin, rejection(doc, d, found, headings), hand_confidence=d["confidence"])
        if USE_MODEL:
            model = load_model()
            p = probability(task_features(doc, d, t.origin, info.doc_type, info.issuer, headings), model)
            item.confidence, d["confidence"] = p, round(p, 2)
        else:
            item.confidence = d["confidence"]
        items.append(item)
    return Proposals(doc, info, reports, items, headings)


def extract_text(text: str, registry: list[RegistryUnit] | None = None,
                 workdays: WorkdayAdder | None = None) -> dict[str, Any]:
    """Extract the document parts, tasks and reporting duties of one document's text.

    `workdays(d, n)`: d plus n working days (e.g. `work_calendar().add_working_days`); without it a
    deadline counted in working days keeps its text and `deadline_basis` but gets no date.
    """
    found = propose_text(text, registry, workdays)
    info = found.info
    tasks, candidates = split(found.items, load_model()["threshold"] if USE_MODEL else CANDIDATE_THRESHOLD)
    return {
        "doc_type": info.doc_type,
        "number": info.number,
        "issuer": info.issuer,
        "date": _iso(info.date),
        "meeting_date": _iso(info.meeting_date),
        "title": info.title,
        "tasks": tasks,
        "candidates": candidates,
        "reports": [r.as_dict() for r in found.reports],
        "place": info.place,
        "signer": info.signer,
        "signing_authority": info.signing_authority,
        "signer_title": info.signer_title,
        "recipients": info.recipients,
    }


def extract_file(path: str | PathLike[str], registry: list[RegistryUnit] | None = None,
                 workdays: WorkdayAdder | None = None) -> dict[str, Any]:
    """Read a .txt/.md/.docx/.pdf/.doc file and extract it (offsets index the text read)."""
    from .readers import read_document

    return extract_text(read_document(path), registry, workdays)


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _task_dict(doc: str, t: TaskDraft, info: DocumentInfo, resolver: Resolver | None) -> dict[str, Any]:
    start, end = t.view.span()
    flags = list(t.flags)
    unit = None
    if t.assignee is None:
        flags.append("assignee_missing")
    elif t.generic:
        flags.append("assignee_generic")
    elif resolver is not None:
        res = resolver.resolve(t.assignee)
        unit = res.code if res.status == "matched" else None
        if res.status != "matched":
            flags.append(f"assignee_{res.status}")
    dl = t.deadline
    if dl is not None:
        ref = info.date or info.meeting_date
        if dl.date and ref and dl.date < ref:
            flags.append("deadline_before_document")
        if dl.date is None and dl.kind in ("date", "month", "quarter", "half"):
            flags.append("deadline_year_unknown")
        if dl.kind == "relative" and dl.date is None:
            flags.append("deadline_relative")
    out = {
        "assignee": t.assignee,
        "assignee_unit": unit,
        "co_assignees": t.co_assignees,
        "action": t.action,
        "deadline": _iso(dl.date) if dl else None,
        "deadline_text": dl.text if dl else None,
        "deadline_basis": dl.basis if dl else None,
        "recurrence": dl.recurrence if dl else None,
        "source_text": doc[start:end],
        "start": start,
        "end": end,
        "generic": t.generic,
        "flags": flags,
    }
    out["confidence"] = task_confidence(out, t.origin, issuer=info.issuer)
    return out


def task_confidence(task: dict[str, Any], origin: str = "item", issuer: str | None = None) -> float:
    """How sure the extractor is of one task, 0..1, for the clerk: a numbered item with a named body
    and a dated deadline scores high; a sentence found in prose, an assignee inherited or missing, an
    unresolved unit or a deadline that is only text lower it."""
    score = 0.95
    flags = task.get("flags") or []
    if not task.get("assignee"):
        # an item listed under "... các nhiệm vụ cần thực hiện:" is a task whose body the clerk places
        score -= 0.3 if "listed" in flags else 0.45
    elif task.get("generic"):
        score -= 0.1
    if "assignee_unmatched" in flags or "assignee_ambiguous" in flags:
        score -= 0.15
    if "deadline_before_document" in flags or "deadline_year_unknown" in flags:
        score -= 0.15  # (a year-less date is also a deadline kept as text: one doubt, counted once)
    elif task.get("deadline_text") and not task.get("deadline"):
        score -= 0.1
    score -= {"sentence": 0.1, "follow": 0.25, "row": 0.0}.get(origin, 0.0)
    if len(task.get("source_text") or "") < 25:
        score -= 0.1
    score -= plausibility_penalty(task, issuer)
    return round(min(0.99, max(0.05, score)), 2)
