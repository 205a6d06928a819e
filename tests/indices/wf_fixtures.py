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
