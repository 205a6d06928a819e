"""Tasks (nhiệm vụ) and periodic reporting duties from the content blocks of a document.

The labelling conventions (shared/eval/README.md) as rules:
- a task is a list item or a sentence that directs someone ("Giao ...", "Đề nghị ...", "Yêu cầu ...",
  "<body> <action>"), inside a section that directs; result sections ("Kết quả", "Đánh giá") give none;
- a heading that only names a body is not a task: its items are, with that body as assignee;
- an item's own leading body is its assignee, else the nearest enclosing heading's body, else the
  addressee of the section's opening sentence ("Yêu cầu Thủ trưởng các cơ quan ... sau:");
- several bodies: the first leads, the rest (and those after "phối hợp với") are co-assignees.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from .bodies import (
    _HEAD_RE,
    ACTION_VERBS,
    Lead,
    acts,
    addressed_bodies,
    after_time_clause,
    cooperating_bodies,
    head_at,
    is_generic,
    leading_bodies,
    parse_bodies,
    tidy,
)
from .deadlines import (
    PERIOD_END_DAY,
    SEND_WINDOW,
    Deadline,
    ReportDuty,
    WorkdayAdder,
    find_deadline,
    next_yearly,
    period_due,
    period_key,
    recurring_reports,
    report_window,
    split_label,
)
from .layout import POSTED_LINE, Block
from .normalize import View, fold

_TERMINAL_END = re.compile(r"[.;!?…]\s*(?:\./\.)?[\"')]*\s*$|\./\.\s*$")

_NARRATIVE_HEAD = re.compile(
    r"^(?:phan thu nhat\W*)?(?:danh gia|ket qua|tinh hinh|dac diem|thuan loi|kho khan|ton tai|han che|nguyen nhan|"
    r"bai hoc|uu diem|nhuoc diem|thuc trang|boi canh|nhung ket qua|mot so ket qua|nhung viec da lam|"
    r"tong quan|so lieu|cong tac chi dao,? dieu hanh nam \d{4})"
)
_NONE_HEAD = re.compile(
    r"^(?:muc dich|muc tieu|yeu cau\W*$|can cu|co so phap ly|kinh phi|quan diem|pham vi|doi tuong|"
    r"chi tieu|giai thich tu ngu|dieu khoan thi hanh|von dau tu|nguon von|tong von|khai toan)"
)
# "Giải pháp thực hiện" in a plan: measures; only those that name a body are tasks (the bodies are assigned
# under "Tổ chức thực hiện")
_MEASURES_HEAD = re.compile(r"^(?:(?:cac|mot so|nhung)\s+)?giai phap(?!.{0,40}nhiem vu)")
_REPORT_HEAD = re.compile(
    r"(?:thoi han|thoi gian|han|ky|che do|noi dung|thoi diem|hinh thuc|mau)\s+(?:gui\s+|nop\s+)?bao cao"
    r"|chot so lieu|bao cao dinh ky\W*$"
)
_DIRECTIVE_HEAD = re.compile(
    r"^(?:(?:mot so|nhung|cac)\s+)?(?:nhiem vu|giai phap|bien phap|phuong huong|kien nghi|de xuat|"
    r"to chuc thuc hien|phan cong|de nghi|ke hoach hanh dong|noi dung (?:thuc hien|trien khai|cong viec)|"
    r"trach nhiem|y kien (?:ket luan|chi dao)|ket luan|cong viec (?:can|trong tam)|cac hoat dong|"
    r"phan thu hai\W+phuong huong|trien khai thuc hien)"
)
_ATTRIBUTE = re.compile(
    r"^(?:(?:cơ quan|đơn vị)\s+)?(?:chủ trì|thực hiện|phối hợp|thời gian|thời hạn|tiến độ|sản phẩm|kinh phí|"
    r"kết quả|đầu mối|chịu trách nhiệm|yêu cầu|hình thức|địa điểm|thành phần|nguồn kinh phí)[^:]{0,40}:",
    re.IGNORECASE,
)
_CLOSING = re.compile(
    r"^(?:Nay\b|Trên đây\b|Thông báo\b|[^.]{0,80}(?:trân trọng cảm ơn|xin cảm ơn|trân trọng thông báo|mong nhận được)|"
    r"[^.]{0,80}\btrả lời\b[^.]{0,80}\bđể\s+(?:biết|thực hiện)|[^.]{0,80}(?<!chờ )(?<!theo )(?<!tại )(?<!của )\bthông báo (?:để|kết luận|ý kiến|nội dung)[^.]*(?:biết|thực hiện))",
    re.IGNORECASE,
)
_IMPERATIVE = re.compile(
    r"^(?:Tiếp tục|Tổ chức|Triển khai|Xây dựng|Rà soát|Tăng cường|Đẩy mạnh|Chủ trì|Phối hợp|Tham mưu|Thực hiện|"
    r"Hướng dẫn|Kiểm tra|Nâng cao|Chỉ đạo|Theo dõi|Báo cáo|Hoàn thành|Khẩn trương|Chủ động|Tập trung|Đôn đốc|"
    r"Tuyên truyền|Phát động|Bảo đảm|Đảm bảo|Quán triệt|Ban hành|Nghiên cứu|Đề xuất|Tổng hợp|Cập nhật|Hoàn thiện|"
    r"Duy trì|Lập|Bố trí|Giải quyết|Thường xuyên|Kịp thời|Quan tâm|Tích cực|Nghiêm túc|Tăng|Giảm|Phấn đấu|Khắc phục|"
    r"Đẩy nhanh|Đặc biệt (?:quan tâm|chú trọng|lưu ý))(?![\w])"
)
_LEADER_DIRECTIVE = re.compile(
    r"^(?:[^.;:]{0,120}?,\s*)?(?:đồng chí\s+)?(?:Chủ tịch|Phó Chủ tịch|UBND|Ủy ban nhân dân|Thường trực|Thủ tướng|"
    r"Phó Thủ tướng|Bộ trưởng|Giám đốc|Ban Thường vụ|Lãnh đạo)[^.;:]{0,80}?\s(?:giao|yêu cầu|đề nghị|chỉ đạo|phân công)\s+",
)
_SPEECH = re.compile(r"(?:đã\s+)?(?:kết luận|chỉ đạo|có ý kiến|yêu cầu|đề nghị|thông báo|giao|ban hành|quyết định|chỉ thị)")
_TOPIC_LABEL = re.compile(r"^(?:Về|Đối với|Riêng|Lĩnh vực)\s[^:;.]{2,80}:\s*")
# Items that judge rather than direct ("1. Đánh giá cao sự chủ động của Bộ Nội vụ ...").
_ASSESSMENT = re.compile(
    r"^(?:Đánh giá cao|Ghi nhận|Biểu dương|Hoan nghênh|Cơ bản thống nhất|Thống nhất với|Nhất trí với|"
    r"Đồng ý với|Đồng tình|Năm \d{4}|Trong (?:năm|thời gian) qua|Thời gian qua|Nhìn chung|Tuy nhiên)(?![\w])"
)
# An item that reports results ("Về kết quả tháng 02: ..."); "Đánh giá ..." alone may be an order.
_RESULTS = re.compile(r"^(?:Về\s+(?:kết quả|tình hình|đánh giá)|Kết quả|Tình hình|Những kết quả|Thực trạng)(?![\w])",
                      re.IGNORECASE)
_DIRECTS = re.compile(r"(?<![\w])(?:yêu cầu|giao|đề nghị|cần|phải|tiếp tục|khẩn trương|tập trung)(?![\w])",
                      re.IGNORECASE)
_DIRECTIVE_OPENER = re.compile(r"^(?:Giao|Đề nghị|Kính đề nghị|Yêu cầu|Chỉ đạo|Phân công)\s+", re.IGNORECASE)
# "(Chinhphu.vn) - ", "(Baonghean.vn) - ": the source tag before the lead of a news copy
_SOURCE_TAG = re.compile(r"^[`'\"]?(?:\([\w.-]+\.(?:vn|com|net|org)\)\s*[-–]\s*|[A-Za-z][A-Za-z.]{2,20}\s+[-–]\s+)",
                         re.IGNORECASE)
# "... chủ trì phiên họp", "dự hội nghị": who chaired or attended a meeting, news not a task
_MEETING_ROLE = re.compile(r"^\s*,?\s*(?:đã\s+|sẽ\s+)?(?:chủ trì|đồng chủ trì|dự|tham dự|chủ tọa|điều hành)\s+(?:các\s+)?"
                           r"(?:phiên họp|cuộc họp|hội nghị|buổi làm việc|buổi họp|họp|kỳ họp|lễ|buổi lễ|đoàn)", re.IGNORECASE)
# "Dự phiên họp có ...", "Tham dự hội nghị có ...": the list of who attended, news not a task
_ATTENDANCE = re.compile(r"(?:Dự|Tham dự|Cùng dự|Đến dự|Tham gia)\s+(?:phiên họp|cuộc họp|hội nghị|buổi làm việc|buổi họp|"
                         r"kỳ họp|lễ|buổi lễ)?[^.;:]{0,40}?\s(?:có|gồm)(?![\w])", re.IGNORECASE)
# Units under the one that directs them: "chỉ đạo các cơ quan, đơn vị trực thuộc" is the subject's own task
_SUBORDINATE = re.compile(r"trực thuộc|chuyên môn|cấp dưới|thuộc quyền|cơ sở|cấp xã|các phòng|đơn vị thuộc", re.IGNORECASE)
# Parties a body regulates, not bodies it assigns: "...; yêu cầu các tổ chức, doanh nghiệp thực hiện ..."
_REGULATED = re.compile(r"^(?:các\s+|mọi\s+)?(?:tổ chức, doanh nghiệp|doanh nghiệp|tổ chức, cá nhân|cá nhân|người dân|"
                        r"nhân dân|hộ gia đình|chủ đầu tư|nhà đầu tư|chủ cơ sở|cơ sở)", re.IGNORECASE)
# "Báo cáo hoàn thành của các cơ quan, đơn vị gửi ... trước ngày 05/6/2017": when the report asked just before is due
_REPORT_DUE = re.compile(r"^(?:Báo cáo|Văn bản báo cáo|Thời hạn (?:gửi |nộp )?báo cáo)(?![\w])")
# "Các đơn vị thực hiện trước ngày 24/3/2016.": a paragraph that only says when the request before it is due
_DUE_ONLY = re.compile(r"^(?:Các|Những|Tất cả các)\s+(?:đơn vị|cơ quan|địa phương|trường|xã|phường|bộ phận)(?:,\s*[^,.;]{2,30})?\s+"
                       r"(?:thực hiện|hoàn thành|hoàn thiện|gửi(?: về)?|nộp)(?: xong)?\s*(?:trước|chậm nhất|trong)[^.;]{3,40}[.;]?\s*$")
_ONLY_NOTE = re.compile(
    r"^(?:để\s+)?(?:(?:biết|nắm)[,\s]*(?:và\s+)?)?(?:(?:nghiêm túc|khẩn trương|quan tâm|căn cứ[^,]{0,40},?|phối hợp(?:\s+và)?)\s+)*"
    r"(?:tổ chức\s+)?(?:triển khai\s+)?(?:thực hiện|phối hợp|chỉ đạo)?(?:\s+nghiêm túc)?"
    r"(?:\s+(?:các\s+)?(?:Chỉ thị|Thông báo|Kế hoạch|Công văn|Quyết định|văn bản|kết luận|nội dung|ý kiến chỉ đạo|chỉ đạo)"
    r"(?:\s+(?:này|trên|nêu trên))?)?"
    # "...; trong quá trình thực hiện, nếu có khó khăn, vướng mắc, kịp thời báo cáo ...": the closing's usual tail,
    # with no subject of its own
    r"(?:[.;]\s*trong quá trình[^.;]{0,60}?(?:khó khăn|vướng mắc)[^.;]{0,20}?,?\s*kịp thời\s+[^.]*)?[\s./]*$",
    re.IGNORECASE)
# Page furniture of web copies and photo captions: never content.
_CHROME = re.compile(
    r"^(?:Insert title here|Skip (?:Ribbon Commands|to main content)|Banner|Thẻ\s*:|TAGS\b|Tags?\s*:|Bài liên quan|Tin mới|"
    r"Tin liên quan|Xem thêm|Xem chi tiết|Bản in|Quay lại|Xem theo ngày|Ý kiến bạn đọc|Lượt xem|Tác giả|Nguồn\s*:|"
    r"Theo\s+[\w.-]+\.(?:vn|gov\.vn|com)|Chia sẻ|Click để copy|• Click|Ảnh minh họa|\(?Ảnh\s*:|THÔNG TIN (?:Ý KIẾN|PHẢN HỒI)|"
    r"Đang tải nội dung|date\s+\d{4}-\d{2}\s*$)"
    r"|\((?:Ảnh|Nguồn)\s*:[^)]*\)\s*$",
    re.IGNORECASE)


def _chrome(text: str) -> bool:
    """_CHROME.search(text): its first branch is anchored at the start, the other opens with "(": searched only
    when there is one (a search is tried at every position)."""
    return bool(_CHROME.match(text) or ("(" in text and _CHROME.search(text)))


_HEAD_ANYWHERE = re.compile(r"(?<![\w])(?:" + _HEAD_RE.pattern + r")")
_ACTION_ANY = re.compile(rf"(?<![\w])(?:{ACTION_VERBS})(?![\w])")
# "- Tài sản kết cấu hạ tầng đô thị - Bộ Xây dựng.": which body takes which part, under a task that says what
_MAPPING_LINE = re.compile(r"\s[-–—]\s+(?:Bộ|Sở|UBND|Ủy ban|Ban|Cục|Tổng cục|Văn phòng)\s[^-–—]{2,80}[.;]?\s*$")
# "Phối hợp với Ủy ban nhân dân các xã: Gia Phú, Bảo Thắng khẩn trương ...": bodies listed after a colon, a sentence
# rather than a "Phối hợp: ..." attribute of the task above
_WITH_BODIES = re.compile(r"^[^:]{0,40}?(?<![\w])với\s+[^:\s][^:]*:")
# "- Khoản 2 Điều 3 của Thông tư số 15/2026/TT-BCT quy định: “...”": law quoted word for word
_LAW_QUOTE = re.compile(r"^(?:Tại\s+)?(?:Điểm|Khoản|Điều|Mục|Chương)\s+[\w.]+[^:“\"]{0,160}?(?<![\w])quy định"
                        r"(?:\s+(?:rõ|cụ thể|như sau))?\s*:\s*[“\"]", re.IGNORECASE)
# "Đối với công tác ...", "Về công tác ...", "Việc sử dụng đất ...": a topic heading
_WINDOW = re.compile(r"(?<![\w])từ\s+(?:ngày\s+)?\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?\s+(?:đến|tới)\s+(?:hết\s+)?"
                     r"(?:ngày\s+)?\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{4})?", re.IGNORECASE)
# "... và các tổ chức, cá nhân có liên quan ... nghiêm túc thực hiện.": a sentence that only closes
_CLOSING_END = re.compile(r"(?<![\w])nghiêm túc\s+(?:tổ chức\s+)?(?:triển khai\s+)?thực hiện\s*[.;]?\s*$")
_INCLUDING = re.compile(r",?\s*bao gồm\s*:\s*$")
_ASK_TO = re.compile(r"^Yêu cầu\s+(?:thực hiện|triển khai|tổ chức|chấp hành|tuân thủ)(?![\w])")
_TOPIC_HEAD = re.compile(r"^(?:Đối với|Về|Việc)\s+(?!các\s+(?:Bộ|Sở|cơ quan|đơn vị|địa phương)\b)")
_MEETING_TITLE = re.compile(r"kết luận|ý kiến|cuộc họp|hội nghị|buổi làm việc|phiên họp|giao ban|kiểm tra|làm việc",
                            re.IGNORECASE)
# "Quyết định có hiệu lực ... và giao Ủy ban nhân dân các tỉnh ...": what a cited act asks, told as background
# (an act cited by number or by its effect; "Văn bản này cũng lưu ý ..." in a news copy is the directive itself)
_DOC_SUBJECT = re.compile(r"^(?:Quyết định|Nghị định|Thông tư|Nghị quyết|Luật)(?![\w])"
                          r"(?:\s+(?:số\s+)?[\w./-]*\d[\w./-]*)?\s+"
                          r"(?:có hiệu lực|quy định|cũng|còn|đã|nêu rõ|giao|yêu cầu|đề nghị)(?![\w])")
_DOC_REF = re.compile(r"^(?:Văn bản hợp nhất|Văn bản|Quyết định|Nghị định|Nghị quyết|Thông tư|Chỉ thị|Công văn|Kế hoạch|"
                      r"Thông báo|Luật|Báo cáo|Tờ trình|Chương trình)\s+(?:số\s+)?[\d/]", re.IGNORECASE)
# "Tên đơn vị: ...", "Địa chỉ: ...": a record field, not a directive.
_RECORD_FIELD = re.compile(r"^[^\W\d][^:;.]{0,40}:\s*\S")


# "Đó là chỉ đạo của Phó Chủ tịch UBND tỉnh ... đối với 5/8 xã điểm ... tại cuộc họp ...": the line above is a directive
_THAT_IS = re.compile(r"^Đó là (?:những |các )?(?:ý kiến )?(?:chỉ đạo|yêu cầu|kết luận|đề nghị)\s+của\s+[^.;]{3,120}?"
                      r"\s(?:đối với|với)\s+(?P<who>[^.;,(]{2,80}?)(?=\s*\(|\s+(?:tại|khi|vào)\s|[,.;]|$)")
# "Theo đó, ...": what the document announced just before says; "... có ý kiến chỉ đạo (như sau):" opens its text
_TASKS_INTRO = re.compile(r"(?:nhiệm vụ|công việc|nội dung)[^:.;]{0,60}?(?:cần|phải)\s+(?:thực hiện|triển khai|làm)"
                         r"[^:.;]{0,40}:\s*$", re.IGNORECASE)
_ACCORDINGLY = re.compile(r"^Theo đó\s*,", re.IGNORECASE)
_GUIDANCE_INTRO = re.compile(r"(?:ý kiến chỉ đạo|kết luận|chỉ đạo)(?:\s+(?:cụ thể\s+)?như sau)?\s*:\s*$", re.IGNORECASE)
_ANNOUNCES = re.compile(r"(?<![\w])(?:ban hành|vừa có|đã có|ký)\s+(?:các\s+)?(?:Công văn|văn bản|Chỉ thị|Công điện|Thông báo|"
                        r"Kế hoạch)(?![\w])", re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    "các và của cho với theo trong tại về để được có là những một này đó trên dưới đã sẽ đang từ đến ngày tháng năm "
    "số thực hiện triển khai tổ chức khẩn trương tập trung yêu cầu giao đề nghị chủ trì phối hợp liên quan đơn vị "
    "cơ quan sở ngành ubnd tỉnh huyện".split())


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[\w/-]+", text.lower()) if w not in _FUNCTION_WORDS and not w.isdigit()}


@dataclass
class TaskDraft:
    view: View
    assignee: str | None
    co_assignees: list[str]
    generic: bool
    deadline: Deadline | None
    action: str
    flags: list[str] = field(default_factory=list)
    origin: str = "item"  # item (a list item or heading), sentence (prose), follow (inherited subject), row
    block: int = -1  # the paragraph a prose task comes from


@dataclass
class _Def:
    pos: int
    mode: str | None = None
    lead: list[str] | None = None
    deadline: Deadline | None = None


@dataclass
class Context:
    """What a document tells the task rules about itself."""

    doc_type: str | None
    issuer: str | None
    addressed_to: list[str]
    ref_year: int | None
    ref_date: date | None
    aliases: dict[str, str] = field(default_factory=dict)
    workdays: WorkdayAdder | None = None  # adds working days (the workdays calendar), when available
    anchors: list[tuple[str, date]] = field(default_factory=list)  # effective dates of the acts the text implements
    title: str | None = None  # the subject line ("Về việc treo cờ Tổ quốc", "Kết luận của Chủ tịch ...")


def heading_mode(text: str) -> str | None:
    key = fold(text).strip(" :.")
    if _MEASURES_HEAD.match(key):
        return "measures"
    if ("bao cao" in key or "chot so lieu" in key) and _REPORT_HEAD.search(key):  # its every branch holds one
        return "report"
    if _NARRATIVE_HEAD.match(key):
        return "narrative"
    if _NONE_HEAD.match(key):
        return "none"
    if _DIRECTIVE_HEAD.match(key):
        return "directive"
    return None


# "Các hành vi bị cấm trong hoạt động phòng chống thiên tai là gì?", "Hoạt động ... được quy định như thế nào?": a
# law library's question under the letter it copies; what follows explains the law and directs nobody. A title that
# only ends in "?" ("Toàn văn Công điện 234/CĐ-TTg phát động ...?") asks nothing and is not one.
_QUESTION_HEAD = re.compile(
    r"(?:\bla gi|nhu the nao|ra sao|nhung gi|gom nhung|(?:truong hop|khi|luc|dau|ai) nao|bao nhieu|bao lau|"
    r"\bco (?:duoc|phai|bat buoc|can)\b.*\bkhong|\bkhong)\W*\?\W*$")


def is_question_heading(text: str) -> bool:
    return _words(text) <= 40 and bool(_QUESTION_HEAD.search(fold(text).rstrip(" *")))


_LAW_SAYS = re.compile(r"(?:được\s+)?quy định\s+(?:cụ thể\s+)?(?:như sau|tại [^:]{1,80})\s*:\s*$")
_QUOTED_TITLE = re.compile(r"[“\"][^”\"]{3,200}[”\"]")


def intro_mode(text: str) -> str | None:
    # the quoted subject of a cited letter ("Công văn số ... về “tình hình ô nhiễm ...”") says nothing of the intro
    last = fold(re.split(r"[;.]\s", _QUOTED_TITLE.sub(" ", text))[-1])
    if re.search(r"(?<![\w])da (?:ban hanh|co|thuc hien|to chuc|dat duoc|trien khai)", last) and not re.search(
            r"yeu cau|de nghi|giao|chi dao", last):
        return "narrative"  # "Bộ ... đã ban hành các văn bản ..., cụ thể:" lists what was done
    if re.search(r"(?:dinh ky|hang (?:thang|quy|nam))[^:]{0,120}bao cao|bao cao[^:]{0,80}dinh ky", last):
        return "report"  # "... định kỳ tổng hợp báo cáo kết quả ... như sau:" opens a report schedule
    if re.search(r"bao cao (?:ket qua|tinh hinh)|ket qua (?:thuc hien|dat duoc)|tinh hinh", last) and not re.search(
            r"ket luan|chi dao|yeu cau|de nghi", last):
        return "narrative"
    if re.search(r"ket luan|chi dao|yeu cau|de nghi|giao|nhiem vu|noi dung|thuc hien|trien khai|giai phap|co y kien", last):
        return "directive"
    return None


def is_intro(text: str) -> bool:
    t = text.rstrip(" *")
    if t.endswith(":"):
        return True
    # "(?:như sau|sau đây|cụ thể)\s*[:.]?$" read from the end (searched, it was tried at every position of the
    # paragraph): '$' also matches before a final newline
    u = t[:-1] if t.endswith("\n") else t
    if u.endswith((":", ".")):
        u = u[:-1]
    return u.rstrip().endswith(("như sau", "sau đây", "cụ thể"))


def _words(text: str) -> int:
    return len(text.split())


def _only_names(text: str, lead: Lead) -> bool:
    """Does the text hold nothing but the body name(s) ("2.4. Phòng Nội vụ huyện:"), perhaps with a note
    in brackets ("- Sở Xây dựng (đối với tài sản kết cấu hạ tầng đô thị);")?"""
    rest = re.sub(r"\([^()]*\)", "", text[lead.end:])
    return not re.sub(r"[\s:.;,*()]+", "", rest)


def _directive_head(view: View) -> View | None:
    """The directive that opens an intro item of several sentences, or None ("UBND huyện yêu cầu ...
    thực hiện một số nội dung sau:" only introduces; "Bộ Tài chính chủ trì ... trước ngày 20/10. Trong đó
    chú ý:" directs by itself)."""
    sents = _sentences(view)
    if len(sents) < 2:
        return None
    head = view.sub(0, sents[-1][0]).strip()
    text = head.text
    lead = leading_bodies(text)
    if (lead and not lead.verb and acts(text, lead.end)) or (lead and lead.verb) or _IMPERATIVE.match(text):
        return head
    return None


def _enumerated(text: str) -> bool:
    """A body listed as one of several (ends with ";" or "," or carries a bracketed note)."""
    return bool(re.search(r"[;,]\s*$|\)\s*[;.,]?\s*$", text)) and not text.rstrip().endswith(":")


_COMMA_VERB = re.compile(rf",\s*(?!tổ chức\s*[,;]|giúp việc)(?:{ACTION_VERBS})(?![\w])")


def _heading_like(text: str, has_children: bool) -> bool:
    t = text.rstrip(" *")
    return (has_children and _words(t) <= 25 and not _TERMINAL_END.search(t) and not t.endswith(":")
            and not re.search(r"(?<![\w])(?:đã|là)(?![\w])", t) and not _COMMA_VERB.search(t))


def _heading_names(text: str) -> list[str]:
    """The bodies a heading names, whole: "Các cơ quan chuyên trách ...; các chi bộ, đảng bộ cơ sở"."""
    parts = [tidy(p) for p in re.split(r"\s*;\s*", text.strip(" :.*")) if tidy(p)]
    return parts or [tidy(text)]


_TASK_LABEL = re.compile(r"(?:nhiệm vụ|nội dung|giải pháp|yêu cầu|trách nhiệm|công việc|hoạt động|việc|biện pháp|"
                         r"chỉ tiêu|mục tiêu|đề nghị|kiến nghị|giao)", re.IGNORECASE)


def _is_record(text: str) -> bool:
    """"Label: value" with a label that names a field, not an action ("Địa chỉ trụ sở chính: ...",
    "Ngành nghề kinh doanh chính: Xây dựng ..."); "Nhiệm vụ: Xây dựng kế hoạch" is a task."""
    m = _RECORD_FIELD.match(text)
    if not m:
        return False
    label, value = text.split(":", 1)
    if _IMPERATIVE.match(label) or _DIRECTS.search(label) or _TASK_LABEL.search(label) or re.search(r"\d", label):
        return False
    value = value.strip()
    lead = leading_bodies(value)
    acting = lead is not None and bool(re.match(rf"\s*,?\s*(?:{ACTION_VERBS})(?![\w])", value[lead.end:]))
    return not (_DIRECTIVE_OPENER.match(value) or acting)


def _sentences(view: View) -> list[tuple[int, int]]:
    text = view.text
    cuts = [0]
    for m in re.finditer(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ\"(])", text):
        prev = text[max(0, m.start() - 4):m.start()]
        if re.search(r"(?:TP|TX|TT|KT|TL|TM|Q|Tp|St|[A-Z])\.$", prev):
            continue  # an abbreviation, not the end of a sentence
        cuts.append(m.end())
    cuts.append(len(text))
    return [(a, b) for a, b in zip(cuts, cuts[1:], strict=False) if text[a:b].strip()]


_LEVEL_TAIL = re.compile(r"(?:,\s*(?:cấp\s+)?(?:xã|huyện|tỉnh|phường|thị trấn|thành phố|thị xã|đặc khu))+\s*$")


def _clauses(view: View) -> list[tuple[int, str]]:
    """Sentence starts, and the starts of clauses after "; " (a clause may name a new subject)."""
    out = [(a, "sentence") for a, _ in _sentences(view)]
    starts = {a for a, _ in out}
    # a directive quoted by the news after a byline: "Audio thời sự 07-12-2021 “Sở Nông nghiệp ... phối hợp ...”"
    out += [(m.start(), "sentence") for m in re.finditer(r"(?<=\s)[\"“](?=[A-ZĐÀ-Ỹ])", view.text)
            if m.start() not in starts and m.start() - 1 not in starts]
    starts = sorted({a for a, _ in out})
    # "..., Chính phủ có ý kiến như sau: Bộ NNPTNT căn cứ ..., chủ trì ...": an opening and its directive in one line
    for m in re.finditer(r"(?:như sau|sau đây)\s*:\s+(?=[A-ZĐ])", view.text):
        if m.end() not in starts:
            out.append((m.end(), "clause"))
    # "... chỉ đạo các chuyên môn thực hiện tốt các nội dung như: Triển khai ... . Rà soát ...": a list written inline,
    # its first item a sentence of its own
    for m in re.finditer(r"(?<![\w])như\s*:\s+(?=[A-ZĐ])", view.text):
        if m.end() not in starts:
            out.append((m.end(), "sentence"))
    starts = sorted({a for a, _ in out})
    for m in re.finditer(r";\s+(?=\S)", view.text):
        # "Thủ trưởng các cơ quan, Chủ tịch UBND cấp huyện; các tổ chức, doanh nghiệp cụ thể hóa ...": bodies
        # listed with ";" are one subject, not a new clause
        prev = max((a for a in starts if a <= m.start()), default=0)
        seg = view.text[prev:m.start()]
        commas = [c.end() for c in re.finditer(r",\s+", seg)][:3]
        # "... chỉ đạo các sở, ban, ngành, đoàn thể tỉnh; UBND các huyện ... đẩy nhanh ...": the bodies after the
        # address verb, listed up to ";", are one addressee
        verbs = [v.end() for v in _ADDRESS_ANY.finditer(seg)][-1:]
        if len(seg) < 300 and _HEAD_ANYWHERE.search(seg) and any(
                _only_bodies(_LEVEL_TAIL.sub("", seg[c:])) for c in [0, *commas, *verbs]):
            continue
        out.append((m.end(), "clause"))
        starts = sorted(set(starts) | {m.end()})
    return sorted(out)


# what may open a clause before its request: "...; đồng thời đề nghị ...", "...; Giao ..."
_CLAUSE_OPENER = re.compile(r"(?:(?:đồng thời|và|cùng với đó|bên cạnh đó)\s*,?\s*)?", re.IGNORECASE)
# "... thực hiện tốt các nội dung như: Triển khai ... . Rà soát ...": a list written inline, its items sentences
# ("Chính phủ có ý kiến như sau: Bộ A ... . Khẩn trương ...": one directive told after its opening, not a list)
_INLINE_LIST = re.compile(r"(?<![\w])như\s*:\s|(?:các|những)\s+(?:nội dung|nhiệm vụ|công việc|việc|giải pháp)[^.:;]{0,40}"
                          r"(?:như sau|sau đây|sau)\s*:\s")
# "các vấn đề mà hội nghị đã thảo luận": a relative clause says what was done to the topic, not who acts
_RELATIVE = re.compile(r"(?<![\w])mà\s[^,;]*")
_ADDRESS_ANY = re.compile(r"(?<![\w])(?:kính đề nghị|kính mong|đề nghị|yêu cầu|giao(?:\s+trách\s+nhiệm)?|chỉ đạo|kêu gọi|phân công"
                          r"|lưu ý)(?:\s*[,:])?\s+(?:cho\s+)?",
                          re.IGNORECASE)
# "Phó Chủ tịch UBND tỉnh Nguyễn Văn A kiểm tra ...": a leader named in person narrates what was done.
_PERSON_SUBJECT = re.compile(
    r"^(?:đồng chí\s+)?(?:Phó\s+)?(?:Chủ tịch|Bí thư|Thủ tướng|Bộ trưởng|Giám đốc|Trưởng ban|Chánh Văn phòng)"
    r"[^,.;:]{0,60}?\s(?:[A-ZĐ][a-zà-ỹđ]+\s+){1,3}[A-ZĐ][a-zà-ỹđ]+(?=\s+[a-zà-ỹđ])",
)
# a paragraph that opens with the report itself ("Tổng hợp, báo cáo kết quả ... gửi về ...", "Báo cáo gửi về ...")
_REPORT_OPENING = re.compile(r"(?:(?:tổng hợp|hoàn thiện)\s*,?\s*)?(?:báo cáo|gửi báo cáo)(?![\w])", re.IGNORECASE)
# What makes "X đã giao/yêu cầu Y ..." a step told from the past rather than the news of the request in force
# ("Về việc này, UBND thành phố đã giao Sở Nội vụ ..., báo cáo ... trước ngày 10/3/2013"): a date or a period it
# happened in, the act that gave it, or what has (not) been done since.
_EARLIER_ACT = re.compile(
    r"^\s*(?:Ngày\s+\d|Trước\s+đó|Thời\s+gian\s+qua|Vừa\s+qua|Qua\s|Trong\s+(?:năm|thời\s+gian|tháng|quý)|Từ\s|Năm\s+\d"
    r"|Tại\s+(?:Công\s+văn|Văn\s+bản|Kế\s+hoạch|Thông\s+báo|Quyết\s+định|Chỉ\s+thị|cuộc|buổi|Hội\s+nghị|phiên))"
    r"|(?<![\w])(?:số\s+\d+\s*/|tại\s+(?:Công\s+văn|Văn\s+bản|Kế\s+hoạch|Thông\s+báo|Quyết\s+định|Chỉ\s+thị))",
    re.IGNORECASE)  # searched before the verb: the act that gave the request
_SINCE = re.compile(r"(?<![\w])(?:nhưng|tuy\s+nhiên|chưa|đã\s+(?:hoàn\s+thành|thực\s+hiện|triển\s+khai|báo\s+cáo))(?![\w])",
                    re.IGNORECASE)  # anywhere: what has (not) been done since
# "Ngày 04 tháng 5 năm 2023, Thủ tướng đã ban hành Công điện số 365/CĐ-TTg ...; trong đó yêu cầu ...": an earlier act
_TOLD_ACT = re.compile(
    r"\s*(?:\([^()]{0,40}\)\s*[-–]?\s*)?Ngày\s+\d{1,2}(?:\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}|\s+tháng\s+\d{1,2}\s+năm\s+\d{4})\s*,"
    r"[^.;]{0,160}?(?:ban\s+hành|có)\s+(?:Công\s+văn|Công\s+điện|Kế\s+hoạch|Quyết\s+định|Thông\s+báo|Chỉ\s+thị|Văn\s+bản)\s+số",
    re.IGNORECASE)
# "Đến ngày 17 tháng 5 năm 2023, Văn phòng Chính phủ đã nhận được báo cáo của 04/22 bộ", "Tuy nhiên, đến nay Sở Tài chính
# chưa có báo cáo": the text's own now, after the earlier act it told
_STATUS = re.compile(r"(?<![\w])(?:đến\s+nay|(?:tính\s+)?đến\s+ngày\s+\d[^.;]{0,40}?)[^.;]{0,80}?(?:chưa|mới|đã\s+nhận\s+được)(?![\w])",
                     re.IGNORECASE)
# "Thực hiện báo cáo đầy đủ nội dung như sau:", "Nội dung báo cáo gồm:", "báo cáo các nội dung sau:"
_REPORT_CONTENTS_INTRO = re.compile(
    r"(?:báo\s+cáo\s+(?:đầy\s+đủ\s+)?(?:(?:các|những|một\s+số)\s+)?nội\s+dung|nội\s+dung\s+báo\s+cáo)"
    r"[^.;:]{0,40}?(?:như\s+sau|sau|gồm|bao\s+gồm)?\s*:\s*$", re.IGNORECASE)
# "Nội dung này được nêu trong Công văn số ...": a sentence about the text, where a news copy found it
_ABOUT_THE_TEXT = re.compile(r"(?:Nội\s+dung|Thông\s+tin|Yêu\s+cầu|Việc)\s+(?:này|trên|nêu\s+trên)\s+(?:được|đã|nằm)(?![\w])",
                             re.IGNORECASE)
# "gửi báo cáo / kết quả / hồ sơ ...": the addressee is asked to send something
_SENDS_WHAT = re.compile(r"gửi\s+(?:báo\s+cáo|kết\s+quả|văn\s+bản|hồ\s+sơ|số\s+liệu|danh\s+sách|ý\s+kiến|thông\s+tin|bản|"
                         r"đề\s+xuất|dự\s+thảo|phương\s+án|kế\s+hoạch)(?![\w])", re.IGNORECASE)
# what may follow the last body of an addressee list before ";" ("... đơn vị có liên quan;")
_NAMES_ONLY_TAIL = re.compile(r"\s*(?:có\s+liên\s+quan|liên\s+quan|trực\s+thuộc)?\s*;\s*", re.IGNORECASE)
# "Căn cứ (theo) ... Thông tư số ...": the basis a letter cites, which directs nobody by itself
_BASIS_LINE = re.compile(r"Căn\s+cứ(?:\s+(?:theo|vào))?\s", re.IGNORECASE)
# "<body> thông báo về việc ...", "V/v ...": the subject line of a notice, not a sentence
_SUBJECT_LINE = re.compile(r"(?:[^.;:]{3,80}?\s)?(?:thông\s+báo|hướng\s+dẫn)\s+(?:về\s+việc|v/v)\s", re.IGNORECASE)
# "tính đến ngày 31/12/2024", "số liệu đến ngày 30/6/2025", "chốt số liệu tại ngày ...": a data cut-off
CUT_OFF_DATE = re.compile(r"(?:tính\s+(?:đến|tới)|số\s+liệu\s+(?:tính\s+)?(?:đến|tới)|chốt\s+số\s+liệu\s+(?:đến|tới|tại|vào)?)"
                          r"\s*(?:hết\s+)?(?:ngày\s+)?(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})",
                          re.IGNORECASE)
# "Việc hoàn thành các kiến nghị ... phải hoàn thành trước ngày 28/2/2020.": when the task above is due
_COMPLETION_NOTE = re.compile(r"Việc\s+[^.;]{2,160}?\s(?:(?:phải|cần)\s+(?:được\s+)?)?(?:hoàn\s+thành|hoàn\s+tất|xong)(?![\w])",
                              re.IGNORECASE)
_FOLLOW_UP = re.compile(r"(?<![\w])(?:báo cáo|gửi|(?<!công )(?<!giải )trình|hoàn thành|tổng hợp)(?![\w])", re.IGNORECASE)
# "Chủ tịch UBND tỉnh: Đầu tư ... phải bài bản", "Thủ tướng: Không để ...": a news headline that quotes its speaker
_SPEAKER_HEADLINE = re.compile(r"^(?:Phó\s+)?(?:Chủ tịch|Thủ tướng|Bộ trưởng|Bí thư|Giám đốc|Thứ trưởng)(?:\s+(?:UBND|Ủy ban nhân "
                               r"dân|Tỉnh ủy|Thành ủy|Sở|Bộ)(?:\s+(?:tỉnh|thành phố|huyện|xã|phường))?)?(?:\s+[A-ZĐ][\w-]*){0,3}"
                               r"\s*:\s*(?=[A-ZĐ“\"])")
_NARRATED = re.compile(r"(?<![\w])(?:đã|đang|chưa|vừa qua|hiện nay|đến nay|nếu có|vừa\s+(?:ký|ban hành|có|gửi|tổ chức))(?![\w])",
                       re.IGNORECASE)


def _skip(s: str, i: int) -> int:
    while i < len(s) and s[i] in " ,":
        i += 1
    return i


_SANCTION = re.compile(r"chịu trách nhiệm[^.;]{0,60}?(?<![\w])(?:nếu|khi để|trong trường hợp)(?![\w])", re.IGNORECASE)


def _only_bodies(clause: str) -> bool:
    """A clause that holds nothing but bodies ("Viễn thông Đồng Nai (VNPT Đồng Nai)")."""
    clause = clause.strip(" ;,.")
    found = parse_bodies(clause, 0, any_case=True)
    return bool(found) and not re.sub(r"\([^()]*\)|[\s,;.]", "", clause[found.end:])


def _addressed_in(s: str) -> Lead | None:
    """A directive verb anywhere in a sentence followed by the bodies it addresses:
    "Theo đó, Chủ tịch UBND tỉnh yêu cầu Công an tỉnh, ... phối hợp ...", "UBND TP giao Sở GTVT chủ trì ..."."""
    for m in _ADDRESS_ANY.finditer(s[:400]):
        own = s[s.rfind(". ", 0, m.start()) + 1:m.start()].lstrip()  # the verb's own sentence
        if _DOC_SUBJECT.match(own) and ":" not in own:
            continue  # "Quyết định có hiệu lực kể từ ngày ký và giao UBND các tỉnh ...": the cited act's request
        before = s[max(0, m.start() - 12):m.start()]
        if re.search(r"(?:đã|được|theo|của|có|đến|nhận|việc|thì)\s*$", before, re.IGNORECASE):
            continue  # "... được giao cho Bộ A, còn ... thì giao cho Bộ B": how things stood, not a request
        if re.match(r"giao\s+(?:thông|dịch|ban|nhận|lưu|tiếp|đất|rừng|tài sản|việc|nhiệm vụ\s+(?!cho))", s[m.start():], re.IGNORECASE):
            continue
        if re.match(r"phân công\s+(?:cán bộ|công chức|viên chức|người lao động)", s[m.start():], re.IGNORECASE):
            continue  # "phân công công chức, viên chức trực": staff put on duty, not bodies addressed
        bodies = parse_bodies(s, m.end(), any_case=True) or after_time_clause(s, m.end())
        if bodies is None:
            sent = _sent_to(s[:m.start()])
            if sent is not None and re.match(rf"(?:{ACTION_VERBS})(?![\w])", s[m.end():]):
                return sent  # "Bộ Xây dựng có Công văn số ... gửi các đơn vị ..., yêu cầu báo cáo ..."
            continue
        after = s[bodies.end:bodies.end + 40].lstrip(" ,")
        if re.match(r"(?:đã|là|được|về việc|của)(?![\w])", after) or (re.match(r"gửi(?![\w])", after) and not _SENDS_WHAT.match(after)):
            continue  # "đề nghị của UBND huyện gửi Sở ...": who sent what; but "đề nghị UBND các huyện gửi báo cáo ..." asks
        rest = bodies.end
        if s[rest:rest + 1] == ":":
            rest += 1
        return Lead(bodies.names(s), bodies.spans[0][0], bodies.end, m.group(0).strip(), rest)
    return None


# "... có Công văn số 1154/BXD-VLXD gửi ...", "văn bản gửi ...": the letter's addressees
_SENT_TO = re.compile(r"(?<![\w])(?:văn bản|công văn|công điện|thông báo|chỉ thị|điện|thư)(?:\s+(?:số\s+)?[\w./-]*\d[\w./-]*)?"
                      r"(?:\s+ngày\s+[\d/.-]+)?\s+gửi\s+(?:tới\s+|đến\s+)?", re.IGNORECASE)


def _sent_to(before: str) -> Lead | None:
    """The bodies a letter is sent to, when the request that follows names no body of its own: "Bộ Xây dựng có
    Công văn số ... gửi các đơn vị đang đầu tư dự án ..., yêu cầu báo cáo ..." directs the bodies it is sent to."""
    for m in _SENT_TO.finditer(before):
        bodies = parse_bodies(before, m.end(), any_case=True)
        if bodies is None:
            continue
        tail = before[bodies.end:].strip(" ,")
        if not tail:
            return Lead(bodies.names(before), bodies.spans[0][0], bodies.end, "gửi", bodies.end)
        if (len(bodies.spans) == 1 and is_generic(bodies.names(before)[0]) and len(tail.split()) <= 12
                and not re.search(r"[.;:()]", tail)):
            # "các đơn vị đang đầu tư dự án sản xuất xi măng": a kind of body described by what it does
            end = len(before.rstrip(" ,"))
            return Lead([tidy(before[bodies.spans[0][0]:end])], bodies.spans[0][0], end, "gửi", end)
    return None


def _opens_request(clause: str) -> bool:
    """A clause that opens with a request of its own: "đồng thời đề nghị ...", "Giao ..."."""
    opener = _CLAUSE_OPENER.match(clause)
    return bool(opener and _DIRECTIVE_OPENER.match(clause[opener.end():]))


def _carried(lead: Lead | None) -> Lead | None:
    """The subject of a directive carried to the next one, which names no body (its action starts at its start)."""
    return Lead(list(lead.names), 0, 0, None, 0) if lead is not None else None


def _closing_only(text: str) -> bool:
    """The closing formula of a letter ("Đề nghị các cơ quan, đơn vị nghiêm túc thực hiện./.")."""
    if not re.search(r"\./\.\s*$", text):
        return False
    lead = _addressed_in(text) or leading_bodies(text)
    return bool(lead and _ONLY_NOTE.match(text[lead.rest:].lstrip()))


def _said_to(t: TaskDraft) -> str | None:
    """What a prose task asks of its assignee, from the assignee's name on: a news copy repeats its lead
    ("Phó Thủ tướng X vừa giao Bộ Nội vụ chủ trì ..." and, further down, "Phó Thủ tướng giao Bộ Nội vụ chủ trì
    ..."), one directive told twice."""
    if not t.assignee or t.origin != "sentence":
        return None
    text = fold(t.view.text)
    at = text.find(fold(t.assignee))
    if at < 0:
        return None
    words = re.sub(r"\W+", " ", text[at:]).split()
    return " ".join(words) if len(words) >= 12 else None


def _first_sentence(text: str, limit: int = 300) -> str:
    m = re.search(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])", text)
    s = text[: m.start()] if m else text
    s = s.strip(" :;,.-")
    if len(s) > limit:
        s = s[:limit].rsplit(" ", 1)[0] + "…"
    return s[:1].upper() + s[1:]


