"""Admins edit a framework as its YAML document: a broken tree is refused naming the node and
nothing changes; a good one replaces the version (audited); a version with published results
cannot change."""

import pytest
import yaml
from django.contrib.auth import get_user_model

from congvu.audit.models import AuditEntry
from congvu.indices.models import FrameworkVersion, Node, Result

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("quantri_idx", "qt@example.vn", "x-Secret-123")
    client.force_login(user)
    return client


def test_indices_admin_edits_framework_yaml(world, admin_client):
    version = world["version"]
    url = f"/admin/indices/frameworkversion/{version.pk}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200 and "onestop.on_time_rate" in page.content.decode()
    doc = yaml.safe_load(page.context["adminform"].form["document"].value())
    doc["nodes"][0]["children"][0]["max_points"] = 11
    r = admin_client.post(url, {"document": yaml.safe_dump(doc, allow_unicode=True)})
    assert r.status_code == 200
    assert "[A] tổng điểm các chỉ số con (16) khác điểm tối đa của chỉ số (15)" in r.content.decode()
    assert float(Node.objects.get(version=version, code="A.1").max_points) == 10
    doc["nodes"][0]["children"][0]["max_points"] = 10
    doc["nodes"][0]["children"][0]["name"] = "Tỷ lệ hồ sơ đúng hạn"
    before = AuditEntry.objects.count()
    r = admin_client.post(url, {"document": yaml.safe_dump(doc, allow_unicode=True)})
    assert r.status_code == 302, r.content.decode()[:2000]
    assert Node.objects.get(version=version, code="A.1").name == "Tỷ lệ hồ sơ đúng hạn"
    assert AuditEntry.objects.count() > before
    Result.objects.create(unit=world["a"], version=FrameworkVersion.objects.get(pk=version.pk), period="2024",
                          status="published", points=1, max_points=20, percent=5)
    doc["nodes"][0]["children"][0]["name"] = "Đổi sau khi công bố"
    r = admin_client.post(url, {"document": yaml.safe_dump(doc, allow_unicode=True)})
    assert r.status_code == 200 and "đã có kết quả công bố" in r.content.decode()
    assert Node.objects.get(version=version, code="A.1").name == "Tỷ lệ hồ sơ đúng hạn"
