"""The in-app inbox: the bell in the top bar counts unread items; reading them is audited."""

import pytest

from congvu.audit.models import AuditEntry
from congvu.notifications.models import InAppNotification

pytestmark = pytest.mark.django_db


def test_bell_counts_unread_and_inbox_marks_read(client, district):
    from factories import make_user_with_role

    user = make_user_with_role("office_clerk", district, "vanthu1")
    other = make_user_with_role("office_clerk", district, "vanthu2")
    a = InAppNotification.objects.create(user=user, title="Nhiệm vụ sắp đến hạn", body="Hạn 07/02/2024", url="/directives/")
    InAppNotification.objects.create(user=user, title="Nhiệm vụ quá hạn")
    InAppNotification.objects.create(user=other, title="Của người khác")
    client.force_login(user)
    page = client.get("/notifications/").content.decode()
    assert "Nhiệm vụ sắp đến hạn" in page and "Nhiệm vụ quá hạn" in page and "Của người khác" not in page
    assert 'id="inbox-link"' in page and '<span class="count">2</span>' in page
    client.post("/notifications/", {"id": str(a.pk)})
    a.refresh_from_db()
    assert a.read_at is not None
    assert '<span class="count">1</span>' in client.get("/notifications/").content.decode()
    client.post("/notifications/", {})
    assert not InAppNotification.objects.filter(user=user, read_at__isnull=True).exists()
    assert InAppNotification.objects.filter(user=other, read_at__isnull=True).count() == 1
    assert AuditEntry.objects.filter(object_type="notifications.inappnotification", note="mark read").count() == 2


def test_inbox_needs_login(client):
    r = client.get("/notifications/")
    assert r.status_code == 302 and "/login/" in r["Location"]