class TaskExtractor:
    def __init__(self, blocks: list[Block], ctx: Context) -> None:
        self.blocks = blocks
        self.ctx = ctx
        self.defs: dict[int | None, list[_Def]] = {}
        self.tasks: list[TaskDraft] = []
        self.report_blocks: list[int] = []
        self.report_lead: list[str] | None = None
        self.last_lead: list[str] | None = None
        self._last_para_task = -2  # index of the last paragraph that gave a task
        # the last top-level paragraph that addressed bodies ("... yêu cầu UBND các tỉnh ... thực hiện các nhiệm vụ
        # sau:", "UBND tỉnh yêu cầu các đơn vị ... thực hiện nghiêm ...") and those bodies: the unmarked paragraphs
        # right after it that open with an imperative are their tasks
        self._run: tuple[int, list[str]] | None = None
        self._details: set[int] = set()  # items whose lines detail them ("cụ thể như sau:")
        self.quoted = _quoted_blocks(blocks)  # law quoted word for word ("quy định như sau: “Điều 9. ...”")
        self.folded: set[int] = set()  # bullets that say what the task above them includes
        # report paragraphs that belong to a task above, lines of a report schedule: (text, assignee, period label)
        self.report_texts: list[tuple[str, str | None, str | None]] = []
        self.report_intro: dict[str, str] = {}  # a schedule line → the intro above it, which may name the recipient
        self._lowered: list[str] | None = None  # the blocks' texts in lower case, for the keyword pre-checks

    def _lower(self, i: int) -> str:
        """Block `i`'s text in lower case, lowered once per extractor: the keyword pre-checks that spare a
        case-insensitive pattern its try at every position of every block read it."""
        if self._lowered is None:
            self._lowered = [b.text.lower() for b in self.blocks]
        return self._lowered[i]

    # --- scopes ---------------------------------------------------------------------------------
    def _define(self, key: int | None, d: _Def) -> None:
        self.defs.setdefault(key, []).append(d)
        if d.lead:
            self.last_lead = d.lead

    def _scope(self, i: int) -> tuple[str, list[str] | None, Deadline | None]:
        mode: str | None = None
        lead: list[str] | None = None
        deadline: Deadline | None = None
        key = self.blocks[i].parent
        while True:
            for d in reversed(self.defs.get(key, [])):
                if d.pos >= i:
                    continue
                mode = mode or d.mode
                lead = lead or d.lead
                deadline = deadline or d.deadline
            if key is None:
                break
            key = self.blocks[key].parent
        return mode or self._default_mode(), lead, deadline

    def _default_mode(self) -> str:
        if self.ctx.doc_type == "BC":
            return "narrative"
        if self.ctx.doc_type in ("TB", "KL"):
            if (self.ctx.doc_type == "TB" and self.ctx.title and re.match(r"(?:V/v|Về việc)\s", self.ctx.title)
                    and not _MEETING_TITLE.search(self.ctx.title)):
                return "directive"  # "THÔNG BÁO Về việc treo cờ Tổ quốc": a notice that asks, not a meeting's account
            return "preamble"
        return "directive"

    def _root_lead(self) -> list[str] | None:
        if self.ctx.doc_type in ("BC", "KH", "CTr") and self.ctx.issuer:
            return [self.ctx.issuer]
        if len(self.ctx.addressed_to) == 1:
            return [self.ctx.addressed_to[0]]
        return None

    # --- walk -----------------------------------------------------------------------------------
    def run(self) -> list[TaskDraft]:
        i = 0
        while i < len(self.blocks):
            b = self.blocks[i]
            if b.kind == "row":
                j = i
                while j < len(self.blocks) and self.blocks[j].kind == "row":
                    j += 1
                self._table(i, j)
                i = j
                continue
            if i in self.quoted or i in self.folded or b.kind == "note":
                pass  # quoted text; bullets folded into the task above; a footnote of a PDF page
            elif b.kind == "item":
                self._item(i)
            else:
                self._para(i)
            i += 1
        self._drop_restated_lead()
        self._drop_cut_off_dates()
        self._drop_told_requests()
        seen: set[str] = set()
        unique = []
        # no body named, none in a heading, no addressee, no date: an aim or a requirement of a plan ("2.1.
        # Thống nhất tiêu chí đánh giá ..."), not a task someone was given; one with a due date or that opens
        # with "Giao/Đề nghị/Yêu cầu" stays, for the clerk to place
        self.tasks = [t for t in self.tasks if t.assignee or t.origin == "row" or (t.deadline and t.deadline.date)
                      or _DIRECTIVE_OPENER.match(t.view.text.strip()) or "listed" in t.flags]
        for t in self.tasks:  # web copies repeat their teaser: one task per text
            key = fold(t.view.text)
            if len(key.split()) < 3:
                continue  # "Tr", "đến ngày": a fragment cut off by the page, not a directive
            said = _said_to(t)
            if key not in seen and (said is None or said not in seen):
                seen.add(key)
                if said is not None:
                    seen.add(said)
                unique.append(t)
        self.tasks = unique
        return self.tasks

    def _lists_report_contents(self, i: int) -> bool:
        """Is bullet `i` a line of the contents a report must hold: under an intro like "báo cáo (đầy đủ) nội dung
        như sau:" / "Nội dung báo cáo gồm:", and naming no act of its own (no directive verb in it)?"""
        k = i - 1
        while k >= 0 and self.blocks[k].kind == "item" and self.blocks[k].mtype in ("dash", "plus", "star"):
            k -= 1
        if k < 0 or i - k > 15:
            return False
        intro = self.blocks[k].text.strip()
        return bool(_REPORT_CONTENTS_INTRO.search(intro)) and not _DIRECTS.search(self.blocks[i].text)

    def _drop_told_requests(self) -> None:
        """A paragraph that tells an earlier act ("Ngày 02/4/2021, Văn phòng UBND tỉnh có Công văn số 597/... giao Sở
        Tài chính ...") when a later one says how it stands ("Tuy nhiên, đến nay Sở Tài chính chưa có báo cáo"): the
        request it quotes is history; the text's own request, if any, comes after."""
        told = [t for t in self.tasks if t.origin in ("sentence", "follow") and 0 <= t.block
                and _TOLD_ACT.match(self.blocks[t.block].text)]
        if not told:
            return  # most texts: no need to look for a status line (a pattern tried at every position of every block)
        # the last status line, looked for from the end down to the first told task (one above that drops nothing)
        first = min(t.block for t in told)
        last = next((k for k in range(len(self.blocks) - 1, first - 1, -1) if _has_status(self._lower(k))
                     and _STATUS.search(self.blocks[k].text)), None)
        if last is None:
            return
        drop = {id(t) for t in told if t.block <= last}
        self.tasks = [t for t in self.tasks if id(t) not in drop]

    def _drop_cut_off_dates(self) -> None:
        """A day the document names as its data cut-off ("số lượng ... tính đến ngày 31/12/2024") is when the figures
        stop, not when they are due, even where a news copy words it "báo cáo ... trước ngày 31/12/2024"."""
        if not any(t.deadline is not None and t.deadline.date is not None for t in self.tasks):
            return  # no dated task to move
        cut = set()
        for k, b in enumerate(self.blocks):
            if not _has_cut_off(self._lower(k)):
                continue
            for m in CUT_OFF_DATE.finditer(b.text):
                try:
                    cut.add(date(int(m.group("y")), int(m.group("m")), int(m.group("d"))))
                except ValueError:
                    continue
        if not cut:
            return
        for t in self.tasks:
            dl = t.deadline
            if dl is not None and dl.date in cut:
                t.deadline = Deadline(None, dl.text, dl.start, dl.end, "cut_off", dl.strong)

    def _drop_restated_lead(self) -> None:
        """A news copy's lead that restates the directive told below it ("Sở Y tế yêu cầu các đơn vị khẩn trương rà
        soát ..." then "Theo đó, Trung tâm Y tế ... rà soát ..."; "Chủ tịch UBND tỉnh yêu cầu Giám đốc Sở ... đánh
        giá ..." then "... có ý kiến chỉ đạo: Giao Sở ... đánh giá ...") is not a task of its own."""
        marker = next((k for k, b in enumerate(self.blocks) if b.kind == "para" and (
            _ACCORDINGLY.match(b.text.strip()) or (is_intro(b.text.strip()) and _GUIDANCE_INTRO.search(b.text)))), None)
        if marker is None:
            return
        lead = [t for t in self.tasks if t.origin == "sentence" and 0 <= t.block < marker]
        later = [t for t in self.tasks if t.block >= marker or (t.origin != "sentence" and t.view.offsets[:1]
                 and self.blocks[marker].view.offsets[:1] and t.view.offsets[0] > self.blocks[marker].view.offsets[0])]
        if not lead or not later or any(t.origin != "sentence" for t in self.tasks if t not in later and t not in lead):
            return
        told = set()
        for t in later:
            told |= _content_words(t.view.text)
        accordingly = bool(_ACCORDINGLY.match(self.blocks[marker].text.strip()))
        for t in lead:
            words = _content_words(t.action)
            if (accordingly and _ANNOUNCES.search(t.view.text)) or (
                    len(words) >= 4 and len(words & told) >= 0.5 * len(words)):
                # "Ngày 01/3/2021, UBND tỉnh ban hành Công văn số ... chỉ đạo ..." then "Theo đó, ...": the letter's
                # announcement, its text follows
                self.tasks.remove(t)

    def _children_name_bodies(self, i: int) -> bool:
        """Does every block under item `i` open with a body that acts ("- Sở Công Thương chủ trì ...")?"""
        kids = list(self.blocks[i].children) or [k for k in range(i + 1, min(len(self.blocks), i + 60))
                                                  if self.blocks[k].parent == i]
        if not kids:
            return False
        named = 0
        for k in kids:
            t = self.blocks[k].text.strip()
            if re.fullmatch(r"\([^()]*\)[.;]?", t):
                continue  # "(chi tiết Phụ lục 01 đính kèm)"
            lead = leading_bodies(t)
            if not (lead and (lead.verb or acts(t, lead.end))):
                return False
            named += 1
        return named > 0

    def _has_children(self, i: int) -> bool:
        b = self.blocks[i]
        if b.children:
            return True
        nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
        if nxt is not None and nxt.parent == i and nxt.kind == "para" and _closing_only(nxt.text.strip()):
            # "1. Thực hiện ..." then "Đề nghị các cơ quan nghiêm túc thực hiện./.": the letter's closing after
            # its last item, not a line under it
            after = self.blocks[i + 2] if i + 2 < len(self.blocks) else None
            return after is not None and after.parent == i
        return nxt is not None and nxt.parent == i

    def _item(self, i: int) -> None:
        b = self.blocks[i]
        text = b.text.strip()
        if _chrome(text[:200]) or POSTED_LINE.match(text) or self._page_title(i):
            return
        if self._question(i):
            return
        mode, lead_ctx, dl_ctx = self._scope(i)
        has_children = self._has_children(i)
        lead = leading_bodies(text)
        if lead and lead.verb and lead.verb.lower().startswith("chỉ đạo") and lead_ctx:
            lead = None  # "Chỉ đạo cơ quan chuyên môn ..." in a list addressed to someone: the addressee acts
        topic = _TOPIC_LABEL.match(text)
        if topic and lead is not None and lead.start > topic.end() - 2 and leading_bodies(text[topic.end():]):
            lead = None  # "Đối với các nhiệm vụ ...: Các sở, ban, ngành, UBND các huyện ...": the bodies after the label
        if lead is None and topic:
            # "Về công tác tiêm chủng: Giao Trạm Y tế xã ..." — the label names a topic, not a body
            inner = leading_bodies(text[topic.end():])
            if inner:
                lead = Lead(inner.names, inner.start + topic.end(), inner.end + topic.end(), inner.verb,
                            inner.rest + topic.end())
        own_mode = heading_mode(text)

        # "I. Tổ chức tuyên truyền ... các văn bản hướng dẫn." (an OCR "1."): a sentence, not a section heading
        sentence_like = b.mtype == "roman" and _words(text) > 20 and bool(_TERMINAL_END.search(text))
        if (b.mtype == "part" or (b.mtype == "roman" and not sentence_like)
                or (b.heading_hint and _words(text) <= 14 and not _TERMINAL_END.search(text))):
            names = lead.names if lead and _only_names(text, lead) else None
            self._define(i, _Def(i, own_mode, names))
            if own_mode == "report":
                self.report_blocks.append(i)
            return
        if mode in ("narrative", "none"):
            if (own_mode in ("directive", "report") and (has_children or is_intro(text)) and _words(text) <= 40
                    and not _LAW_SAYS.search(text)):
                # ("- Trách nhiệm thực hiện ... được quy định như sau:" under a law library's question lists what the
                # law says, not tasks)
                self._define(i, _Def(i, own_mode))
            return
        if mode == "measures" and not (lead and acts(text, lead.end)):
            if own_mode in ("directive", "report") and (has_children or is_intro(text)) and _words(text) <= 40:
                self._define(i, _Def(i, own_mode))
            return  # "- Ưu tiên bố trí nguồn vốn ...": a measure of the plan, assigned under "Tổ chức thực hiện"
        # "3. Đối với các Bộ quản lý chuyên ngành (theo ...)": the items under it are that body's
        about = re.match(r"(?:Đối với|Riêng)\s+", text)
        if about and has_children and not _TERMINAL_END.search(text.rstrip(" :")) and _words(text) <= 30:
            found = parse_bodies(text, about.end(), any_case=True)
            if found is not None and not re.sub(r"\([^()]*\)|[\s:.;,]", "", text[found.end:]):
                self._define(i, _Def(i, own_mode, found.names(text), None))
                return
        if (has_children and _TOPIC_HEAD.match(text) and not _TERMINAL_END.search(text.rstrip(" :"))
                and _words(text) <= 40 and not _DIRECTS.search(text) and not (lead and lead.verb != "Đối với")):
            # "2.2. Đối với công tác quản lý ...", "2.4. Về công tác bảo đảm an toàn ...", "2.5. Việc sử dụng đất
            # ...": a topic the items under it take up; they keep the addressee above
            self._define(i, _Def(i, own_mode if own_mode != "narrative" else None))
            return
        if (b.parent in self._details and not lead and _MAPPING_LINE.search(text)
                and not _IMPERATIVE.match(text)):
            return  # "- Tài sản kết cấu hạ tầng đô thị - Bộ Xây dựng." details the task above
        if (b.mtype in ("dash", "plus", "star", "alpha") and _ATTRIBUTE.match(text) and b.parent is not None
                and not _WITH_BODIES.match(text)):
            return  # folded into the task above it
        if not lead and b.mtype in ("dash", "plus", "star") and self._lists_report_contents(i):
            return  # "1. Thực hiện báo cáo đầy đủ nội dung như sau:" then "– Kết quả đạt được": what the report holds
        if not (lead and lead.verb) and _LAW_QUOTE.match(text):
            return  # "- Khoản 2 Điều 3 của Thông tư số ... quy định: “...”": the law quoted, not a directive
        rl = _REPORT_LINE.match(text)
        if rl and not lead and find_deadline(text, self.ctx.ref_year, self.ctx.ref_date) is not None:
            # "• Báo cáo quý gửi trước ngày 05 tháng cuối cùng của mỗi quý": a line of a report schedule
            self.report_texts.append((text, lead_ctx[0] if lead_ctx else None, rl.group("label")))
            intro = next((self.blocks[k].text for k in range(i - 1, max(-1, i - 12), -1)
                          if is_intro(self.blocks[k].text.strip())), None)
            if intro:
                self.report_intro[text] = intro  # "... báo cáo gửi UBND tỉnh (thông qua Sở Nội vụ) cụ thể như sau:"
            return
        if lead and _only_names(text, lead):
            if not _enumerated(text):
                self._define(i, _Def(i, None, lead.names, None))
            return  # "- Sở Công Thương (đối với ...);" is a member of a list, not a heading
        if (not lead and has_children and not _TOPIC_LABEL.match(text) and own_mode is None and _words(text) <= 30
                and not _HEAD_ANYWHERE.search(text) and not _ADDRESS_ANY.search(text) and self._children_name_bodies(i)):
            # "4. Hoàn thành di dời 01 khu công nghiệp ..." then "UBND phường X chủ trì ...": an objective heading
            self._define(i, _Def(i, None, None, None))
            return
        if (_heading_like(text, has_children) and own_mode is None and head_at(text, 0, any_case=True) is not None
                and not _TOPIC_LABEL.match(text)):
            # "3. Ủy ban nhân dân các xã, phường", "4. Các cơ quan, tổ chức, đơn vị, doanh nghiệp được giao quản lý ..."
            self._define(i, _Def(i, own_mode, _heading_names(text), None))
            return
        if mode == "report":
            self.report_blocks.append(i)
            if lead and acts(text, lead.end, loose=True) and not rl:
                # "1. Các sở, ban, ngành ... báo cáo kết quả ... gửi về Sở Công Thương trước ngày 20 hằng tháng"
                self.tasks.append(self._make_task(b.view, lead, lead_ctx, dl_ctx, mid_address=True))
            return
        nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
        if is_intro(text) and (has_children or own_mode == "report" or (nxt is not None and nxt.kind != "para")):
            names = lead.names if lead and acts(text, lead.end, loose=True) else None
            if names is None:
                found = addressed_bodies(text)
                names = found[0] if found else None
            head = _directive_head(b.view) if own_mode is None and mode != "report" else None
            if head is not None:
                # "2. Bộ Tài chính ... trình Thủ tướng trước ngày 20/10/2024. Trong đó chú ý một số nội dung sau:"
                # the head sentence is a task of its own; its deadline is its own, not its bullets'
                task = self._make_task(head, lead if lead and acts(text, lead.end, loose=True) else None,
                                       lead_ctx, dl_ctx, mid_address=True)
                self.tasks.append(task)
                self._define(i, _Def(i, None, names or ([task.assignee] if task.assignee else None), None))
                return
            dl = find_deadline(text, self.ctx.ref_year, self.ctx.ref_date, anchors=self.ctx.anchors)
            if (own_mode is None and mode != "report" and dl is not None and (dl.date or dl.kind == "relative")
                    and _ACTION_ANY.search(text[:dl.start] + " " + text[dl.end:])):
                # "a) Trong thời hạn 06 tháng, kể từ ..., các bộ ... thực hiện việc ...; cụ thể như sau:" directs
                # by itself, with its own deadline; the lines under it detail it
                task = self._make_task(b.view, lead if lead and acts(text, lead.end, loose=True) else None,
                                       lead_ctx, dl_ctx, mid_address=True)
                self.tasks.append(task)
                self._define(i, _Def(i, None, names or lead_ctx, None))
                self._details.add(i)
                return
            self._define(i, _Def(i, own_mode if own_mode != "narrative" else None, names,
                                 dl if dl and dl.date else None))
            if own_mode == "report":
                self.report_blocks.append(i)
                self.report_lead = names or lead_ctx
            return
        if has_children and _words(text) <= 14 and not _TERMINAL_END.search(text):
            self._define(i, _Def(i, own_mode))
            if own_mode == "report":
                self.report_blocks.append(i)
            return
        if own_mode == "report" and _words(text) <= 14:
            self._define(i, _Def(i, "report"))
            self.report_blocks.append(i)
            return
        if not has_children and _words(text) <= 8 and not _TERMINAL_END.search(text):
            nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
            if nxt is not None and nxt.kind == "para":
                self._define(i, _Def(i, own_mode))
                return
        if not lead and _is_record(text) and not has_children:
            return  # "- Tên đơn vị: Công ty ...", "- Điện thoại: ..."
        if not lead and text.startswith("Căn cứ ") and _NARRATED.search(_first_sentence(text, 700)) \
                and not _DIRECTS.search(_first_sentence(text, 700)):
            return  # "1. Căn cứ quy định tại Điều 42 ... thì hiện nay đã không còn thủ tục ...": how the law stands
        if not lead and _DOC_REF.match(text) and not _DIRECTS.search(text):
            return  # "- Văn bản hợp nhất số 48/VBHN-BNNMT ngày ... về ...": a list of documents
        if not lead and (_ASSESSMENT.match(text) or (
                _RESULTS.match(text) and not _DIRECTS.search(text))):
            if has_children:
                self._define(i, _Def(i, "narrative"))
            return  # "1. Đánh giá cao ...", "1. Về kết quả thực hiện: năm 2023 đã ..."
        if (lead and not lead.verb and _ADDRESS_ANY.match(text, _skip(text, lead.end))
                and not re.match(r"chỉ đạo\s*,", text[_skip(text, lead.end):])):
            # "2. Chủ tịch UBND tỉnh yêu cầu Sở Xây dựng khẩn trương ...": the speaker asks, the body named after acts
            found = _addressed_in(text)
            if found is not None and found.start >= lead.end:
                lead = found
                sents = _sentences(b.view)
                first = text[lead.rest:sents[1][0]].strip() if len(sents) >= 2 else ""
                if first and (_ONLY_NOTE.match(first) or _CLOSING_END.search(first)):
                    # "... nghiêm túc thực hiện. Trong quá trình thực hiện ..., các cơ quan, đơn vị kịp thời báo cáo
                    # ...": the closing, then a request of its own
                    rest = b.view.sub(sents[1][0]).strip()
                    lead2 = leading_bodies(rest.text)
                    if lead2 and acts(rest.text, lead2.end, loose=True):
                        self.tasks.append(self._make_task(rest, lead2, lead_ctx, dl_ctx, mid_address=True))
                    return
        # a task
        task = self._make_task(b.view, lead if lead and acts(text, lead.end, loose=True) else None,
                               lead_ctx, dl_ctx, mid_address=True)
        self._fold_attributes(i, task)
        self.tasks.append(task)
        if task.assignee is None and self._listed_tasks(i):
            task.flags.append("listed")
        if task.assignee and lead and task.assignee == lead.names[0] and has_children:
            # "2. Sở Nội vụ chủ trì ...:" then bullets: the bullets inherit its lead
            self._define(i, _Def(i, None, [task.assignee], None))

    def _listed_tasks(self, i: int) -> bool:
        """Is item i listed under an intro that announces tasks to be done ("... nhấn mạnh một số nhiệm vụ trọng tâm
        cần thực hiện trong thời gian tới:")? Such an item is a task even when no body is named for the clerk to
        place, unlike a plan's aims ("2.1. Thống nhất tiêu chí ...")."""
        key = self.blocks[i].parent
        while True:
            for d in reversed(self.defs.get(key, [])):
                if d.pos < i:
                    return bool(_TASKS_INTRO.search(self.blocks[d.pos].text.strip()))
            if key is None:
                return False
            key = self.blocks[key].parent

    def _para(self, i: int) -> None:
        b = self.blocks[i]
        text = b.text.strip()
        if _chrome(text[:200]) or POSTED_LINE.match(text) or self._page_title(i):
            return
        if _BASIS_LINE.match(text) and not is_intro(text) and not _DIRECTS.search(text):
            return  # "Căn cứ theo điểm c khoản 2 Điều 12 của Thông tư ... quy định trách nhiệm báo cáo ...": the basis
        if _SUBJECT_LINE.match(text) and not _TERMINAL_END.search(text) and _words(text) <= 40:
            return  # "Sở Công Thương thông báo về việc đề nghị báo cáo ...": a notice's subject line
        if self._question(i):
            return
        mode, lead_ctx, dl_ctx = self._scope(i)
        that = _THAT_IS.match(text)
        if that and mode == "directive" and i > 0 and self._last_para_task != i - 1:
            # "Cần sớm hoàn chỉnh các thủ tục ..." then "Đó là chỉ đạo của Phó Chủ tịch UBND tỉnh ... đối với 5/8 xã
            # điểm ...": the headline quotes the directive, the bodies after "đối với" are its addressees
            prev = self.blocks[i - 1]
            ptext = prev.text.strip()
            if (prev.kind == "para" and 3 <= _words(ptext) <= 40 and not _chrome(ptext[:200])
                    and _DIRECTS.search(ptext) and not any(t.block == i - 1 for t in self.tasks)):
                who = tidy(that.group("who"))
                listed = parse_bodies(text, that.start("who"), any_case=True)
                if listed is not None and listed.end > that.end("who"):
                    who = tidy(text[that.start("who"):listed.end])  # "đối với các Sở, ban, ngành, ..., UBND các huyện"
                self.tasks.append(TaskDraft(view=prev.view.strip(), assignee=who, co_assignees=[],
                                            generic=is_generic(who), action=_first_sentence(ptext),
                                            deadline=find_deadline(ptext, self.ctx.ref_year, self.ctx.ref_date),
                                            origin="sentence", block=i - 1))
        if (mode == "directive" and _INCLUDING.search(text) and _IMPERATIVE.match(text)
                and leading_bodies(text, allow_clause=False) is None and lead_ctx):
            # "Chủ trì, phối hợp ... tham mưu triển khai các nhiệm vụ được ủy quyền ..., bao gồm:" then "- Huấn
            # luyện ...", "- Cấp giấy phép ...": the bullets say what the head's task includes
            self.tasks.append(self._make_task(b.view, None, lead_ctx, dl_ctx, mid_address=False))
            j = i + 1
            while (j < len(self.blocks) and self.blocks[j].kind == "item" and self.blocks[j].mtype in ("dash", "plus", "star")
                   and leading_bodies(self.blocks[j].text) is None):
                self.folded.add(j)
                j += 1
            return
        if is_intro(text):
            last = text[[a for a, _ in _sentences(b.view)][-1]:]
            names = None
            for part in (last, text):
                found = addressed_bodies(part)
                if found:
                    names = found[0]
                    break
                lead = leading_bodies(part)
                # "Chủ tịch UBND huyện kết luận như sau:" names the speaker, not the addressee
                if lead and acts(part, lead.end) and not _SPEECH.match(part[lead.end:].lstrip(" ,")):
                    names = lead.names
                    break
            if names and lead_ctx and fold(lead_ctx[0]).startswith(fold(names[0])) and len(lead_ctx[0]) > len(names[0]):
                names = lead_ctx  # "Giao các sở ... gồm:" under "2. Các sở quản lý nhà nước chuyên ngành về hạ tầng"
            sents = _sentences(b.view)
            if len(sents) >= 2 and mode == "directive" and _words(text[sents[-1][0]:]) <= 10:
                # "..., Phó Chủ tịch UBND tỉnh ... ký văn bản số ..., chỉ đạo các sở ... tăng cường .... Nội dung
                # văn bản chỉ đạo như sau:": the sentence before the intro directs by itself
                head = b.view.sub(0, sents[-1][0]).strip()
                hlead = _addressed_in(head.text)
                if (hlead is not None and not _REGULATED.match(hlead.names[0])
                        and not re.search(r"(?:các|một số|những)\s+(?:nhiệm vụ|nội dung|công việc)\b[^.;]{0,40}$",
                                          head.text)):
                    self.tasks.append(self._make_task(head, hlead, lead_ctx, dl_ctx, mid_address=False))
            dl = find_deadline(last, self.ctx.ref_year, self.ctx.ref_date)
            own = heading_mode(text) if _words(text) <= 14 else None
            imode = own if own in ("report", "narrative", "none") else intro_mode(text)
            if (mode == "report" and imode != "report") or (mode in ("none", "narrative", "measures") and imode == "directive"):
                imode = None  # "Trong đó, vốn ngân sách đầu tư các nội dung:" under "IV. Vốn đầu tư" lists no task
            self._define(b.parent, _Def(i, imode, names, dl if dl and dl.date else None))
            if imode == "directive" and names and b.parent is None and mode == "directive":
                self._run = (i, names)
            if imode == "report":
                self.report_blocks.append(i)
                self.report_lead = names or lead_ctx
                subject = leading_bodies(text, allow_clause=False)
                if subject and not subject.verb and acts(text, subject.end) and mode not in ("narrative", "none"):
                    # "Các sở ... định kỳ tổng hợp báo cáo kết quả ... như sau:" is itself a duty
                    self.tasks.append(self._make_task(b.view, subject, lead_ctx, None, mid_address=False))
            return
        if mode == "report":
            self.report_blocks.append(i)
            plead = leading_bodies(text, allow_clause=False)
            prev_text = self.blocks[i - 1].text.strip() if i > 0 else ""
            schedule = bool(split_label(prev_text) or _REPORT_LINE.match(prev_text))  # a schedule line goes on
            if (plead and acts(text, plead.end) and not schedule and not _REPORT_LINE.match(text)
                    and not _CLOSING.match(text)):
                self.tasks.append(self._make_task(b.view, plead, lead_ctx, dl_ctx, mid_address=False))
            return
        if mode in ("narrative", "none") or _CLOSING.match(text):
            return
        if mode == "measures":
            plead = leading_bodies(text, allow_clause=False)
            if not (plead and acts(text, plead.end)):
                return
        if re.fullmatch(r"\([^()]*\)[.;]?", text):
            return  # "(Có đề cương chi tiết gửi kèm)": a note
        approved = self._approved_actor(i)
        if approved is not None and re.match(r"Thời hạn (?:thực hiện|hoàn thành)", text):
            # "Đồng ý để Công ty X khảo sát ... / Thời hạn thực hiện và báo cáo kết quả ... không quá 2 tháng ...":
            # the approval directs nobody, the time limit makes it the company's task
            self.tasks.append(self._make_task(b.view, approved, lead_ctx, None, mid_address=False))
            self._last_para_task = i
            return
        if _REPORT_DUE.match(text) and self.tasks and self._last_para_task >= i - 2:
            prev = self.tasks[-1]
            dl = find_deadline(text, self.ctx.ref_year, self.ctx.ref_date, workdays=self.ctx.workdays)
            if dl is not None and dl.date is not None and _REPORT_VERB.search(prev.view.text):
                # "Báo cáo ... gửi về UBND tỉnh trước ngày 05/6/2017." says when the report asked above is due
                if prev.deadline is None or prev.deadline.date is None:
                    prev.deadline = dl
                self.report_texts.append((text, prev.assignee, None))
                return
            if dl is not None and dl.date is not None and re.match(r"Thời hạn (?:gửi |nộp )?báo cáo", text):
                # "Thời hạn gửi báo cáo: trước ngày 10/12/2024." after a task that did not say "báo cáo": a report
                # duty of that task's body, not a task
                self.report_texts.append((text, prev.assignee, None))
                return
        if _DUE_ONLY.match(text) and self.tasks and self._last_para_task >= i - 2:
            # "Các đơn vị thực hiện trước ngày 24/3/2016." after a request: when that request is due
            prev = self.tasks[-1]
            dl = find_deadline(text, self.ctx.ref_year, self.ctx.ref_date, workdays=self.ctx.workdays)
            if dl is not None and (prev.deadline is None or prev.deadline.date is None):
                prev.deadline = dl
                return
        parent = self.blocks[b.parent] if b.parent is not None else None
        under_heading = parent is not None and parent.kind == "item" and not self._is_task_item(b.parent)
        sents = _clauses(b.view)
        starts: list[tuple[int, Lead | None]] = []
        inherited: set[int] = set()  # starts whose subject is carried from the directive before them
        for a, kind in sents:
            tag = _SOURCE_TAG.match(text, a)
            if tag:
                a = tag.end()
            if text[a:a + 1] in "\"“":
                a += 1  # a directive quoted word for word
            s = text[a:]
            if _CLOSING.match(s) or _chrome(s[:200]):
                continue
            if (a == 0 and b.parent is None and _SPEAKER_HEADLINE.match(s) and _addressed_in(
                    s[:min((c for c, k in sents if c > a and k == "sentence"), default=len(text))]) is None):
                continue  # the speaker of a quoted headline, not a body given the quote as its task
            lead = None
            if kind == "clause":
                sent_end = min((c for c, k in sents if k == "sentence" and c > a), default=len(text))
                if mode == "directive" and _opens_request(s):
                    # "...; đồng thời đề nghị UBND thành phố chỉ đạo ...", "...; Giao công chức ... tham mưu ...":
                    # a new request in the same sentence
                    found = _addressed_in(s[:sent_end - a])
                    if found is not None:
                        starts.append((a, found))
                        continue
                # "...; từ ngày 5 đến ngày 10 hằng tháng, Phòng Kế hoạch - Đầu tư kiểm tra ...": a new subject,
                # unless the clauses before it list the bodies of a "phối hợp ..." ("; Viễn thông ...; UBND ...")
                prev = text[max(0, text.rfind(";", 0, a - 2) + 1):a]
                listing = bool(re.search(r"phối hợp(?:\s+(?:với|chặt chẽ với))?\s+[^;]{0,80}$", prev)) or _only_bodies(prev)
                sent_start = max((c for c, k in sents if k == "sentence" and c < a), default=0)
                if _ATTENDANCE.match(text, sent_start):
                    continue  # "Dự phiên họp có đồng chí ...; Chủ tịch UBND các phường có liên quan.": who attended
                lead = leading_bodies(s)
                if (lead and not lead.verb and mode == "directive" and not listing
                        and re.match(rf"\s*(?:{ACTION_VERBS})(?![\w])", s[lead.end:].lstrip(" ,"))):
                    if _ADDRESS_ANY.match(s, _skip(s, lead.end)) and not re.match(r"chỉ đạo\s*,", s[_skip(s, lead.end):]):
                        lead = _addressed_in(s)  # "...; Chủ tịch UBND tỉnh yêu cầu lãnh đạo các sở ... khẩn trương ..."
                    # ("...; Thủ trưởng các cơ quan, đơn vị chỉ đạo, kiểm tra việc ...": the subject acts)
                    if lead is not None:
                        starts.append((a, lead))
                continue
            if _SANCTION.search(s.split(". ")[0]):
                continue  # "Các chủ tịch UBND xã phải chịu trách nhiệm toàn diện nếu ...": a sanction
            m = _LEADER_DIRECTIVE.match(s)
            if m and not (re.search(r"\bđã\s+(?:giao|yêu cầu|đề nghị|chỉ đạo)", s[:m.end()])
                          and (_EARLIER_ACT.search(s[:m.end()]) or _SINCE.search(s))):
                bodies = parse_bodies(s, m.end(), any_case=True)
                if bodies and re.search(r"chỉ đạo\s*$", m.group(0)) and _SUBORDINATE.search(bodies.names(s)[0]):
                    bodies = None  # "Thủ trưởng các sở ..., Chủ tịch UBND các huyện chỉ đạo các đơn vị trực thuộc ..."
                if bodies:
                    lead = Lead(bodies.names(s), bodies.spans[0][0], bodies.end, "giao", bodies.end)
                    starts.append((a, lead))
                    continue
            if _DIRECTIVE_OPENER.match(s):
                lead = leading_bodies(s, allow_clause=False)
                if lead and lead.verb:
                    starts.append((a, lead))
                    continue
            if mode == "directive":
                lead = leading_bodies(s, allow_clause=False)
                if lead and _MEETING_ROLE.match(s[lead.end:]):
                    continue  # "Đồng chí X, Chủ tịch UBND tỉnh, chủ trì phiên họp."
                if lead and acts(s, lead.end) and not _PERSON_SUBJECT.match(s):
                    addressing = _ADDRESS_ANY.match(s, _skip(s, lead.end))
                    object_ = _addressed_in(s[addressing.start():]) if addressing else None
                    if (not addressing or (object_ is None and re.match(r"\s*việc(?![\w])", s[addressing.end():]))
                            or (object_ is not None and addressing.group(0).lower().startswith("chỉ đạo")
                                and _SUBORDINATE.search(object_.names[0]))):
                        # "Đồng chí Bí thư Tỉnh ủy chỉ đạo việc ...", "Thủ trưởng các sở ... chỉ đạo các cơ quan, đơn vị
                        # trực thuộc ...": the subject acts (directing its own units is its task)
                        starts.append((a, lead))  # "Đồng chí Bí thư Tỉnh ủy chỉ đạo việc ...": the subject acts
                        continue
                # the verb and the bodies it addresses in this sentence ("Yêu cầu hoàn thiện gửi ... trước ngày
                # 28/9/2018." names nobody: the "Giám đốc Sở ..." of the next sentence is not its addressee)
                # (nor that of a later "...; Giao công chức ..." clause, a request of its own)
                own_end = min((c for c, k in sents if c > a and (k == "sentence" or _opens_request(text[c:]))),
                              default=len(text)) - a
                found = _addressed_in(s[:own_end])
                if found is not None:
                    starts.append((a, found))
                    continue
                lead = leading_bodies(s)
                if (lead and not lead.verb and lead.start > 0 and acts(s, lead.end)
                        and not _NARRATED.search(_RELATIVE.sub("", s[:lead.end + 60]))):
                    # ("Đối với các vấn đề mà hội nghị đã thảo luận, Cơ quan Thường trực tiếp thu ...": what was
                    # done frames the request, the body after it still acts)
                    starts.append((a, lead))  # "Đối với những vấn đề ..., Công an tỉnh kịp thời tổng hợp ..."
                    continue
                if ((under_heading or lead_ctx) and a == 0 and b.parent is not None
                        and (_IMPERATIVE.match(s) or _ASK_TO.match(s))):
                    # "Yêu cầu thực hiện công tác ... theo hướng dẫn ..." under a topic heading: the addressee's
                    starts.append((a, None))
                    continue
                if (a > 0 and starts and starts[-1][1] is not None and _IMPERATIVE.match(s)
                        and not _REPORT_OPENING.match(s) and not re.match(r"(?:Hoàn thành|Kịp thời)(?![\w])", s)
                        and (_INLINE_LIST.search(text[:a]) or self._own_deadlines(text[starts[-1][0]:a], s[:own_end]))):
                    # a sentence with no subject goes on with the directive before it ("Bộ A chủ trì ... . Khẩn
                    # trương ..., trong tháng 6" is one task), except in a list written inline ("... các nội dung
                    # như: Triển khai ... . Rà soát ...") and where both have their own deadline ("Sở A cập nhật ...
                    # đến hết ngày 31/8. Phối hợp với Sở B đề xuất ..., hoàn thành trước ngày 10/9."): two tasks
                    starts.append((a, _carried(starts[-1][1])))
                    inherited.add(a)
        if not starts and mode == "directive" and under_heading and parent is not None:
            plead = leading_bodies(parent.text)
            if plead and _only_names(parent.text, plead) and not re.match(r"^(?:Năm|Trong|Qua|Với)\b", text):
                starts.append((0, None))  # a paragraph under a heading that names a body
        run = False
        if (not starts and mode == "directive" and b.parent is None and self._run is not None and self._run[0] == i - 1
                and (_TERMINAL_END.search(text.strip()) or _words(text) > 8)  # not a page's "Báo cáo và dự thảo ..."
                and not _REPORT_OPENING.match(text.lstrip())):  # "Tổng hợp, báo cáo ... trước ngày ...": the task above
            # "Chính phủ yêu cầu UBND các tỉnh ... tập trung thực hiện các nhiệm vụ trọng tâm sau:" then paragraphs
            # without a marker, "Theo dõi sát ...", "Khẩn trương rà soát .... Chủ động cân đối ...": each sentence
            # that opens with an imperative is a task of the bodies addressed above
            for a, kind in sents:
                if kind == "sentence" and _IMPERATIVE.match(text[a:]) and not _NARRATED.search(text[a:a + 60]):
                    starts.append((a, Lead(list(self._run[1]), 0, 0, None, 0)))
            run = bool(starts)
        follow = False
        if (not starts and mode == "directive" and self._last_para_task == i - 1 and self.tasks
                and _FOLLOW_UP.search(text) and not _NARRATED.search(text) and not _ABOUT_THE_TEXT.match(text)
                and not _STATUS.search(text)
                and (_TERMINAL_END.search(text.strip()) or _words(text) > 8)):  # not "Báo cáo và dự thảo Nghị quyết"
            # a paragraph without a subject right after a task goes on with that task's assignee
            prev = self.tasks[-1]
            follow = True
            starts.append((0, Lead([prev.assignee, *prev.co_assignees] if prev.assignee else [], 0, 0, None, 0)
                           if prev.assignee else None))
        made = False
        carry: tuple[int, Lead] | None = None
        for n, (a, lead) in enumerate(starts):
            z = starts[n + 1][0] if n + 1 < len(starts) else len(text)
            nxt_lead = starts[n + 1][1] if n + 1 < len(starts) else None
            if (lead is not None and lead.names and nxt_lead is not None and nxt_lead.names and not nxt_lead.verb
                    and _NAMES_ONLY_TAIL.fullmatch(text[a + lead.end:z])):
                # "... đã chỉ đạo thủ trưởng các sở, ngành có liên quan; chủ tịch UBND các huyện căn cứ ... xem xét
                # xử lý": addressees listed with ";" share the clause that says what they do
                carry = (a, lead)
                continue
            if carry is not None and lead is not None and lead.names:
                ca, cl = carry
                shift = a - ca
                lead = Lead(cl.names + lead.names, cl.start, shift + lead.end, cl.verb or lead.verb, shift + lead.rest)
                a = ca
            carry = None
            view = b.view.sub(a, z).strip()
            if n + 1 < len(starts) and view.text.endswith(":"):
                continue  # "... chỉ đạo các chuyên môn thực hiện tốt các nội dung như:": the opening of what follows
            if lead is not None and not lead.names:
                lead = None
            task = self._make_task(view, lead, lead_ctx, dl_ctx, mid_address=False)
            if lead and _ONLY_NOTE.match(view.text[lead.rest:].lstrip()):  # "Đề nghị các cơ quan biết, thực hiện."
                continue
            task.origin = "follow" if follow else "sentence"
            if (follow and task.deadline and task.deadline.date and self.tasks and self.tasks[-1].deadline is None
                    and _COMPLETION_NOTE.match(view.text.lstrip())):
                self.tasks[-1].deadline = task.deadline  # says when the task above is due; not a task of its own
                continue
            if (follow and task.deadline and task.deadline.date and len(self.tasks)
                    and (self.tasks[-1].deadline is None or self.tasks[-1].deadline.date is None)
                    and _REPORT_OPENING.match(view.text.lstrip())):
                # "... kính đề nghị các Bộ ... rà soát ...\n Tổng hợp, báo cáo kết quả ... gửi về Văn phòng Chính phủ
                # trước ngày 15/12/2016": the request is due when its report is (a window it names, "rà soát các nhiệm
                # vụ giao từ ngày 01/01 đến ngày 10/12", is what it covers, not when it is due)
                self.tasks[-1].deadline = task.deadline
            task.block = i
            self.tasks.append(task)
            made = True
        if made:
            self._last_para_task = i
            if run:
                self._run = (i, self._run[1]) if self._run else None
            elif (b.parent is None and starts and starts[0][1] is not None and starts[0][1].verb
                  and _ADDRESS_ANY.match(starts[0][1].verb + " ")):
                self._run = (i, list(starts[0][1].names))  # "UBND tỉnh yêu cầu các đơn vị, địa phương ..."

    def _own_deadlines(self, before: str, sentence: str) -> bool:
        """Do the directive before and the sentence after it each set a dated deadline of their own?"""
        one = find_deadline(before, self.ctx.ref_year, self.ctx.ref_date)
        two = find_deadline(sentence, self.ctx.ref_year, self.ctx.ref_date)
        return bool(one and one.date and two and two.date and one.date != two.date)

    def _question(self, i: int) -> bool:
        """A law library's question heading after the letter it copies: nothing below it is a task, at any depth."""
        b = self.blocks[i]
        if not (b.heading_hint and is_question_heading(b.text.strip())):
            return False
        key = b.parent
        while True:
            self._define(key, _Def(i, "none"))
            if key is None:
                return True
            key = self.blocks[key].parent

    def _page_title(self, i: int) -> bool:
        """A web page's title: a line without a full stop right above its "Ngày đăng ..." date line."""
        nxt = self.blocks[i + 1] if i + 1 < len(self.blocks) else None
        text = self.blocks[i].text.strip()
        return (nxt is not None and bool(POSTED_LINE.match(nxt.text.strip())) and not _TERMINAL_END.search(text)
                and _words(text) <= 40)

    def _approved_actor(self, i: int) -> Lead | None:
        """The body an approval just before block `i` names ("Đồng ý để Công ty ... thực hiện ...")."""
        if i == 0:
            return None
        prev = self.blocks[i - 1].text
        m = re.match(r"(?:[^.]{0,40}?\s)?(?:Đồng ý|Chấp thuận|Thống nhất)\s+(?:để|cho|chủ trương cho)\s+", prev)
        if not m:
            return None
        bodies = parse_bodies(prev, m.end(), any_case=True)
        return Lead(bodies.names(prev), 0, 0, None, 0) if bodies else None

    def _is_task_item(self, idx: int) -> bool:
        return any(t.view.offsets[:1] == self.blocks[idx].view.offsets[:1] for t in self.tasks[-20:])

    def _fold_attributes(self, i: int, task: TaskDraft) -> None:
        """Bullets such as "- Cơ quan chủ trì: Sở Nội vụ" describe the item above them."""
        for c in self.blocks[i].children:
            cb = self.blocks[c]
            m = _ATTRIBUTE.match(cb.text)
            if not m:
                continue
            label = fold(m.group(0))
            value = cb.text[m.end():].strip(" .;")
            if "phoi hop" in label:
                task.co_assignees += [n for n in _names(value) if n not in task.co_assignees]
            elif re.search(r"chu tri|thuc hien|dau moi|chiu trach nhiem", label) and not re.search(r"thoi", label):
                names = _names(value)
                if names:
                    task.assignee, task.generic = names[0], is_generic(names[0])
                    task.co_assignees += [n for n in names[1:] if n not in task.co_assignees]
            elif re.search(r"thoi gian|thoi han|tien do", label):
                dl = find_deadline(value, self.ctx.ref_year, self.ctx.ref_date, cell=True)
                if dl:
                    task.deadline = dl

    # --- tables ---------------------------------------------------------------------------------
    def _table(self, i: int, j: int) -> None:
        mode, lead_ctx, dl_ctx = self._scope(i)
        if mode in ("narrative", "none"):
            return
        roles: dict[str, int] | None = None
        for k in range(i, j):
            cells = self.blocks[k].cells or []
            if roles is None:
                roles = _column_roles([c.text for c in cells])
                continue
            if "content" not in roles or len(cells) <= roles["content"]:
                continue
            content = cells[roles["content"]]
            if not content.text or re.fullmatch(r"[\d.\sIVX]*", content.text):
                continue
            lead_cell = cells[roles["lead"]].text if "lead" in roles and roles["lead"] < len(cells) else ""
            time_cell = cells[roles["time"]].text if "time" in roles and roles["time"] < len(cells) else ""
            co_cell = cells[roles["co"]].text if "co" in roles and roles["co"] < len(cells) else ""
            if not lead_cell and not time_cell:
                continue  # a group heading row ("I | Công tác chỉ đạo, điều hành")
            filled = [c for c in cells if c.text]
            row_view = View(self.blocks[k].view.text, self.blocks[k].view.offsets)
            a = row_view.offsets.index(filled[0].offsets[0]) if filled and filled[0].offsets else 0
            last = filled[-1].offsets[-1] if filled and filled[-1].offsets else row_view.offsets[-1]
            z = row_view.offsets.index(last) + 1
            names = _names(lead_cell)
            task = TaskDraft(
                view=row_view.sub(a, z),
                assignee=names[0] if names else (lead_cell or (lead_ctx[0] if lead_ctx else None)),
                co_assignees=[n for n in names[1:] + _names(co_cell)],
                generic=False,
                deadline=find_deadline(time_cell, self.ctx.ref_year, self.ctx.ref_date, cell=True) if time_cell else dl_ctx,
                action=_first_sentence(content.text),
                origin="row",
            )
            task.generic = is_generic(task.assignee)
            self.tasks.append(task)

    # --- one task -------------------------------------------------------------------------------
    def _make_task(self, view: View, lead: Lead | None, lead_ctx: list[str] | None, dl_ctx: Deadline | None,
                   mid_address: bool) -> TaskDraft:
        text = view.text
        names: list[str] | None = lead.names if lead else None
        action_from = lead.rest if lead else 0
        if names is None and mid_address:
            # "...; yêu cầu các phòng, ngành thuộc huyện ... xây dựng kế hoạch" inside an item
            # "Trường hợp ... thì đề nghị Sở Công Thương hướng dẫn ...": the request after a condition
            for m in re.finditer(r"(?:^|[;.:]\s+)(?=(?:yêu cầu|giao|đề nghị)\s)|(?<![\w])thì\s+(?=(?:yêu cầu|đề nghị)\s)",
                                 text, re.IGNORECASE):
                found = addressed_bodies(text[m.end():m.end() + 200])
                if found and not _REGULATED.match(found[0][0]):
                    names = found[0]
                    break
        if names and lead_ctx and len(names) == 1 and fold(lead_ctx[0]).startswith(fold(names[0]) + " "):
            names = lead_ctx  # "3. Đối với các Bộ quản lý chuyên ngành" then "a) ..., các bộ ... thực hiện": the same body
        if names is None:
            names = lead_ctx or self._root_lead()
        names = [self._expand(n) for n in names] if names else None
        assignee = names[0] if names else None
        co = list(names[1:]) if names else []
        for n in cooperating_bodies(text):
            n = self._expand(n)
            if n not in co and n != assignee:
                co.append(n)
        dl = find_deadline(text, self.ctx.ref_year, self.ctx.ref_date, workdays=self.ctx.workdays,
                           anchors=self.ctx.anchors) or dl_ctx
        window = _WINDOW.search(text)
        sending = window is not None and SEND_WINDOW.search(text[max(0, window.start() - 120):window.start()])
        if window and not sending and (dl is None or (dl.date is not None and window.start() <= dl.start < window.end())):
            # "treo cờ Tổ quốc từ ngày 10/5/2026 đến hết ngày 14/5/2026": when it happens, not when it is due
            # (find_deadline already skips the window's end; its phrase is kept as the deadline text)
            dl = Deadline(None, window.group(0), window.start(), window.end(), "vague", strong=False)
        return TaskDraft(view=view, assignee=assignee, co_assignees=co, generic=is_generic(assignee),
                         deadline=dl, action=_first_sentence(text[action_from:] or text))

    def _expand(self, name: str) -> str:
        return self.ctx.aliases.get(fold(name), name)

    # --- reports --------------------------------------------------------------------------------
    def reports(self) -> list[ReportDuty]:
        year = self.ctx.ref_year
        dues: dict[str, tuple[str, date | None]] = {}
        windows: dict[str, tuple[date | None, date | None]] = {}
        extra: list[ReportDuty] = []
        last_label: str | None = None
        topic, recipient = None, None
        recs: dict[str, dict[str, int | str]] = {}
        end_day, end_to, end_who = self._period_end_day()
        instance_who: str | None = None  # who reports the instances of a recurring duty stated in a task
        inst_rec: dict[str, dict[str, int | str]] = {}
        for i in self.report_blocks:
            text = self.blocks[i].text
            topic = topic or _report_topic(text)
            recipient = recipient or _recipient(text)
            parts = split_label(text)
            if parts is None:
                instances = recurring_reports(text, year)
                for label, due in instances:
                    dues.setdefault(period_key(label), (label, due))
                if not instances and last_label and _REPORT_VERB.search(text):
                    extra.extend(self._report_clauses(text, last_label))  # the schedule line goes on
                elif not instances and (_reports_verb(text) or _sends_results(text)):
                    extra.extend(self._report_clauses(text, None))  # "Các sở ... gửi về Sở X trước ngày 20 hằng tháng"
                continue
            label, rest = parts
            last_label = label
            key = period_key(label)
            clauses = self._report_clauses(rest, label)
            if len(clauses) > 1 or (clauses and clauses[0].recurrence):
                extra.extend(clauses)  # "Báo cáo năm: X gửi Y trước ngày 15/12; Y tổng hợp báo cáo Z trước ngày 20/12"
                continue
            dl = find_deadline(rest, year, self.ctx.ref_date)
            start, end = report_window(rest, year)
            if start or end:
                windows[key] = (start, end)
            elif dl and dl.date:
                dues[key] = (label, dl.date)
            if key not in dues and end_day is not None and (start or end or not (dl and dl.date)):
                # "Báo cáo ... Quý I: Thời gian chốt số liệu ..." under "... chậm nhất là ngày 20 của tháng cuối kỳ
                # báo cáo": due on that day of the period's last month (no date when the year is not known)
                pd = period_due(label, end_day, year)
                if pd is not None:
                    dues[key] = (label, pd[0])
                    recs[key] = {"freq": "yearly", "month": pd[1], "day": end_day}
        # recurring duties stated in a task ("báo cáo định kỳ hằng quý ... trước ngày 15 của tháng cuối quý")
        for t in self.tasks:
            if re.search(r"báo cáo", t.view.text, re.IGNORECASE):
                instances = [(label, due) for label, due in recurring_reports(t.view.text, year)
                             if self.ctx.ref_date is None or due >= self.ctx.ref_date]  # none due before the document
                for label, due in instances:
                    dues.setdefault(period_key(label), (label, due))
                    inst_rec[period_key(label)] = {"freq": "quarterly" if label.startswith("Quý") else "monthly",
                                                   "day": due.day}
                    topic = topic or _report_topic(t.view.text)
                    recipient = recipient or _recipient(t.view.text) or _report_recipient(t.view.text)
                    instance_who = instance_who or t.assignee
                if instances:
                    continue
            if _reports_verb(t.view.text) or _sends_results(t.view.text) or _compiled_send(t.view.text):
                extra.extend(self._report_clauses(t.view.text, None, t.assignee))
        for text, who, label in self.report_texts:
            for r in self._report_clauses(text, label, who):
                if r.recipient is None and text in self.report_intro:
                    r.recipient = _report_recipient(self.report_intro[text])
                extra.append(r)
        extra.extend(self._reports_sent())
        lead = self.report_lead or self.last_lead
        assignee = lead[0] if lead else instance_who
        out = []
        for key, (label, due) in dues.items():
            start, end = windows.get(key, (None, None))
            base = re.sub(r"^báo cáo\s+", "", label, flags=re.IGNORECASE)
            name = f"Báo cáo {topic} {base}" if topic else f"Báo cáo {base}"
            out.append(ReportDuty(name=name, assignee=assignee or (end_who if key in recs else None),
                                  recipient=recipient or (end_to if key in recs else None),
                                  due=due, period_start=start, period_end=end,
                                  recurrence=recs.get(key) or inst_rec.get(key)))
        if recs:
            # the sentence that announced the schedule ("Báo cáo ... hàng quý, 6 tháng và hàng năm, gửi Bộ Nội vụ")
            # is the schedule itself, not one more duty
            extra = [r for r in extra if r.due is not None or not r.recurrence]

        def key(r: ReportDuty) -> tuple[date | None, str | None, object, object, object]:
            rec = r.recurrence or {}
            return r.due, r.recipient, rec.get("freq"), rec.get("month"), rec.get("day")

        def same(a: ReportDuty, b: ReportDuty) -> bool:
            # one report told twice (a task's clause and a schedule line); the same due date and recipient for two
            # named bodies ("Bộ Xây dựng ... báo cáo Thủ tướng trong quý III", "Bộ Tài chính ... báo cáo Thủ tướng
            # trong quý III") are two reports
            return key(a) == key(b) and (not a.assignee or not b.assignee or fold(a.assignee) == fold(b.assignee))

        for r in extra:
            if not any(same(r, o) for o in out):
                r.assignee = r.assignee or assignee
                out.append(r)
        return out

    def _report_clauses(self, text: str, label: str | None, default: str | None = None) -> list[ReportDuty]:
        """One report duty per clause that reports or sends results with a due date or a period:
        "báo cáo Thủ tướng Chính phủ trước ngày 30/9/2024", "định kỳ hằng tháng báo cáo ...",
        "Các cơ quan, đơn vị gửi Sở Tài chính trước ngày 05/7" (under "Báo cáo 6 tháng:")."""
        out: list[ReportDuty] = []
        periodic_label = bool(label and re.search(r"(?:6|sáu|9|chín)\s+tháng|năm|quý|tháng", label, re.IGNORECASE)
                              and not re.search(r"\d{4}", label))
        asked = False  # a report was asked for in an earlier clause ("... tổng hợp chung báo cáo. Yêu cầu hoàn thiện gửi ...")
        for clause in _report_split(text):
            sends = re.search(r"(?<![\w])(?:gửi|nộp)(?![\w])", clause)
            compiled = _compiled_send(clause)
            if not (_reports_verb(clause) or ((label or asked) and sends) or _sends_results(clause)
                    or compiled):
                continue
            if _CUT_OFF.search(clause) and not _DUE_CUE.search(clause):
                continue  # "Thời gian chốt số liệu tính từ ngày 15/12 ... đến ngày 14/3": the data window, not a due date
            if _NARRATED_REPORT.search(clause) and not _ASKS.search(clause):
                continue  # "đến ngày 24-10, nhiều đơn vị chưa nộp báo cáo thống kê ...": told, not asked for
            asked = True
            pairs = list(_PERIOD_DATE.finditer(clause))
            if len(pairs) < 2:
                pairs = list(_DATE_PERIOD.finditer(clause))
            if len(pairs) >= 2 and self.ctx.ref_date is not None:
                # "định kỳ 6 tháng (trước ngày 15/6) và hằng năm (trước ngày 15/12) báo cáo ...": one duty per date
                lead = leading_bodies(clause)
                who = lead.names[0] if lead and not lead.verb else default
                for pm in pairs:
                    day, month = int(pm.group("day")), int(pm.group("month"))
                    if not 1 <= month <= 12:
                        continue
                    if pm.group("year"):
                        due, rec = date(int(pm.group("year")), month, day), None
                    else:
                        due, rec = next_yearly(month, day, self.ctx.ref_date), {"freq": "yearly", "month": month, "day": day}
                    out.append(ReportDuty(name=f"Báo cáo {pm.group('label').strip()}", assignee=who,
                                          recipient=_report_recipient(clause), due=due, recurrence=rec))
                continue
            days = _YEARLY_DAYS.search(clause) or _HALF_YEAR_DAYS.search(clause)
            if days:
                # "báo cáo UBND tỉnh trước ngày 05/6 và 05/12 hằng năm": one yearly duty per day named
                for d_, m_ in re.findall(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})", days.group("days")):
                    day, month = int(d_), int(m_)
                    if not (1 <= month <= 12 and 1 <= day <= 31):
                        continue
                    due = next_yearly(month, day, self.ctx.ref_date)
                    if due is None and self.ctx.ref_year and self.ctx.ref_date is None:
                        due = next_yearly(month, day, None, self.ctx.ref_year)
                    out.append(ReportDuty(name=_report_name(clause), assignee=self._reporter(clause, default),
                                          recipient=_report_recipient(clause), due=due,
                                          recurrence={"freq": "yearly", "month": month, "day": day}))
                continue
            daily = self._daily_instances(clause)
            if daily:
                # "báo cáo nhanh tình hình từng ngày (từ ngày 30 tháng 4 đến ngày 03 tháng 5), gửi ... trước 14 giờ
                # hằng ngày": one duty per day of the window
                who, to, name = self._reporter(clause, default), _report_recipient(clause), _report_name(clause)
                out.extend(ReportDuty(name=f"{name} ({d:%d/%m})", assignee=who, recipient=to, due=d,
                                      recurrence={"freq": "daily"}) for d in daily)
                continue
            dl = find_deadline(clause, self.ctx.ref_year, self.ctx.ref_date, workdays=self.ctx.workdays)
            recurrence = dl.recurrence if dl else None
            due = dl.date if dl else None
            if dl and dl.kind == "date" and periodic_label and not re.search(r"\d{4}", dl.text):
                m = re.search(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})|(\d{1,2})\s+tháng\s+(\d{1,2})", dl.text)
                if m:
                    day, month = int(m.group(1) or m.group(3)), int(m.group(2) or m.group(4))
                    if 1 <= month <= 12:
                        recurrence = {"freq": "yearly", "month": month, "day": day}
                        due = next_yearly(month, day, self.ctx.ref_date) or due
            periodic = _PERIODIC.search(clause)
            if recurrence is None and periodic:
                freq = fold(periodic.group(1) or periodic.group(2) or "")
                recurrence = {"freq": "half_yearly" if re.match(r"0?6|sau", freq) else _FREQ.get(freq, "yearly")}
                dm = re.search(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?!\s*[/.-]\s*\d)|(\d{1,2})(?:\s*\([^()]*\))?\s+tháng\s+(\d{1,2})",
                               dl.text) if dl and dl.kind == "date" and not re.search(r"\d{4}", dl.text) else None
                if dm and recurrence["freq"] in ("yearly", "half_yearly") and 1 <= int(dm.group(2) or dm.group(4)) <= 12:
                    # "Chậm nhất ngày 25 (hai mươi lăm) tháng 11 đối với báo cáo định kỳ hằng năm": a day of the year
                    day, month = int(dm.group(1) or dm.group(3)), int(dm.group(2) or dm.group(4))
                    recurrence = {"freq": "yearly", "month": month, "day": day}
                    due = next_yearly(month, day, self.ctx.ref_date) or due
                wd = _WEEKDAY.search(clause) if recurrence["freq"] == "weekly" else None
                if wd:
                    recurrence["weekday"] = "sunday" if wd.group("sun") else _WEEKDAYS[wd.group("wd").lower()]
            if (recurrence is None and dl and dl.kind == "date" and dl.date is None and _OF_REPORT_YEAR.search(clause)):
                m = re.search(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})", dl.text)
                if m and 1 <= int(m.group(2)) <= 12:
                    recurrence = {"freq": "yearly", "month": int(m.group(2)), "day": int(m.group(1))}
            if due is None and recurrence is None and not (dl and dl.kind in ("date", "month", "quarter", "half", "year",
                                                                            "relative")):
                continue
            who = self._reporter(clause, default)
            to = _report_recipient(clause)
            if to is None:
                # "Thủ tướng yêu cầu các bộ, ngành ... trước ngày 20/4 phải báo cáo tình hình ...": to the one who asks
                asker = leading_bodies(clause)
                leader = _ASKER.match(clause)
                if asker and not asker.verb and _ADDRESS_ANY.match(clause, _skip(clause, asker.end)):
                    to = asker.names[0]
                elif leader:
                    to = leader.group("who")
            own = re.match(r"\s*(?:báo cáo|chế độ báo cáo)\b", clause, re.IGNORECASE)
            name = (label.strip() + ": " if label and not own else "") + _report_name(clause)
            out.append(ReportDuty(name=name, assignee=who, recipient=to, due=due, recurrence=recurrence))
        return out


    def _reports_sent(self) -> list[ReportDuty]:
        """Sentences whose subject is the reports themselves, anywhere a text directs: "Tất cả các báo cáo phải gửi
        về Sở Y tế chậm nhất vào ngày 22/12", "Kết quả thực hiện gửi về Sở Nội vụ trước ngày ..."."""
        out: list[ReportDuty] = []
        done = set(self.report_blocks)
        handled = {t for t, _, _ in self.report_texts}
        for i, b in enumerate(self.blocks):
            if (i in done or b.text in handled or b.kind == "row" or not _has_reports_sent(self._lower(i))
                    or not _REPORTS_SENT_ANY.search(b.text)):
                continue
            if self._scope(i)[0] in ("narrative", "none"):
                continue
            sents = re.split(r"(?<=[.!?])\s+(?=[A-ZĐ])", b.text)
            for n, sent in enumerate(sents):
                m = _REPORTS_SENT.match(sent)
                if not m:
                    continue
                dl = find_deadline(sent, self.ctx.ref_year, self.ctx.ref_date, workdays=self.ctx.workdays)
                if dl is None or (dl.date is None and dl.kind not in ("date", "recurring", "relative")):
                    continue  # no due date stated; one whose year the text never gives is kept, without a date
                who = None
                lo, hi = (self.blocks[i - 1] if i else b).view.span()[0], b.view.span()[1]
                for t in reversed(self.tasks):  # the request just before, in this paragraph or the one above
                    if lo <= t.view.span()[0] < hi:
                        who = t.assignee
                        break
                if who is None and n:
                    prev = sents[n - 1]
                    sent_to = re.search(r"(?<![\w])(?:gửi|yêu cầu|đề nghị|giao)\s+", prev)
                    found = parse_bodies(prev, sent_to.end(), any_case=True) if sent_to else None
                    who = found.names(prev)[0] if found else None
                out.append(ReportDuty(name=_report_name(sent), assignee=who, recipient=_report_recipient(sent),
                                      due=dl.date, recurrence=dl.recurrence))
        return out

    def _period_end_day(self) -> tuple[int | None, str | None, str | None]:
        """"Các bộ ... gửi Bộ Nội vụ ..., thời hạn gửi chậm nhất là ngày 20 của tháng cuối kỳ báo cáo": that day, the
        body reports go to and the body that reports."""
        for b in self.blocks:
            m = PERIOD_END_DAY.search(b.text)
            if m and 1 <= int(m.group("day")) <= 31:
                lead = leading_bodies(b.text)
                who = lead.names[0] if lead and acts(b.text, lead.end) else None
                return int(m.group("day")), _report_recipient(b.text), who
        return None, None, None

    def _reporter(self, clause: str, default: str | None) -> str | None:
        """Who reports: the body the clause opens with, the body a directive verb in it addresses ("UBND thành phố
        giao Sở Xây dựng ..., báo cáo ..."), else `default` (the task's assignee)."""
        lead = leading_bodies(clause)
        who = lead.names[0] if lead and not lead.verb and acts(clause, lead.end) else default
        if lead and not lead.verb and who is default:
            will = re.match(r"\s*sẽ\s+", clause[lead.end:])
            if will and acts(clause, lead.end + will.end()):
                who = lead.names[0]  # "Bộ Nội vụ sẽ tổng hợp, báo cáo Chính phủ ...": the body commits to report
        if lead and _ADDRESS_ANY.match(clause, _skip(clause, lead.end)):
            addressed = _addressed_in(clause)
            who = addressed.names[0] if addressed else default
        elif lead and not lead.verb:
            # "Ngoài ra, Bộ GD&ĐT cũng yêu cầu Giám đốc Sở, Thủ trưởng cơ sở ... báo cáo ...": the lead found after the
            # opening clause is the last of the bodies a directive verb before it addresses; the first of them reports
            addressed = _addressed_in(clause)
            if addressed and addressed.start < lead.start < addressed.end:
                who = addressed.names[0]
        return who

    def _daily_instances(self, clause: str) -> list[date]:
        """The days of a daily report's window ("từng ngày ... (từ ngày 30 tháng 4 đến ngày 03 tháng 5)")."""
        if not _DAILY.search(clause):
            return []
        start, end = report_window(clause, self.ctx.ref_year)
        if start is None or end is None or not 0 <= (end - start).days <= 31:
            return []
        return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# "Tất cả các báo cáo phải gửi về Sở Y tế ...", "Kết quả thực hiện gửi về Sở Nội vụ ...": the reports are the subject
