"""Scores behind the screens: sheets (live + rounds, published frozen), peers and ranking with ties
and change, points within reach, year-end projection, and remediation tasks through directives."""

from __future__ import annotations

import datetime as dt

import pytest
from wf_fixtures import LIVE_FRAMEWORK, fake_provider

from congvu.common.errors import DomainError
from congvu.directives.models import Notice, Task
from congvu.indices import board, remediation
from congvu.indices import workflow as wf
from congvu.metrics import registry


@pytest.fixture
def world(district):
    from congvu.indices.services import framework_load_text
    from factories import make_unit, make_user_with_role

    communes = [make_unit(f"Xã Ba {n}", kind="commune", parent=district) for n in ("An", "Bích", "Cung")]
    desk = make_unit("Bộ phận một cửa xã Ba Bích", kind="onestop_desk", parent=communes[1])
    values = {}
    for m in range(1, 13):
        values[(communes[0].pk, 2023, m)] = (10, 10)  # 100 %
        values[(desk.pk, 2023, m)] = (5, 10)  # 50 %, counted for Ba Bích through its subtree
    values[(communes[1].pk, 2022, 6)] = (3, 10)
    registry.provider_register(fake_provider(values))
    version = framework_load_text(text=LIVE_FRAMEWORK)
    assessor = make_user_with_role("home_affairs_assessor", district, username="thamdinh")
    leader = make_user_with_role("unit_leader", communes[1], username="lanhdaoxa")
    for unit, score in zip(communes, (9, 8, 10), strict=True):
        a = wf.assessment_open(actor=assessor, unit=unit, version=version, period="2023")
        a.leaves.filter(node__code="2.1").update(self_score=score)
        type(a).objects.filter(pk=a.pk).update(state="submitted")  # submitted self-scores count
    yield {"communes": communes, "desk": desk, "version": version, "assessor": assessor, "leader": leader,
           "values": values}
    registry._providers.pop("test-indices", None)
    registry._by_metric.pop("onestop.test_digitized", None)


def test_ranking_peers_and_change(world):
    an, bich, cung = world["communes"]
    rows = board.ranking(world["version"], world["communes"], "2023")
    # Ba Cung has no live data: its percent is over what was scored (the survey-less "exclude" rule)
    assert [(s.unit.name, s.percent, s.rank, s.of) for s in rows] == [
        ("Xã Ba Cung", 100.0, 1, 3), ("Xã Ba An", 95.0, 2, 3), ("Xã Ba Bích", 65.0, 3, 3)]
    assert rows[0].nodes[0]["status"] == "no_data" and rows[0].nodes[0]["points"] is None
    sheet = board.unit_sheet(world["version"], bich, "2023")
    assert (sheet.rank, sheet.of) == (3, 3)
    assert sheet.nodes[0]["rate"] == 50.0 and sheet.nodes[0]["children"][0]["numerator"] == 60
    assert sheet.change is not None


def test_opportunities_and_remediation_tasks(world):
    bich = world["communes"][1]
    sheet = board.unit_sheet(world["version"], bich, "2023")
    opps = board.opportunities(sheet)
    assert [o["code"] for o in opps] == ["1.1", "2.1"]
    first = opps[0]
    assert first["lost"] == 5.0 and first["next_step"]["count"] == 15  # 60/120 → +1.25 points needs 15 dossiers
    assert "15 hồ sơ nữa đạt yêu cầu trong kỳ (60/120 → 75/120)" in first["next_text"] and "+1,25 điểm" in first["next_text"]
    notice = remediation.remediation_create(actor=world["leader"], unit=bich, version=world["version"], period="2023",
                                            items=[{"code": "1.1"}, {"code": "2.1", "days": 5}],
                                            today=dt.date(2024, 1, 15))
    tasks = list(Task.objects.filter(notice=notice).order_by("ordinal"))
    assert [t.unit for t in tasks] == [world["desk"], bich]  # a one-stop metric goes to the one-stop desk
    assert tasks[0].deadline == wf.deadline_after(dt.date(2024, 1, 15), 20)
    assert tasks[1].deadline == wf.deadline_after(dt.date(2024, 1, 15), 5)
    assert "Khắc phục chỉ số 1.1" in tasks[0].action and "15 hồ sơ nữa" in tasks[0].action
    with pytest.raises(DomainError) as exc:
        remediation.remediation_create(actor=world["leader"], unit=bich, version=world["version"], period="2023",
                                       items=[{"code": "9.9"}])
    assert "9.9" in exc.value.message
    with pytest.raises(DomainError) as exc:
        remediation.remediation_create(actor=world["leader"], unit=bich, version=world["version"], period="2023",
                                       items=[{"code": "1.1", "unit_id": world["communes"][0].pk}])
    assert "1.1" in exc.value.message
    assert Notice.objects.count() == 1


