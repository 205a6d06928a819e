"""Delivery reports from the SMS / Zalo gateways (POST JSON), mounted at /notifications/callback/."""

from __future__ import annotations

import hmac
import json

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from congvu.notifications.config import notify_config
from congvu.notifications.selectors import inapp_for_user
from congvu.notifications.services import notification_delivery_report, notification_mark_read
from congvu.notifications.templates import render_en


@csrf_exempt
@require_POST
def delivery_callback(request: HttpRequest) -> JsonResponse:
    """{"message_id": "<our provider message id>", "status": "delivered"|"failed", "error": "..."} with
    header `X-Congvu-Token: <CONGVU_NOTIFY_CALLBACK_TOKEN>`. Disabled while no token is configured."""
    token = notify_config().get("callback_token") or ""
    given = request.headers.get("X-Congvu-Token", "")
    if not token or not hmac.compare_digest(token, given):
        return JsonResponse({"error": "forbidden"}, status=403)
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        return JsonResponse({"error": "bad json"}, status=400)
    ref = str(data.get("message_id") or data.get("tracking_id") or "")
    status = str(data.get("status") or "")
    if not ref or status not in ("delivered", "failed"):
        return JsonResponse({"error": "message_id and status (delivered|failed) required"}, status=400)
    msg = notification_delivery_report(provider_ref=ref, delivered=status == "delivered",
                                       error=str(data.get("error") or ""))
    return JsonResponse({"ok": msg is not None, "status": msg.status if msg else None},
                        status=200 if msg else 404)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's in-app notifications (reminders, escalations, alerts); POST marks them read."""
    if request.method == "POST":
        raw = request.POST.get("id", "")
        notification_mark_read(actor=request.user, notification_id=int(raw) if raw.isdigit() else None)
        target = request.POST.get("next", "")
        return redirect(target if target.startswith("/") and not target.startswith("//") else "notifications:inbox")
    items = list(inapp_for_user(user=request.user, limit=100).select_related("outbox"))
    if (get_language() or "").startswith("en"):
        for item in items:  # the English text of the template when it has one (names stay as written)
            english = render_en(item.outbox.template_key, item.outbox.context) if item.outbox else None
            if english is not None:
                item.title, item.body = english
    return render(request, "notifications/inbox.html", {"items": items})