_REPORTS_SENT = re.compile(
    r"^(?:[^.;:]{0,40}?,\s*)?(?:tất cả\s+)?(?:các\s+|những\s+)?(?:báo cáo|văn bản báo cáo|số liệu(?:\s+báo cáo)?"
    r"|kết quả(?:\s+thực hiện)?)(?![\w])[^.;]{0,80}?(?<!đã )(?<!chưa )(?<!vẫn )(?:(?:phải|cần|được)\s+)?"
    r"(?:gửi|nộp|(?<=kết quả thực hiện )báo cáo)(?:\s+(?:về|đến|tới|cho))?\s+(?-i:[A-ZĐ])", re.IGNORECASE)
# Keyword pre-checks on a lower-cased text: each holds wherever its pattern can match, and a plain substring test
# is much cheaper than a case-insensitive pattern tried at every position. Their words leave out the letters that
# IGNORECASE also matches in other forms than lower() gives ('i' ~ 'ı', 's' ~ 'ſ'), so they miss no match.
def _has_status(low: str) -> bool:  # _STATUS: "đến nay|đến ngày" before "chưa|mới|đã nhận được"
    return "đến" in low and ("chưa" in low or "mới" in low or "nhận" in low)


def _has_cut_off(low: str) -> bool:  # CUT_OFF_DATE: "tính đến|tới", "số liệu đến", "chốt số liệu"
    return "tính" in low or "ệu" in low or "chốt" in low


