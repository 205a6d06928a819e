"""Delivery providers, one per channel, behind one interface.

`send(message)` delivers one `OutboxMessage` on its current channel (`message.channel`,
`message.recipient`) or raises `DeliveryError`; it may return the provider's reference. Before
sending, the dispatcher attaches `message.rendered` (a `Rendered`) and `message.provider_message_id`
(stable per message and channel: the gateway de-duplicates a retry after a timeout with it).

Providers with `concurrent = True` touch no database and may run in the dispatcher's thread pool;
the others run in the dispatcher's thread.

Errors: `permanent=True` is not retried on that channel; `fallback=True` moves to the next channel of
the message's chain at once (4xx, "this number has no Zalo", channel not configured). Any other
exception (timeout, connection refused, 5xx) is retried with backoff.
"""

from __future__ import annotations

import hashlib
import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMessage

from congvu.notifications.config import notify_config
from congvu.notifications.models import Channel, InAppNotification, OutboxMessage
from congvu.notifications.templates import render, render_sms, shipped_template, zalo_params


class DeliveryError(Exception):
    """A delivery that failed; `permanent` errors are not retried, `fallback` ones go to the next channel."""

    def __init__(self, message: str, *, permanent: bool = False, fallback: bool = False, code: str = "",
                 unknown: bool = False):
        super().__init__(message)
        self.permanent = permanent or fallback
        self.fallback = fallback
        self.code = code
        # The request may have reached the gateway (timeout, connection dropped, 5xx): whether the
        # message went out is not known. Such a message is retried on the same channel with the same
        # provider message id (the gateway de-duplicates) and never re-sent on another channel.
        self.unknown = unknown


@dataclass
class Rendered:
    subject: str
    body: str
    sms: str = ""
    zalo_template_id: str = ""
    zalo_params: dict[str, str] = field(default_factory=dict)


@runtime_checkable
class Provider(Protocol):
    channel: str

    def send(self, message: OutboxMessage) -> str | None:
        """Deliver `message` or raise."""
        ...


def provider_message_id(message: OutboxMessage, channel: str | None = None) -> str:
    """Stable id of (message, channel): sent to the gateway as its idempotency key."""
    channel = channel or message.channel
    digest = hashlib.sha1(f"{message.idempotency_key}|{channel}".encode()).hexdigest()[:24]
    return f"{notify_config()['message_id_prefix']}-{digest}"


def _rendered(message: OutboxMessage) -> Rendered:
    rendered = getattr(message, "rendered", None)
    if rendered is None:  # called outside the dispatcher: shipped text
        subject, body = render(message.template_key, message.context)
        t = shipped_template(message.template_key)
        rendered = Rendered(subject, body, sms=render_sms(t, message.context),
                            zalo_params=zalo_params(t, message.context))
    return rendered


def _pmid(message: OutboxMessage) -> str:
    return getattr(message, "provider_message_id", None) or provider_message_id(message)


class EmailProvider:
    channel = Channel.EMAIL.value
    concurrent = True

    def send(self, message: OutboxMessage) -> str | None:
        if not message.recipient or "@" not in message.recipient:
            raise DeliveryError(f"Địa chỉ e-mail không hợp lệ: {message.recipient!r}", permanent=True)
        r = _rendered(message)
        email = EmailMessage(
            subject=r.subject,
            body=r.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            # The outbox key doubles as Message-ID so a mail server can drop a duplicate after a crash.
            headers={"Message-ID": f"<{message.idempotency_key.replace(':', '.')}@congvu>",
                     "X-Congvu-Key": message.idempotency_key},
        )
        email.send(fail_silently=False)
        return None


class InAppProvider:
    channel = Channel.IN_APP.value
    concurrent = False  # writes InAppNotification

    def send(self, message: OutboxMessage) -> str | None:
        if message.recipient_user_id is None:
            raise DeliveryError("Thông báo trong ứng dụng không có tài khoản nhận.", permanent=True)
        r = _rendered(message)
        InAppNotification.objects.get_or_create(
            outbox=message,
            defaults={"user_id": message.recipient_user_id, "title": r.subject, "body": r.body,
                      "url": str(message.context.get("url", ""))[:500]},
        )
        return None


# -- HTTP gateways ---------------------------------------------------------------------------------

def phone_e164_vn(phone: str) -> str:
    """0912 345 678 / +84912345678 → 84912345678 (what SMS brandname and ZNS gateways expect)."""
    digits = "".join(c for c in phone if c.isdigit())
    if digits.startswith("0"):
        digits = "84" + digits[1:]
    return digits


