"""A small framework for the workflow tests: self-assessed, appraisal, survey and live leaves."""

from __future__ import annotations

FRAMEWORK = """
code: par-test
name: Chỉ số CCHC cấp xã (thử)
version: "2023"
levels: [commune]
effective_from: 2023-01-01
bands:
  - {name: Xuất sắc, min_percent: 90}
  - {name: Tốt, min_percent: 80}
  - {name: Khá, min_percent: 70}
  - {name: Trung bình, min_percent: 50}
  - {name: Yếu, min_percent: 0}
nodes:
  - code: "1"
    name: Công tác chỉ đạo, điều hành CCHC
    max_points: 10
    children:
      - code: "1.1"
        name: Ban hành kế hoạch CCHC năm
        max_points: 4
        method: self_assessment
        evidence_required: [Kế hoạch CCHC năm]
      - code: "1.2"
        name: Báo cáo CCHC định kỳ
        max_points: 6
        method: self_assessment
  - code: "2"
    name: Thủ tục hành chính
    max_points: 10
    children:
      - code: "2.1"
        name: Kiểm tra việc thực hiện TTHC
        max_points: 5
        method: appraisal
      - code: "2.2"
        name: Điều tra xã hội học
        max_points: 5
        method: survey
"""

LIVE_FRAMEWORK = """
code: live-test
name: Chỉ số phục vụ (thử)
version: "2023"
levels: [commune]
effective_from: 2023-01-01
bands:
  - {name: Xuất sắc, min_percent: 90}
  - {name: Tốt, min_percent: 80}
  - {name: Khá, min_percent: 70}
  - {name: Trung bình, min_percent: 50}
  - {name: Yếu, min_percent: 0}
nodes:
  - code: "1"
    name: Số hóa
    max_points: 10
    children:
      - code: "1.1"
        name: Tỷ lệ hồ sơ số hóa
        max_points: 10
        method: live
        metric: onestop.test_digitized
        threshold: 100
  - code: "2"
    name: Chỉ đạo điều hành
    max_points: 10
    children:
      - code: "2.1"
        name: Kế hoạch CCHC
        max_points: 10
        method: self_assessment
"""


def fake_provider(values):
    """A metrics provider of `onestop.test_digitized` whose counters come from
    `values[(unit_id, year, month)] = (numerator, denominator)`, summed over the asked months."""
    from congvu.metrics.registry import Metric, MetricProvider, MetricValue

    def compute(q):
        out = {}
        for gid, ids in q.groups.items():
            num = den = 0
            for (uid, year, month), (n, d) in values.items():
                day = __import__("datetime").date(year, month, 1)
                if uid in ids and q.date_from <= day <= q.date_to:
                    num, den = num + n, den + d
            out[gid] = {"onestop.test_digitized": MetricValue.rate(num, den)}
        return out

    return MetricProvider(key="test-indices", compute=compute, metrics=(
        Metric("onestop.test_digitized", "Tỷ lệ hồ sơ số hóa (thử)", "rate", "%", "thử", app="onestop"),))