def _has_reports_sent(low: str) -> bool:  # _REPORTS_SENT_ANY: "báo cáo|số liệu|kết quả" ... "gửi|nộp|báo cáo"
    return ("báo cáo" in low or "ệu" in low or "ết quả" in low) and ("gử" in low or "nộp" in low or "báo cáo" in low)


_REPORTS_SENT_ANY = re.compile(r"(?<![\w])(?:báo cáo|số liệu|kết quả)(?![\w])[^.;]{0,90}?(?<![\w])(?:gửi|nộp|báo cáo)(?![\w])",
                               re.IGNORECASE)
# "Thủ tướng yêu cầu ...", "Theo đó, Chủ tịch UBND tỉnh đề nghị ...": the leader who asks
_ASKER = re.compile(r"^(?:[^.;:]{0,120}?,\s*)?(?:đồng chí\s+)?(?P<who>(?:Phó\s+)?(?:Thủ tướng|Chủ tịch|Bộ trưởng|Giám đốc)"
                    r"(?:\s+(?:Chính phủ|UBND|Ủy ban nhân dân|Bộ|Sở)(?:\s+[^\W\d][^\s.;:,]*){0,6}?)?)\s+(?:cũng\s+)?"
                    r"(?:yêu cầu|đề nghị|giao|chỉ đạo)\s+")
