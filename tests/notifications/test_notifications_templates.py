"""Shipped notification templates: every key the code sends exists (read from the source, so a new
key without its text fails here), and `index.assessment` renders in Vietnamese and, in the English
inbox, in English."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from notif_helpers import drain

import congvu
from congvu.notifications.templates import ALIASES, render, render_en, shipped, shipped_en

SRC = Path(congvu.__file__).resolve().parent


def _strings(node: ast.AST) -> set[str]:
    """String literals an expression can evaluate to (a literal, either branch of a conditional)."""
    if isinstance(node, ast.Constant):
        return {node.value} if isinstance(node.value, str) else set()
    if isinstance(node, ast.IfExp):
        return _strings(node.body) | _strings(node.orelse)
    return set()


def _function_assignments(tree: ast.AST) -> dict[ast.AST, dict[str, set[str]]]:
    """{function node: {name: string constants assigned to it in the function}}."""
    out: dict[ast.AST, dict[str, set[str]]] = {}
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            names: dict[str, set[str]] = {}
            for node in ast.walk(fn):
                if isinstance(node, ast.Assign):
                    for target in node.targets:
                        if isinstance(target, ast.Name):
                            names.setdefault(target.id, set()).update(_strings(node.value))
            out[fn] = names
    return out


def referenced_template_keys() -> dict[str, str]:
    """{template key: where} for every key passed to the outbox in the source: `template_key=` /
    `template=` keywords (a literal, a conditional of literals, or a local name assigned literals),
    `*_TEMPLATE = "..."` constants of the notifications app, and the dossier events of
    `onestop.notify.dossier_notify` (its `EVENTS` and the literal events of its callers)."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = str(path.relative_to(SRC))
        assigned = _function_assignments(tree)
        parents = {child: fn for fn in assigned for child in ast.walk(fn)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                for kw in node.keywords:
                    if kw.arg == "template_key" or (kw.arg == "template" and name in ("_notify", "_send")):
                        keys = _strings(kw.value)
                        if isinstance(kw.value, ast.Name):
                            keys = assigned.get(parents.get(node), {}).get(kw.value.id, set())
                        found.update({k: f"{where}:{node.lineno}" for k in keys if "{" not in k})
                if name == "dossier_notify" and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant):
                    found[node.args[1].value] = f"{where}:{node.lineno}"
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id.endswith("_TEMPLATE") and "notifications" in path.parts:
                        found[node.value.value] = f"{where}:{node.lineno}"
    from congvu.onestop.notify import EVENTS

    found.update({event: "onestop/notify.py:EVENTS" for event in EVENTS})
    return found


def test_every_template_key_referenced_in_code_exists():
    keys = referenced_template_keys()
    # the scan sees each way the apps name a template (it cannot pass by finding nothing)
    assert {"index.assessment", "task.assigned", "task.reminder.after", "task.reminder.due", "dossier_received",
            "rating_invitation", "payment_received", "notify.failed_alert", "officer.digest"} <= set(keys)
    missing = {k: where for k, where in keys.items() if ALIASES.get(k, k) not in shipped()}
    assert missing == {}, f"templates referenced in code but missing from notifications/data/templates.yaml: {missing}"


CTX = {"subject": "Xã Ba Bích đã gửi tự đánh giá PAR INDEX 2023", "framework": "PAR INDEX cấp xã", "period": "2023",
       "unit": "Xã Ba Bích", "state": "Đã gửi", "deadline": "15/03/2024", "note": "", "event": "submit",
       "url": "https://congvu.example/indices/assessments/7/"}


def test_index_assessment_in_vietnamese_and_english():
    subject, body = render("index.assessment", CTX)
    assert subject == "[Chỉ số] Xã Ba Bích đã gửi tự đánh giá PAR INDEX 2023"
    assert "Bộ chỉ số: PAR INDEX cấp xã, kỳ 2023" in body and "Hạn: 15/03/2024" in body and CTX["url"] in body
    assert shipped()["index.assessment"].sms  # an SMS text of its own, not the generic one
    subject, body = render_en("index.assessment", CTX)
    assert subject == "[Index] PAR INDEX cấp xã 2023 — Xã Ba Bích: submit"
    assert "Deadline: 15/03/2024" in body and f"Open: {CTX['url']}" in body
    assert render_en("dossier_received", {}) is None and "index.assessment" in shipped_en()


@pytest.mark.django_db
def test_the_english_inbox_shows_the_english_text(client, district):
    from congvu.notifications.models import Channel
    from congvu.notifications.services import notification_enqueue
    from factories import make_user_with_role

    user = make_user_with_role("home_affairs_assessor", district, "thamdinh")
    notification_enqueue(idempotency_key="index:7:submit", channel=Channel.IN_APP, recipient=user.get_username(),
                         template_key="index.assessment", context=CTX, recipient_user=user)
    drain()
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert "[Chỉ số] Xã Ba Bích đã gửi tự đánh giá PAR INDEX 2023" in page
    client.cookies["django_language"] = "en"
    page = client.get("/notifications/").content.decode()
    assert "[Index] PAR INDEX cấp xã 2023 — Xã Ba Bích: submit" in page and "[Chỉ số]" not in page
