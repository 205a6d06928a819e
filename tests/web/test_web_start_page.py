"""Start page per role (issue 15): panels registered by the apps, a constant number of queries, an
empty state for roles whose apps have not landed, the ended working unit said with its successor,
and lineage: a successor's people see the records of the units it took over."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from congvu.directives import services as dservices
from congvu.directives.importing import notice_create
from congvu.directives.models import Task
from congvu.org import policy
from congvu.org.roles import Action, Role
from congvu.org.services import role_grant, unit_lineage_create
from congvu.web.panels import Panel, PanelContext, PanelData, register_panel, registered_panels
from factories import make_unit, make_user_with_role

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)


@pytest.fixture
def reform(province, district):
    """Old district office (ended 30/06/2025) → today's commune office, by lineage."""
    from congvu.org.services import unit_update

    district = unit_update(unit=district, valid_to=REFORM - dt.timedelta(days=1))
    old_office = make_unit("Ủy ban nhân dân huyện Bình Sơn", parent=district, code="51-524-UBND",
                           valid_to=REFORM - dt.timedelta(days=1))
    old_room = make_unit("Phòng Văn hóa và Thông tin huyện Bình Sơn", parent=old_office, code="51-524-PVHTT",
                         valid_to=REFORM - dt.timedelta(days=1))
    commune = make_unit("Xã Bình Sơn", kind="commune", parent=province, code="51-21040", valid_from=REFORM)
    office = make_unit("Ủy ban nhân dân xã Bình Sơn", parent=commune, code="51-21040-UBND", valid_from=REFORM)
    room = make_unit("Phòng Văn hóa - Xã hội xã Bình Sơn", parent=office, code="51-21040-PVHXH", valid_from=REFORM)
    unit_lineage_create(predecessor=old_office, successor=office, effective_on=REFORM, kind="transfer")
    unit_lineage_create(predecessor=old_room, successor=room, effective_on=REFORM, kind="transfer")
    admin = get_user_model().objects.create_superuser("root", "root@example.vn", "secret-pass-123")
    return {"district": district, "old_office": old_office, "old_room": old_room, "commune": commune,
            "office": office, "room": room, "admin": admin}


def _notice(reform, n_tasks: int, *, start: int = 0):
    today = dt.date.today()
    tasks = [{"action": f"Nhiệm vụ {start + i}", "unit_id": reform["old_room"].pk, "assignee": "Phòng VH&TT",
              "deadline": (today - dt.timedelta(days=40) if i % 2 else today + dt.timedelta(days=2)).isoformat()}
             for i in range(n_tasks)]
    return notice_create(actor=reform["admin"], issuer_unit=reform["old_office"], title="Kết luận", tasks=tasks,
                         date=dt.date(2024, 1, 30))


def _queries(client, user) -> tuple[int, str]:
    client.force_login(user)
    client.get("/")  # warm caches (session, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_lineage_lets_the_successor_see_predecessor_records(reform):
    leader = make_user_with_role(Role.UNIT_LEADER, reform["commune"], "lanhdao")
    notice = _notice(reform, 2)
    task = notice.tasks.first()
    # The old district office and its rooms are reachable through lineage; the district itself is not.
    assert policy.decide(leader, Action.DIRECTIVE_VIEW, notice.issuer_unit)
    assert policy.decide(leader, Action.TASK_ACCEPT, task)
    assert not policy.decide(leader, Action.UNIT_VIEW, reform["district"])
    roots = {u.code for u in policy.scope_roots(leader, Action.DIRECTIVE_VIEW)}
    assert roots == {"51-21040", "51-524-UBND"}
    assert [u.code for u in policy.scope_roots(leader, Action.UNIT_VIEW, lineage=False)] == ["51-21040"]
    other = make_user_with_role(Role.UNIT_LEADER, make_unit("Xã khác", kind="commune", parent=reform["commune"].parent),
                                "khac")
    assert not policy.decide(other, Action.DIRECTIVE_VIEW, notice.issuer_unit)


def test_expired_grant_gives_nothing_today(reform):
    from congvu.org.models import RoleGrant

    user = make_user_with_role(Role.OFFICE_CLERK, reform["old_office"], "cu")
    RoleGrant.objects.filter(user=user).update(valid_to=REFORM - dt.timedelta(days=1))
    user = get_user_model().objects.get(pk=user.pk)
    assert not policy.decide(user, Action.DIRECTIVE_VIEW, reform["old_office"])