_NAME_TAIL = re.compile(r"\s+(?:sau|trước|trong|chậm nhất)\s+\d.*$|\s+(?:một số|các|những)\s+(?:nội dung|vấn đề|thông tin)(?![\w]).*$")
_CUT_OFF = re.compile(r"chốt\s+số\s+liệu|số\s+liệu\s+(?:tính|báo cáo)\s+từ", re.IGNORECASE)
_DUE_CUE = re.compile(r"(?<![\w])(?:trước|chậm\s+nhất|hạn\s+chót|thời\s+hạn\s+(?:gửi|nộp))(?![\w])", re.IGNORECASE)
_VERB_IN_NAME = re.compile(r"(?:Ngoại|ngoại)\s+giao|[Gg]iao\s+thông")  # "Bộ Ngoại giao": a name, not "giao"


def _report_split(text: str) -> list[str]:
    """Clauses of a report paragraph; bodies listed with ";" stay with the clause that says what they do ("Các
    Bộ: Quốc phòng, Công an; Thông tấn xã Việt Nam; Ủy ban ... báo cáo nhanh ...")."""
    out: list[str] = []
    carry = ""
    parts = re.split(r"(;\s+|(?<=[.!?])\s+(?=[A-ZĐ]))", text)
    for part, sep in zip(parts[::2], [*parts[1::2], ""], strict=True):
        bare = _VERB_IN_NAME.sub(" ", part)
        if (sep.startswith(";") and _words(part) <= 12 and not re.search(r"\d", part)
                and not _ACTION_ANY.search(bare.lower())):
            carry += part + "; "  # "Các Bộ: Quốc phòng, Công an, Ngoại giao;" names who acts in the next clause
            continue
        out.append(carry + part)
        carry = ""
    if carry:
        out.append(carry.rstrip("; "))
    return out