def test_year_projection(world):
    bich = world["communes"][1]
    for m in (7, 8, 9):
        world["values"][(world["desk"].pk, 2023, m)] = (9, 10)  # the pace rose in the third quarter
    pr = board.year_projection(world["version"], bich, 2023, as_of=dt.date(2023, 10, 20))
    assert pr.months_elapsed == 9
    leaf = {p.code: p for p in pr.leaves}["1.1"]
    assert leaf.live and leaf.rate_ytd == round(100 * (6 * 5 + 3 * 9) / 90, 2)
    assert leaf.rate_end == round(100 * (57 + 3 * 9) / 120, 4)  # three more months at 9/10
    assert leaf.points_end > leaf.points_ytd
    assert {p.code: p for p in pr.leaves}["2.1"].points_end == 8.0  # not live: kept
    assert board.year_projection(world["version"], bich, 2023, as_of=dt.date(2024, 2, 1)) is None
    assert board.year_projection(world["version"], bich, 2023, as_of=dt.date(2023, 1, 20)) is None
    assert board.months_elapsed(2023, dt.date(2023, 9, 30)) == 9


def test_exports_from_board(world):
    from congvu.indices import exports

    rows = board.ranking(world["version"], world["communes"], "2023")
    data = board.ranking_export_data(world["version"], rows, "2023", "commune")
    assert data["rows"][0]["unit"] == "Xã Ba Cung" and data["groups"][0]["code"] == "1"
    assert exports.ranking_xlsx(data)[:2] == b"PK"
    sheet = board.sheet_export_data(board.unit_sheet(world["version"], world["communes"][1], "2023"))
    assert sheet["nodes"][1]["children"][0]["self_points"] == 8.0
    assert exports.sheet_docx(sheet)[:2] == b"PK"


def test_screen_and_api_show_the_same_points_within_reach(world):
    """One implementation (`scoring.reach`): the unit screen, the reach endpoint, `within_reach` of the
    score detail and `unit_points_within_reach` give the same leaves, lost points and steps."""
    from django.test import Client

    from congvu.api.models import ApiToken
    from congvu.indices.selectors import unit_points_within_reach

    bich = world["communes"][1]
    leader = world["leader"]
    web = Client()
    web.force_login(leader)
    page = web.get(f"/indices/units/{bich.pk}/?framework=live-test&period=2023")
    screen = page.context["opps"]
    _, token = ApiToken.issue(user=leader, name="t")
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    api_reach = web.get(f"/api/indices/units/{bich.code}/reach?framework=live-test&period=2023", **h).json()
    detail = web.get(f"/api/indices/frameworks/live-test/scores/{bich.code}?period=2023&detail=true", **h).json()
    selected = unit_points_within_reach(code="live-test", unit=bich, period="2023")

    def key(rows):
        return [(r["code"], r["lost"], r["points"], (r["next_step"] or {}).get("count"),
                 (r["next_step"] or {}).get("gain"), (r["full_step"] or {}).get("count")) for r in rows]

    # Ba Bích: 60 of 120 dossiers digitised (5 of 10 points), self-assessment 8 of 10
    assert key(screen) == [("1.1", 5.0, 5.0, 15, 1.25, 60), ("2.1", 2.0, 8.0, None, None, None)]
    assert key(api_reach) == key(screen) == key(detail["within_reach"]) == key(selected)
    assert [r["next_count"] for r in detail["within_reach"]] == [15, None]
    assert "15 hồ sơ nữa đạt yêu cầu trong kỳ (60/120 → 75/120) → +1,25 điểm" in page.content.decode()
    assert api_reach[0]["next_text"] == screen[0]["next_text"]


