"""Vetting of the grammar's tasks: layout-level reasons (preamble, execution clause, aims, narration) and the
confidence features; rejected sentences go to `candidates`, never lost."""

from __future__ import annotations

from types import SimpleNamespace

from congvu.directives.extraction.api import extract_text
from congvu.directives.extraction.vetting import CANDIDATE_THRESHOLD, plausibility_penalty, split

DECISION = (
    "ỦY BAN NHÂN DÂN\nTỈNH HÀ GIANG\nSố: 711/QĐ-UBND\nHà Giang, ngày 25 tháng 04 năm 2015\nQUYẾT ĐỊNH\n"
    "VỀ VIỆC BAN HÀNH CHƯƠNG TRÌNH THỰC HÀNH TIẾT KIỆM NĂM 2015\nỦY BAN NHÂN DÂN TỈNH HÀ GIANG\n"
    "Căn cứ Luật Tổ chức HĐND và UBND ngày 26 tháng 11 năm 2003;\n"
    "Thông tư số 188/2014/TT-BTC ngày 10/12/2014 của\nBộ Tài chính hướng dẫn một số điều của Nghị định số 84/2014/NĐ-CP;\n"
    "QUYẾT ĐỊNH:\n"
    "Điều 1. Ban hành kèm theo Quyết định này Chương trình thực hành tiết kiệm năm 2015.\n"
    "Điều 2. Giao Sở Tài chính chủ trì, phối hợp với các sở, ngành hướng dẫn, kiểm tra việc thực hiện Chương trình.\n"
    "Điều 3. Chánh Văn phòng UBND tỉnh; Giám đốc các sở, ban, ngành cấp tỉnh; Chủ tịch UBND các huyện, thành phố "
    "chịu trách nhiệm thi hành Quyết định này./.\n"
)


def test_decision_keeps_its_article_and_offers_preamble_and_execution_clause_as_candidates() -> None:
    r = extract_text(DECISION)
    assert [t["assignee"] for t in r["tasks"]] == ["Sở Tài chính"]
    reasons = {c["candidate_reason"] for c in r["candidates"]}
    assert "execution_clause" in reasons
    assert all(c["assignee"] != "Sở Tài chính" for c in r["candidates"])
    assert not any("Bộ Tài chính" == t["assignee"] for t in r["tasks"])


def test_aims_section_is_not_tasks() -> None:
    text = ("KẾ HOẠCH\nPHÒNG, CHỐNG DỊCH BỆNH NĂM 2018\nỦy ban nhân dân tỉnh ban hành Kế hoạch như sau:\n"
            "I. MỤC TIÊU CỤ THỂ\n1. Giám sát chặt chẽ, phát hiện sớm, xử lý triệt để các ổ dịch.\n"
            "II. NHIỆM VỤ\n1. Sở Y tế chủ trì tổ chức giám sát dịch bệnh, báo cáo UBND tỉnh trước ngày 30/6/2018.\n")
    r = extract_text(text)
    assert [t["assignee"] for t in r["tasks"]] == ["Sở Y tế"]


def test_news_about_a_named_person_is_narration() -> None:
    text = ("Sáng ngày 08/7, tại Kỳ họp thứ 7 HĐND tỉnh khóa XII, Phó Chủ tịch UBND tỉnh trình bày báo cáo.\n\n"
            "Đồng chí Nguyễn Ngọc Sâm, Phó Chủ tịch UBND tỉnh trình bày báo cáo tại kỳ họp\n")
    assert extract_text(text)["tasks"] == []


def test_a_dated_task_stays_whatever_its_confidence() -> None:
    low = {"start": 0, "end": 10, "source_text": "Rà soát mẫu phiếu", "confidence": 0.3, "deadline": "2019-06-30"}
    undated = {**low, "deadline": None}
    items = [SimpleNamespace(task=t, reason=None, confidence=None) for t in (low, undated)]
    kept, cands = split(items, threshold=CANDIDATE_THRESHOLD)
    assert kept == [low] and cands[0]["candidate_reason"] == "low_confidence"


def test_plausibility_features() -> None:
    self_assigned = {"assignee": "UBND tỉnh Lào Cai", "source_text": "Hoàn thiện ít nhất 500ha mặt bằng sạch."}
    named = {"assignee": "Sở Công Thương", "source_text": "Sở Công Thương chủ trì tham mưu thủ tục."}
    target = {"assignee": "Sở Công Thương", "source_text": "Tỷ lệ các khu công nghiệp có trạm xử lý đạt 100%."}
    assert plausibility_penalty(self_assigned, "Ủy ban nhân dân tỉnh Lào Cai") >= 0.3
    assert plausibility_penalty(named, "UBND tỉnh Lào Cai") == 0.0
    assert plausibility_penalty(target, None) >= 0.2


def test_bodies_listed_with_semicolons_are_one_subject_and_a_due_line_dates_the_request() -> None:
    text = ("Điều 2. Căn cứ nội dung chương trình, Thủ trưởng các cơ quan đơn vị, Chủ tịch Ủy ban nhân dân cấp huyện, "
            "cấp xã; các tổ chức, doanh nghiệp cụ thể hóa mục tiêu, các chỉ tiêu để thực hành tiết kiệm.\n")
    [task] = extract_text(text)["tasks"]
    # collectives only: one assignee, written whole across the ";" (tests/directives/corpus/CONVENTIONS.md)
    assert task["assignee"] == ("Thủ trưởng các cơ quan đơn vị, Chủ tịch Ủy ban nhân dân cấp huyện, cấp xã; "
                                "các tổ chức, doanh nghiệp")
    assert task["co_assignees"] == []
    letter = ("Kính gửi: Hiệu trưởng các trường.\n"
              "Đề nghị Hiệu trưởng các trường rà soát lại việc thu quỹ phòng, chống thiên tai.\n"
              "Các đơn vị thực hiện trước ngày 24/3/2016.\n")
    tasks = extract_text(letter)["tasks"]
    assert [(t["assignee"], t["deadline"]) for t in tasks] == [("Hiệu trưởng các trường", "2016-03-24")]


def test_an_apposition_after_a_dash_is_not_the_name() -> None:
    text = "Điều 2. Các cơ quan sau thực hiện:\n1. Sở Kế hoạch và Đầu tư - cơ quan thường trực Ban chỉ đạo tham mưu UBND tỉnh tổ chức triển khai Kế hoạch.\n"
    assert extract_text(text)["tasks"][0]["assignee"] == "Sở Kế hoạch và Đầu tư"


def test_vetting_rules_remove_no_labelled_task_of_the_dev_half() -> None:
    """bench/calibrate_candidates.py on the dev half: every document belongs to a batch of SOURCES.md, and the
    layout rules (not the threshold) never take away a labelled task."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[3] / "bench" / "calibrate_candidates.py"
    spec = importlib.util.spec_from_file_location("calibrate_candidates", path)
    assert spec and spec.loader
    cc = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cc)
    rows = cc.rows()
    docs = {r["doc"] for r in rows}
    assert docs and all(r["batch"] != "?" for r in rows)
    ruled_out = [r for r in rows if r.get("reason") not in (None, "low_confidence") and "conf" in r]
    assert ruled_out and not any(r["true"] for r in ruled_out)
    assert cc.f1(rows, 0.0) >= cc.f1(rows, 0.0, vetting=False)