# "trước ngày 05/6 và 05/12 hằng năm", "vào ngày 10/6, ngày 10/12 hàng năm": several yearly days in one clause
_YEARLY_DAYS = re.compile(
    r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+(?:các\s+)?ngày\s+"
    r"(?P<days>\d{1,2}\s*[/.-]\s*\d{1,2}(?:\s*(?:,|và)\s*(?:ngày\s+)?\d{1,2}\s*[/.-]\s*\d{1,2})+)"
    r"(?![\d/.-])\s*(?:của\s+)?(?:hằng|hàng|mỗi)\s+năm", re.IGNORECASE)
# "định kỳ báo cáo 6 tháng, năm (trước ngày 15/6 và 15/12)": the half-year and the year, one day each
_HALF_YEAR_DAYS = re.compile(
    r"(?:6|sáu)\s+tháng\s*(?:,|và)\s*(?:hằng\s+|hàng\s+|cả\s+)?năm[^.;]{0,40}?(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+(?:các\s+)?"
    r"ngày\s+(?P<days>\d{1,2}\s*[/.-]\s*\d{1,2}\s*(?:,|và)\s*(?:ngày\s+)?\d{1,2}\s*[/.-]\s*\d{1,2})(?![\d/.-])",
    re.IGNORECASE)
_DAILY = re.compile(r"(?<![\w])(?:hằng|hàng|từng|mỗi)\s+ngày(?![\w])", re.IGNORECASE)