def test_clerk_start_page_constant_queries(client, reform):
    clerk = make_user_with_role(Role.OFFICE_CLERK, reform["office"], "vanthu")
    _notice(reform, 2)
    small, html = _queries(client, clerk)
    assert "Văn bản, nhiệm vụ cần theo dõi" in html and "Nhiệm vụ quá hạn" in html
    assert "Nhiệm vụ 1" in html  # overdue task, linked to its page
    task = Task.objects.get(action="Nhiệm vụ 1")
    assert f"/directives/tasks/{task.pk}/" in html
    _notice(reform, 12, start=100)
    dservices.extension_request(actor=reform["admin"], task=Task.objects.get(action="Nhiệm vụ 100"),
                                new_deadline=dt.date.today() + dt.timedelta(days=30), reason="Cần thêm thời gian")
    big, html = _queries(client, clerk)
    assert "Đề nghị gia hạn: Nhiệm vụ 100" in html
    assert big == small, (small, big)
    assert small <= 30


def test_leader_and_specialist_start_pages(client, reform):
    leader = make_user_with_role(Role.UNIT_LEADER, reform["commune"], "lanhdao")
    specialist = make_user_with_role(Role.SPECIALIST, reform["room"], "chuyenvien")
    notice = _notice(reform, 3)
    task = notice.tasks.get(action="Nhiệm vụ 0")
    task = dservices.task_transition(actor=reform["admin"], task=task, name="start")
    dservices.task_transition(actor=reform["admin"], task=task, name="report_done", today=dt.date.today())
    n_leader, html = _queries(client, leader)
    assert "Chờ nghiệm thu: Nhiệm vụ 0" in html and "Báo cáo hoàn thành chờ nghiệm thu" in html
    n_spec, html = _queries(client, specialist)
    assert "Nhiệm vụ của tôi" in html and "Nhiệm vụ 1" in html
    _notice(reform, 10, start=50)
    assert _queries(client, leader)[0] == n_leader
    assert _queries(client, specialist)[0] == n_spec


def test_roles_without_panels_get_an_empty_state_not_another_page(client, reform):
    from django.apps import apps

    # The assessor's panel comes from the indices app once it is installed.
    assessor_words = ("Không có hồ sơ tự đánh giá nào chờ bạn thẩm định" if apps.is_installed("congvu.indices")
                      else "phân hệ Chỉ số")
    # The emulation officer's and council member's panels come from the emulation app.
    emulation = apps.is_installed("congvu.emulation")
    officer_words = "Không có phong trào, đợt bình xét hay kết quả nào chờ bạn." if emulation else "Thi đua - Khen"
    council_words = "Không có phiên họp nào chờ phiếu của bạn." if emulation else "Hội đồng Thi đua"
    for role, words in ((Role.HOME_AFFAIRS_ASSESSOR, assessor_words), (Role.EMULATION_OFFICER, officer_words),
                        (Role.COUNCIL_MEMBER, council_words)):
        user = make_user_with_role(role, reform["commune"], f"u-{role.value}")
        _n, html = _queries(client, user)
        assert words in html
        assert "Đơn vị trực thuộc (hiện hành)" not in html and "Văn bản, nhiệm vụ cần theo dõi" not in html


def test_a_registered_panel_replaces_the_empty_state(client, reform):
    def build(ctx: PanelContext) -> PanelData:
        return PanelData(empty="Không có hồ sơ thẩm định nào.")

    register_panel(Panel("test.assessor", "Thẩm định chỉ số", roles={"home_affairs_assessor"}, build=build,
                         app="congvu.web"))
    try:
        user = make_user_with_role(Role.HOME_AFFAIRS_ASSESSOR, reform["commune"], "thamdinh")
        _n, html = _queries(client, user)
        assert "Không có hồ sơ thẩm định nào." in html and "phân hệ Chỉ số" not in html
    finally:
        from congvu.web import panels

        panels._REGISTRY.pop("test.assessor", None)
    assert "test.assessor" not in {p.key for p in registered_panels()}


def test_ended_working_unit_is_said_with_its_successor(client, reform):
    user = make_user_with_role(Role.OFFICE_CLERK, reform["old_office"], "cu")
    role_grant(user=user, role=Role.OFFICE_CLERK, unit=reform["office"])
    client.force_login(user)
    client.post("/unit/select/", {"unit": reform["old_office"].pk})
    html = client.get("/").content.decode()
    assert "Ủy ban nhân dân huyện Bình Sơn" in html and "đã kết thúc hoạt động" in html
    assert "30/06/2025" in html and "Ủy ban nhân dân xã Bình Sơn" in html


def test_onestop_officer_panel(client, reform):
    desk = make_unit("Trung tâm PVHCC xã Bình Sơn", kind="onestop_desk", parent=reform["office"], code="51-21040-TTPV",
                     valid_from=REFORM)
    officer = make_user_with_role(Role.ONESTOP_OFFICER, desk, "motcua")
    n, html = _queries(client, officer)
    assert "Quầy một cửa hôm nay" in html and "Nộp trực tuyến chờ tiếp nhận" in html and "Ở bước của tôi" in html
    assert n <= 30
