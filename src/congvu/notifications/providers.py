"""Delivery providers, one per channel. A later issue adds SMS / Zalo by registering more providers.

A provider raises on failure; the worker records the error and retries with backoff.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from django.conf import settings
from django.core.mail import EmailMessage

from congvu.notifications.models import Channel, InAppNotification, OutboxMessage
from congvu.notifications.templates import render


class DeliveryError(Exception):
    """A delivery that failed; `permanent` errors are not retried."""

    def __init__(self, message: str, *, permanent: bool = False):
        super().__init__(message)
        self.permanent = permanent


@runtime_checkable
class Provider(Protocol):
    channel: str

    def send(self, message: OutboxMessage) -> None:
        """Deliver `message` or raise."""
        ...


class EmailProvider:
    channel = Channel.EMAIL.value

    def send(self, message: OutboxMessage) -> None:
        if not message.recipient or "@" not in message.recipient:
            raise DeliveryError(f"Địa chỉ e-mail không hợp lệ: {message.recipient!r}", permanent=True)
        subject, body = render(message.template_key, message.context)
        email = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.recipient],
            # The outbox key doubles as Message-ID so a mail server can drop a duplicate after a crash.
            headers={"Message-ID": f"<{message.idempotency_key.replace(':', '.')}@congvu>",
                     "X-Congvu-Key": message.idempotency_key},
        )
        email.send(fail_silently=False)


class InAppProvider:
    channel = Channel.IN_APP.value

    def send(self, message: OutboxMessage) -> None:
        if message.recipient_user_id is None:
            raise DeliveryError("Thông báo trong ứng dụng không có tài khoản nhận.", permanent=True)
        subject, body = render(message.template_key, message.context)
        InAppNotification.objects.get_or_create(
            outbox=message,
            defaults={"user_id": message.recipient_user_id, "title": subject, "body": body,
                      "url": str(message.context.get("url", ""))[:500]},
        )


PROVIDERS: dict[str, Provider] = {}


def register(provider: Provider) -> None:
    PROVIDERS[provider.channel] = provider


def provider_for(channel: str) -> Provider:
    try:
        return PROVIDERS[channel]
    except KeyError:
        raise DeliveryError(f"Chưa cấu hình kênh gửi {channel}.", permanent=True) from None


register(EmailProvider())
register(InAppProvider())