def _quoted_blocks(blocks: list[Block]) -> set[int]:
    """Blocks inside a quotation (“...”) that opens a block: law or a letter cited word for word, which
    directs nobody here."""
    out: set[int] = set()
    inside = False
    for n, b in enumerate(blocks):
        t = b.text.strip(" *_")
        opens = t[:1] in "“\"‘" or t.startswith(("‘‘", "''"))
        if not inside and not opens:
            continue
        intro = blocks[n - 1].text.rstrip(" *_") if n else ""
        if not inside and not re.search(r"(?:quy định|như sau|ghi rõ|nêu rõ|viết)[^.]{0,80}:$", intro, re.IGNORECASE):
            continue  # "“Sở ... phối hợp ...”. Đó là chỉ đạo của UBND tỉnh": a directive quoted by the news
        out.add(n)
        body = t[1:] if opens else t
        closes = bool(re.search(r"[”\"’']\s*[*_.,;:]*\s*$", body)) or "”" in body
        inside = not closes
    return out


def _names(value: str) -> list[str]:
    """Body names in a cell or attribute value; a value that is no recognised name is kept as written."""
    value = value.strip(" .;:")
    if not value:
        return []
    found = parse_bodies(value, 0, any_case=True)
    if found and found.end >= len(value) - 2:
        return found.names(value)
    parts = [p.strip(" .;-") for p in re.split(r"\s*[;\n]\s*|\s+-\s+", value) if p.strip(" .;-")]
    return parts or [value]


