"""Delivery reports from the SMS / Zalo gateways (POST JSON), mounted at /notifications/callback/."""

from __future__ import annotations

import hmac
import json

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from congvu.notifications.config import notify_config
from congvu.notifications.services import notification_delivery_report


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
