"""The task list is paged and searchable without accents (issue 15)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from congvu.directives.importing import notice_create
from factories import make_unit, make_user_with_role

pytestmark = pytest.mark.django_db


def test_task_list_paged_and_searchable(client, district):
    room = make_unit("Phòng Văn hóa và Thông tin", parent=district)
    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "secret-pass-123")
    tasks = [{"action": f"Nhiệm vụ số {i}", "unit_id": room.pk} for i in range(30)]
    tasks.append({"action": "Tổ chức Tuần lễ Chuyển đổi số", "unit_id": room.pk})
    notice_create(actor=admin, issuer_unit=district, title="Kết luận", tasks=tasks, number="12/TB-UBND")
    client.force_login(make_user_with_role("unit_leader", district, "lanhdao"))
    first = client.get("/directives/", {"view": "all"}).content.decode()
    assert first.count('<tr data-task=') == 25 and "Trang 1/2" in first and "31 nhiệm vụ" in first
    second = client.get("/directives/", {"view": "all", "page": 2}).content.decode()
    assert second.count('<tr data-task=') == 6
    found = client.get("/directives/", {"view": "all", "q": "tuan le chuyen doi"}).content.decode()
    assert found.count('<tr data-task=') == 1 and "Tổ chức Tuần lễ Chuyển đổi số" in found
    assert 'value="tuan le chuyen doi"' in found


def test_review_source_renders_emphasis_and_keeps_task_quotes():
    from congvu.directives.views import _highlighted

    text = "## THÔNG BÁO\n**Kết luận** của Chủ tịch\n1. Phòng **Nội vụ** tham mưu <kế hoạch>."
    start = text.index("Phòng")
    html = str(_highlighted(text, [{"id": "t1", "start": start, "end": len(text)}]))
    assert "**" not in html and "##" not in html
    assert "<strong>THÔNG BÁO</strong>" in html and "<strong>Kết luận</strong>" in html
    assert '<mark id="span-t1" data-task="t1">Phòng <strong>Nội vụ</strong> tham mưu &lt;kế hoạch&gt;.</mark>' in html