def test_rank_among_the_province_by_default_and_within_the_parent_on_request(world, province):
    """One peer set everywhere (the CLI, the API, the screen, the sheet export): the units of the level in
    the province by default; under the parent unit on request; the screen says which."""
    from django.test import Client

    from congvu.api.models import ApiToken
    from congvu.indices.selectors import unit_score
    from factories import make_unit

    other = make_unit("Xã Tịnh Khê", kind="commune", parent=make_unit("Huyện Sơn Tịnh", kind="district", parent=province))
    world["values"][(other.pk, 2023, 6)] = (8, 10)  # 80 %: between Ba An (95 %) and Ba Bích (65 %)
    department = make_unit("Sở Nội vụ", kind="agency", parent=province)  # not a peer of a commune
    bich = world["communes"][1]
    version = world["version"]

    sheet = board.unit_sheet(version, bich, "2023")
    assert (sheet.rank, sheet.of) == (4, 4) and sheet.peers.scope == "province" and sheet.peers.within == province
    assert other in sheet.peers.units and department not in sheet.peers.units
    in_district = board.unit_sheet(version, bich, "2023", peers="parent")
    assert (in_district.rank, in_district.of) == (3, 3) and in_district.peers.within == bich.parent
    cli = unit_score(code="live-test", unit=bich, period="2023")
    assert cli["rank"] == "4/4" and cli["peers"]["scope"] == "province" and cli["peers"]["within"] == province.code
    assert unit_score(code="live-test", unit=bich, period="2023", peers="parent")["rank"] == "3/3"
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("index", "compute", "live-test", "--unit", bich.code, "--period", "2023", "--peers", "parent",
                 "--json", stdout=out)
    assert json.loads(out.getvalue())["peers"]["within"] == bich.parent.code
    out = io.StringIO()
    call_command("index", "compute", "live-test", "--unit", bich.code, "--period", "2023", stdout=out)
    assert "hạng 4/4 trong các xã, phường, thị trấn, đặc khu thuộc Tỉnh Quảng Ngãi" in out.getvalue()

    _, token = ApiToken.issue(user=world["leader"], name="t")
    h = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    web = Client()
    url = f"/api/indices/frameworks/live-test/scores/{bich.code}?period=2023"
    body = web.get(url, **h).json()
    assert body["rank"] == "4/4" and body["peers"]["label"] == "các xã, phường, thị trấn, đặc khu thuộc Tỉnh Quảng Ngãi"
    assert web.get(url + "&peers=parent&detail=true", **h).json()["rank"] == "3/3"
    assert web.get(url + "&peers=district", **h).status_code == 422

    web.force_login(world["leader"])
    page = web.get(f"/indices/units/{bich.pk}/?framework=live-test&period=2023").content.decode()
    assert 'id="unit-rank">4/4<' in page
    assert "trong các xã, phường, thị trấn, đặc khu thuộc Tỉnh Quảng Ngãi" in page and "&amp;peers=parent" in page
    page = web.get(f"/indices/units/{bich.pk}/?framework=live-test&period=2023&peers=parent").content.decode()
    assert 'id="unit-rank">3/3<' in page and "thuộc Huyện Bình Sơn" in page and "Xếp hạng trong toàn tỉnh" in page
    assert f"/indices/units/{bich.pk}/sheet.xlsx?framework=live-test&amp;period=2023&amp;peers=parent" in page