def _column_roles(header: list[str]) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    for n, cell in enumerate(header):
        key = fold(cell)
        if "phoi hop" in key:
            roles.setdefault("co", n)
        elif re.search(r"thoi gian|thoi han|tien do|hoan thanh", key):
            roles.setdefault("time", n)
        elif re.search(r"chu tri|thuc hien|phu trach|dau moi|don vi|co quan|trach nhiem", key):
            roles.setdefault("lead", n)
        elif re.search(r"noi dung|nhiem vu|cong viec|hoat dong|ten", key):
            roles.setdefault("content", n)
    return roles if "content" in roles and ("lead" in roles or "time" in roles) else {}


_REPORT_LINE = re.compile(
    r"^(?:Báo cáo|Chế độ báo cáo)\s+(?P<label>(?:định kỳ\s+)?(?:hằng\s+|hàng\s+)?(?:tháng|quý|(?:6|sáu|9|chín)\s+tháng(?:\s+đầu năm)?|năm)"
    r"|đột xuất)(?![\w])(?![^:]{0,12}:)")  # "Báo cáo 6 tháng: X gửi Y ..." is a labelled line, read as such
_REPORT_VERB = re.compile(r"(?<![\w])(?:(?<=định kỳ )|(?<!kỳ ))(?:báo cáo|gửi báo cáo)(?![\w])(?!\s+(?:của|số|tóm tắt|thuyết minh))", re.IGNORECASE)
# "tổng hợp kết quả ... gửi Bộ ...", "cung cấp thông tin ... định kỳ hằng năm gửi về Bộ": sending results is reporting
_SENDS_RESULTS = re.compile(r"(?:kết quả|số liệu|thông tin|tình hình)[^.;]{0,160}?(?<![\w])(?:gửi|nộp)(?:\s+về)?\s+[A-ZĐ]"
                            r"|(?<![\w])(?:gửi|nộp)(?:\s+về)?\s+[^.;]{0,80}?(?:kết quả|số liệu|báo cáo)", re.IGNORECASE)


# The three patterns above, searched only when the lower-cased text holds words every match holds ("báo cáo";
# "gửi|nộp"): a substring test is much cheaper than a case-insensitive search; see _has_status for the letters.
def _reports_verb(text: str) -> bool:
    return "báo cáo" in text.lower() and bool(_REPORT_VERB.search(text))


def _sends_results(text: str) -> bool:
    low = text.lower()
    return ("gử" in low or "nộp" in low) and bool(_SENDS_RESULTS.search(text))


def _compiled_send(text: str) -> re.Match[str] | None:
    low = text.lower()
    return _COMPILED_SEND.search(text) if ("gử" in low or "nộp" in low) and "để" in low else None


# "gửi Văn phòng UBND tỉnh trước ngày 10/12 để tổng hợp": what is sent to be compiled is a report
_COMPILED_SEND = re.compile(r"(?<![\w])(?:gửi|nộp)(?![\w])[^.;]{0,120}?(?<![\w])để\s+(?:tổng hợp|theo dõi, tổng hợp|báo cáo)"
                            r"(?![\w])", re.IGNORECASE)
_PERIODIC = re.compile(r"(?:định kỳ\s+)?(?:hằng|hàng|mỗi)\s+(tháng|quý|năm|tuần|ngày)"
                       r"|định kỳ\s+(0?6(?:\s*\(sáu\))?\s+tháng|sáu tháng|năm|quý|tháng|tuần)", re.IGNORECASE)
# "trước 15h, thứ năm hàng tuần": the weekday a weekly report is due
_WEEKDAY = re.compile(r"(?<![\w])(?:thứ\s+(?P<wd>hai|ba|tư|năm|sáu|bảy|[2-7])|(?P<sun>chủ\s+nhật))\s*,?\s*(?:hằng|hàng|mỗi)\s+tuần",
                      re.IGNORECASE)
_WEEKDAYS = {"hai": "monday", "2": "monday", "ba": "tuesday", "3": "tuesday", "tư": "wednesday", "4": "wednesday",
             "năm": "thursday", "5": "thursday", "sáu": "friday", "6": "friday", "bảy": "saturday", "7": "saturday"}
# "nhiều đơn vị chưa nộp báo cáo ...", "đã gửi báo cáo ...": a report told as done or missing, not asked for
_NARRATED_REPORT = re.compile(r"(?<![\w])(?:đã|chưa|vẫn chưa|vẫn|không)\s+(?:được\s+)?(?:gửi|nộp|báo cáo)(?![\w])",
                              re.IGNORECASE)
_ASKS = re.compile(r"(?<![\w])(?:yêu cầu|đề nghị|giao|phải|cần|khẩn trương|đôn đốc)(?![\w])", re.IGNORECASE)
# "gửi trước ngày 10/01 của năm liền kề năm báo cáo": a day of every year
_OF_REPORT_YEAR = re.compile(r"(?<![\w])của\s+năm\s+(?:báo cáo|liền kề|kế tiếp|sau)(?![\w])", re.IGNORECASE)
_PERIOD_DATE = re.compile(
    r"(?P<label>(?:6|sáu)\s+tháng(?:\s+đầu\s+năm)?|(?:hằng|hàng)\s+(?:năm|quý)|năm|quý\s+[IV1-4]+)\s*[(,:]?\s*"
    r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})"
    r"(?:\s*[/.-]\s*(?P<year>\d{4}))?", re.IGNORECASE)
# "trước ngày 20/6/2025 (báo cáo 6 tháng) và trước ngày 20/12/2025 (báo cáo năm)": the date, then its period
_DATE_PERIOD = re.compile(
    r"(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})"
    r"(?:\s*[/.-]\s*(?P<year>\d{4}))?\s*\((?:đối với\s+)?(?P<label>(?:báo cáo\s+)?(?:(?:6|sáu|9|chín)\s+tháng(?:\s+đầu\s+năm)?"
    r"|năm|quý\s+[IV1-4]+|tháng))\)", re.IGNORECASE)
_FREQ = {"thang": "monthly", "quy": "quarterly", "nam": "yearly", "6 thang": "half_yearly", "sau thang": "half_yearly",
         "tuan": "weekly", "ngay": "daily"}


def _report_name(clause: str) -> str:
    m = _REPORT_VERB.search(clause)
    start = m.start() if m else 0
    name = re.sub(r"\s+", " ", clause[start:]).strip(" .;,")
    name = re.split(r"\s+(?:trước|chậm nhất|trong thời hạn|theo quy định)(?![\w])", name)[0]
    name = re.sub(r"\s+(?:gửi|nộp)(?:\s+về)?$", "", name)
    name = name[:1].upper() + name[1:]
    return name[:120]


_TOP_RECIPIENT = re.compile(r"(?<![\w])(?:báo cáo|trình|gửi(?:\s+về)?)\s+(Thủ tướng Chính phủ|Phó Thủ tướng(?: Chính phủ)?|Chính phủ|"
                            r"Thủ tướng|Quốc hội|Ủy ban Thường vụ Quốc hội|Ban Bí thư|Bộ Chính trị)(?![\w])")


# "... trình UBND tỉnh trước ngày 10/8 để báo cáo Bộ Công Thương", "gửi về Sở X để tổng hợp, báo cáo UBND tỉnh":
# what follows "để" is the next step up, made by the recipient
_PURPOSE = re.compile(r"\s(?:để|nhằm)\s+(?:[^,.;]{0,25}?,\s*)?(?:báo cáo|trình|gửi|tổng hợp|xem xét)(?![\w])", re.IGNORECASE)
_RECIPIENT_VERB = re.compile(
    r"(?<![\w])(?:(?<!chế độ )(?:(?<=định kỳ )|(?<!kỳ ))báo cáo(?:\s+kết quả)?(?:\s+về)?|(?<!công )trình|gửi(?:\s+(?:hỏa tốc|bằng văn bản|trực tiếp))?(?:\s+(?:về|đến|tới|cho))?|về|đến|tới)\s+",
    re.IGNORECASE)


def _report_recipient(clause: str) -> str | None:
    cut = _PURPOSE.search(clause)
    for part in ((clause[:cut.start()], clause) if cut else (clause,)):
        for m in _RECIPIENT_VERB.finditer(part):
            bodies = parse_bodies(part, m.end(), any_case=True)
            if bodies and not re.match(r"(?:báo cáo|văn bản|kế hoạch)(?![\w])", part[m.end():], re.IGNORECASE):
                # "gửi Sở Tài chính sau 30 ngày", "báo cáo Bộ GD&ĐT một số nội dung": the name ends before the time
                return ", ".join(_NAME_TAIL.sub("", n).rstrip(" .;,") for n in bodies.names(part))
        top = _TOP_RECIPIENT.search(part)  # "tổng hợp, báo cáo Thủ tướng Chính phủ ..."
        if top:
            return top.group(1)
    return None


def _report_topic(text: str) -> str | None:
    m = re.search(r"[Bb]áo cáo\s+([A-ZĐ][\w&-]{1,12})\s+định kỳ", text)
    if m:
        return m.group(1)
    m = re.search(r"báo cáo định kỳ[^.;]*?về\s+(?:công tác\s+)?([A-ZĐ][\w&-]{1,12})(?![\w])", text)
    return m.group(1) if m else None


def _recipient(text: str) -> str | None:
    m = re.search(r"gửi\s+(?:về\s+)?((?:UBND|Ủy ban|Sở|Phòng|Văn phòng|Ban|Bộ|Cục)\b[^,.;(:]{0,40}?)(?=\s*[(,.;:]|\s+(?:qua|trước|chậm|theo|để)\b|$)",
                  text)
    return m.group(1).strip() if m else None


__all__ = ["Context", "TaskDraft", "TaskExtractor", "heading_mode", "intro_mode"]


_TT_CELL = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[a-zđ])[.)]?$")
_TIME_HEADER = re.compile(r"^(?:Thời gian|Thời hạn|Tiến độ)(?:\s+(?:thực hiện|hoàn thành))?(?:/.*)?$", re.IGNORECASE)


def flat_table_tasks(lines: list[View], ctx: Context, groups: list[str] | None = None) -> list[TaskDraft]:
    """Rows of a task table whose text layer lost the row breaks: a Markdown header ("| TT | Nội dung | Cơ quan chủ
    trì | Cơ quan phối hợp |", perhaps with its last header cell on the next line, "Thời gian thực hiện") and then
    one cell a line, each row opening with its number ("1", "a)"). A number followed by a single line is a group
    heading; a row's first line is its content, then the lead, the co-assignees and the time (a wrapped content
    line after the time is dropped)."""
    header = next((n for n, v in enumerate(lines) if v.text.startswith("|") and not set(v.text) <= set("|-: ")), None)
    if header is None:
        return []
    cells = [c.strip(" *") for c in lines[header].text.strip("| ").split("|")]
    roles = _column_roles(cells)
    if not roles or "lead" not in roles:
        return []
    k = header + 1
    while k < len(lines) and lines[k].text.startswith("|"):
        if not set(lines[k].text) <= set("|-: "):
            return []  # real rows follow: the table is not flattened
        k += 1
    order = [r for r, _ in sorted(roles.items(), key=lambda x: x[1])]
    if k < len(lines) and _TIME_HEADER.match(lines[k].text.strip()):
        order.append("time") if "time" not in order else None
        k += 1
    order = [r for r in order if r != "tt"]
    rows: list[list[View]] = []
    for v in lines[k:]:
        t = v.text.strip()
        if not t:
            continue
        if _TT_CELL.match(t):
            rows.append([])
        elif rows:
            rows[-1].append(v.strip())
    tasks = []
    for row in rows:
        if len(row) < 2:
            if row and groups is not None:
                groups.append(row[0].text)
            continue  # "1 / Tổ chức tuyên truyền ...": a group heading
        got = dict(zip(order, row, strict=False))
        content, lead = got.get("content"), got.get("lead")
        if content is None or lead is None:
            continue
        names = _names(lead.text)
        co = got.get("co")
        time_cell = got.get("time")
        dl = find_deadline(time_cell.text, ctx.ref_year, ctx.ref_date, cell=True) if time_cell else None
        assignee = names[0] if names else lead.text
        tasks.append(TaskDraft(view=content, assignee=assignee, co_assignees=names[1:] + (_names(co.text) if co else []),
                               generic=is_generic(assignee), deadline=dl, action=_first_sentence(content.text),
                               origin="row"))
    return tasks