def post_json(url: str, payload: dict[str, Any], *, headers: dict[str, str], timeout: float) -> tuple[int, dict]:
    """POST JSON; returns (status, JSON body) for any HTTP answer; raises DeliveryError (retryable) when the
    gateway cannot be reached or times out."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8", **headers})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - configured endpoint
            status, raw = response.status, response.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    except TimeoutError as exc:
        raise DeliveryError(f"Hết thời gian chờ cổng gửi tin ({timeout}s)", code="timeout", unknown=True) from exc
    except (urllib.error.URLError, ConnectionError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        # Refused / no such host: nothing was sent. Anything else (reset, dropped) may have been received.
        never_sent = isinstance(reason, ConnectionRefusedError | socket.gaierror)
        if isinstance(reason, TimeoutError):
            raise DeliveryError(f"Hết thời gian chờ cổng gửi tin ({timeout}s)", code="timeout", unknown=True) from exc
        raise DeliveryError(f"Không kết nối được cổng gửi tin: {reason}", code="unreachable",
                            unknown=not never_sent) from exc
    try:
        body = json.loads(raw.decode("utf-8") or "{}")
    except (UnicodeDecodeError, json.JSONDecodeError):
        body = {"raw": raw[:200].decode("utf-8", "replace")}
    return status, body if isinstance(body, dict) else {"data": body}


def _http_error(channel: str, status: int, body: dict) -> DeliveryError:
    err = body.get("error")
    code = str(err.get("code", "")) if isinstance(err, dict) else str(body.get("code", err or ""))
    text = (err.get("message") if isinstance(err, dict) else body.get("message")) or body.get("raw") or ""
    message = f"{channel} HTTP {status} {code} {text}".strip()
    if status >= 500:  # the gateway (or a proxy before it) may have taken the message: outcome unknown
        return DeliveryError(message, code=code or str(status), unknown=True)
    if status in (408, 425, 429):
        return DeliveryError(message, code=code or str(status))
    return DeliveryError(message, fallback=True, code=code or str(status))


class SmsProvider:
    """SMS brandname gateway: POST {endpoint} {"message_id", "to", "from", "text", "unicode"} with
    `Authorization: Bearer <api_key>` and `Idempotency-Key: <message_id>`; 2xx = accepted."""

    channel = Channel.SMS.value
    concurrent = True

    def send(self, message: OutboxMessage) -> str | None:
        conf = notify_config()["sms"]
        if not conf.get("endpoint"):
            raise DeliveryError("Chưa cấu hình cổng SMS.", fallback=True, code="not_configured")
        to = phone_e164_vn(message.recipient)
        if len(to) < 9:
            raise DeliveryError(f"Số điện thoại không hợp lệ: {message.recipient!r}", fallback=True, code="bad_number")
        r, pmid = _rendered(message), _pmid(message)
        status, body = post_json(
            conf["endpoint"],
            {"message_id": pmid, "to": to, "from": conf.get("sender", ""), "text": r.sms or r.subject,
             "unicode": bool(conf.get("unicode"))},
            headers={"Authorization": f"Bearer {conf.get('api_key', '')}", "Idempotency-Key": pmid},
            timeout=float(conf.get("timeout") or 10))
        if not 200 <= status < 300:
            raise _http_error("SMS", status, body)
        return str(body.get("id") or pmid)[:100]


class ZaloProvider:
    """Zalo ZNS: POST {endpoint} {"phone", "template_id", "template_data", "tracking_id"} with the OA's
    `access_token` header. ZNS answers HTTP 200 with {"error": 0, "data": {"msg_id": ...}}; a non-zero
    error is permanent unless listed in `retryable_codes`; `no_zalo_codes` → next channel at once."""

    channel = Channel.ZALO.value
    concurrent = True

    def send(self, message: OutboxMessage) -> str | None:
        conf = notify_config()["zalo"]
        if not conf.get("endpoint"):
            raise DeliveryError("Chưa cấu hình Zalo ZNS.", fallback=True, code="not_configured")
        r, pmid = _rendered(message), _pmid(message)
        template_id = r.zalo_template_id or str((conf.get("templates") or {}).get(message.template_key, ""))
        if not template_id:
            raise DeliveryError(f"Chưa có mẫu ZNS được duyệt cho {message.template_key}.", fallback=True,
                                code="no_template")
        headers = {"access_token": conf.get("access_token", ""), "Idempotency-Key": pmid}
        status, body = post_json(
            conf["endpoint"],
            {"phone": phone_e164_vn(message.recipient), "template_id": template_id,
             "template_data": r.zalo_params, "tracking_id": pmid, "oa_id": conf.get("oa_id", "")},
            headers=headers, timeout=float(conf.get("timeout") or 10))
        if not 200 <= status < 300:
            raise _http_error("Zalo", status, body)
        code = body.get("error", 0)
        if code not in (0, "0", None):
            text = f"Zalo ZNS lỗi {code}: {body.get('message', '')}"
            if int(code) in [int(c) for c in conf.get("no_zalo_codes") or ()]:
                raise DeliveryError(text, fallback=True, code="no_zalo")
            if int(code) in [int(c) for c in conf.get("retryable_codes") or ()]:
                raise DeliveryError(text, code=str(code))
            raise DeliveryError(text, fallback=True, code=str(code))
        data = body.get("data") or {}
        return str(data.get("msg_id") or pmid)[:100]


PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    PROVIDERS[provider.channel] = provider


def provider_for(channel: str) -> Provider:
    try:
        return PROVIDERS[channel]
    except KeyError:
        raise DeliveryError(f"Chưa cấu hình kênh gửi {channel}.", fallback=True) from None


register(EmailProvider())
register(InAppProvider())
register(SmsProvider())
register(ZaloProvider())
