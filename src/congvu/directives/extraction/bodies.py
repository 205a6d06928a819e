"""Recognising the names of bodies (cơ quan, đơn vị) in running text.

A body name opens with a head word ("Phòng", "Sở", "Ban Chỉ huy", "UBND", "Các cơ quan"...) and runs
until a colon, a bracket, a verb ("tham mưu", "chủ trì", ...) or a word that cannot belong to a name.
Several bodies named together are split where the next one opens with a head word, so
"Công an huyện, Ban Chỉ huy Quân sự huyện theo chức năng" gives two bodies, while the commas of
"Phòng Lao động, Thương binh và Xã hội" stay inside one name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# Upper-case Latin letters including Vietnamese ones (re has no \p{Lu}).
UPPER = "".join(c for c in map(chr, [*range(0x41, 0x250), *range(0x1EA0, 0x1EFA)]) if c.isupper())
_UP = UPPER

# Heads that always open a body.
_FREE_HEADS = (
    "Trung tâm|Công an|Chi cục thuế|Chi cục|Tổng cục|Cục thuế|Cục|Kho bạc|Bảo hiểm xã hội|Bảo hiểm|Văn phòng|"
    "UBND|HĐND|UBMTTQVN|UBMTTQ|MTTQVN|MTTQ|Ủy ban|Hội đồng|Sở|Bộ phận|Cơ quan|Bệnh viện|Liên đoàn|Mặt trận|"
    "Huyện đoàn|Tỉnh đoàn|Thành đoàn|Đảng ủy|Huyện ủy|Tỉnh ủy|Thành ủy|Thị ủy|Ngân hàng|Tổng công ty|"
    "BHXH|Công ty|Điện lực|Viện kiểm sát|Tòa án|Chi nhánh|Bưu điện|Hải quan|Hợp tác xã|BCHQS|BCH|BCĐ|BQL|"
    "Cảnh sát|Ban Chỉ huy|Ban Quản lý|Ban Chỉ đạo|Ban chỉ đạo|Tổ công tác|Tổ Công tác|Tổ giúp việc|Tổ chuyên gia|"
    "Tổ liên ngành|Đoàn công tác|Đoàn kiểm tra|Đoàn liên ngành|Ban Thường vụ|Ban Tiếp công dân|Thường trực|Thường vụ|"
    "Hạt Kiểm lâm|Kiểm lâm|Ban CHQS|Đài Phát thanh|Trạm Y tế|Người đứng đầu|Thủ trưởng|Thanh tra|"
    "Vườn quốc gia|Tập đoàn|Hiệp hội|Học viện|Viễn thông|Bộ đội Biên phòng|Lực lượng|Lực lực|Chủ đầu tư|"
    "Ban xây dựng đảng|Ban Tuyên giáo|Ban Dân vận|Ban Tổ chức|Ban Nội chính|Ban Kinh tế|Ban Pháp chế|"
    "Văn phòng Chính phủ|Ủy ban Mặt trận|Uỷ ban|Đài Khí tượng|Cục|Vụ|Tổng cục|"
    # a school and its board write to and are asked as a body ("Nhà trường có trách nhiệm ...", "Ban giám hiệu ...")
    "Nhà trường|Ban [Gg]iám hiệu|BGH|"
    # tax offices since the 2025 reform ("Thuế tỉnh Lào Cai", "Thuế cơ sở 3"); "thuế" alone is the tax
    "Thuế(?=\\s+(?:tỉnh|thành phố|cơ sở|TP\\.?)(?![\\w]))"
)
# Heads that open a body only before a capitalised word ("Phòng Nội vụ" but not "Phòng, chống").
_CAP_HEADS = (
    "Phòng|Ban|Hội|Đoàn|Bộ|Tổ|Đội|Trường|Viện|Báo|Đài|Quỹ|Trạm|Hạt|Chủ tịch|Phó Chủ tịch|Giám đốc|"
    "Phó Giám đốc|Lãnh đạo|Trưởng|Chánh|Bí thư|Công chức|Cán bộ|Bộ trưởng|Cục trưởng|Chi bộ|Đảng bộ|Ủy viên|"
    "Phó Thủ tướng|Thứ trưởng|Đồng chí|Hiệu trưởng"
)
_GENERIC_NOUNS = (
    "cơ quan|đơn vị|đ/c|địa phương|sở|ban|ngành|phòng|hội|đoàn thể|tổ chức|xã|phường|thị trấn|huyện|thành viên|"
    "thôn|khối|cụm|doanh nghiệp|trường(?!\\s+hợp)|công chức|cán bộ|cấp|đồng chí|ban ngành|chủ đầu tư|chi bộ|đảng bộ|"
    "cơ sở|lực lượng|tổ|tổ dân phố|huyện, thị xã|Sở|Ban|Phòng|Hội|Khối|Cụm|hợp tác xã|trạm|bộ phận|"
    "Bộ|bộ|ngân hàng|tỉnh|thành phố|quận|thị xã|đài|trung tâm|Trung tâm|ủy ban|Ủy ban|thủ trưởng|hộ|"
    "cấp ủy|tổ chức đảng|tổ chức chính trị\\s*[–-]\\s*xã hội|chính quyền|Mặt trận Tổ quốc|quận huyện|xã phường|"
    "sở ngành|bộ ngành|cá nhân|người đứng đầu|Chủ tịch|chủ tịch|Giám đốc|giám đốc|lãnh đạo|Phó Chủ tịch|"
    "Phó Thủ tướng|Thứ trưởng|Phó Giám đốc|chuyên môn|"
    # the heads of villages and street groups a commune writes to ("Kính gửi: Các ông xóm trưởng", "các trưởng thôn")
    "(?:ông\\s+|bà\\s+)?(?:trưởng thôn|trưởng xóm|xóm trưởng|trưởng bản|trưởng ấp|trưởng khu phố|tổ trưởng tổ dân phố)"
)
_GENERIC_NOUN_RE = re.compile(rf"(?:{_GENERIC_NOUNS})(?![\w])")
_LEVEL = r"(?:tỉnh|huyện|xã|thị trấn|phường|thành phố|thị xã|quận|đặc khu|TP\.?|TX\.?)"

_HEAD_RE = re.compile(
    rf"(?:(?:{_FREE_HEADS})(?![\w])"
    rf"|(?:{_CAP_HEADS})\s+(?=[{_UP}]|các\b|cấp\b|{_LEVEL}\b)"
    rf"|(?:Các|các|Tất cả các|Mọi)\s+(?:{_GENERIC_NOUNS})\b"
    rf"|(?:lãnh đạo|thủ trưởng|người đứng đầu|công chức|cán bộ|chủ tịch|giám đốc|hiệu trưởng|Công chức)\s+(?=các\b|[{_UP}]|chuyên môn|{_LEVEL}\b)"
    rf"|(?:ngành chức năng|cơ quan chức năng|địa phương)(?![\w])"
    rf"|[Cc]án bộ,\s*công chức(?:,\s*viên chức)?(?![\w])"  # "cán bộ, công chức xã"
    rf"|(?:Bộ trưởng|Thủ trưởng|Chủ tịch|Giám đốc|Trưởng ban)(?=\s*,))"  # "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, ..."
)
_HEAD_RE_ANYCASE = re.compile(_HEAD_RE.pattern, re.IGNORECASE)

# Verbs and particles that end a body name ("Phòng Nội vụ huyện | tham mưu ...").
ACTION_VERBS = (
    "tham mưu|chủ trì|phối hợp|tập trung|khẩn trương|thực hiện|tổ chức|triển khai|tiếp tục|chủ động|"
    "rà soát|xây dựng|hướng dẫn|kiểm tra|tiếp thu|nghiên cứu|đôn đốc|báo cáo|tăng cường|đẩy mạnh|quan tâm|"
    "chỉ đạo|bố trí|giải quyết|thường xuyên|kịp thời|sớm|ban hành|lập|hoàn thành|đề xuất|tổng hợp|trình|"
    "theo dõi|giám sát|vận động|tuyên truyền|phát động|đảm bảo|bảo đảm|nâng cao|phấn đấu|nắm|cung cấp|"
    "hỗ trợ|tiếp nhận|xử lý|duy trì|thẩm định|cập nhật|gửi|nhanh chóng|tích cực|nghiêm túc|quyết liệt|"
    "khắc phục|chịu trách nhiệm|có trách nhiệm|làm tốt|làm đầu mối|lựa chọn|xác định|điều chỉnh|kiện toàn|bổ sung|"
    "tiến hành|ký|phân công|sắp xếp|thành lập|chuẩn bị|tham gia|huy động|hoàn thiện|công khai|đánh giá|"
    "đăng ký|công bố|thông báo|xem xét|chuyển|thống kê|tích hợp|số hóa|vận hành|sửa đổi|rút kinh nghiệm|"
    "cần|phải|có|căn cứ|đề nghị|yêu cầu|giao|cử|mời|thẩm tra|quản lý|phổ biến|quán triệt|cụ thể hóa|"
    "tăng|giảm|ưu tiên|lồng ghép|bám sát|nhân rộng|biểu dương|khen thưởng|xét|hoàn chỉnh|soạn thảo|dự thảo|"
    "theo chức năng|nắm chắc|nắm bắt|tạo điều kiện|giúp|làm việc|kiểm soát|phòng ngừa|ngăn chặn|"
    "thanh tra|điều tra|truy xuất|chấn chỉnh|hướng|tổng kết|sơ kết|lãnh đạo|tuyển|tuyển dụng|đào tạo|bồi dưỡng|"
    "phản ánh|kiến nghị|trả lời|giữ vững|điều hành|cụ thể hóa|cụ thể hoá|đẩy nhanh|rà soát|thống kê|tiếp tục|"
    "chấp hành|tuân thủ|vận hành|nghiêm|tháo gỡ|giải ngân|bàn giao|thu hồi|xác minh|kê khai|trực tiếp|san tạo|tạo"
)
_STOP_WORDS = ("theo|với|là|được|đã|sẽ|đang|để|nhằm|trong|tại|về|khi|thì|cùng|nhưng|mà|do|vì|nếu|đối với|ngay|"
               "trước|chậm nhất|kể từ|từ ngày|đến ngày|vào|vừa|cũng|luôn|có trách nhiệm|tiếp|chịu|chưa|còn|vẫn|không|"
               "định kỳ|hằng|đến nay|hiện nay|trên địa bàn|trên cơ sở|đi|nhận")
_VERB_RE = re.compile(rf"(?:{ACTION_VERBS}|{_STOP_WORDS})(?![\w])")
_ACTION_RE = re.compile(rf"(?:{ACTION_VERBS})(?![\w])")
_WORD_RE = re.compile(r"[\w&]+(?:[-/&.][\w&]+)*\.?")
_LEVEL_RE = re.compile(rf"{_LEVEL}(?![\w])")
_GENERIC_RE = re.compile(
    r"^(?:thủ trưởng |lãnh đạo |người đứng đầu |chủ tịch |giám đốc |hiệu trưởng |tất cả )?(?:các|mọi)\b"
    # "Chủ tịch UBND các huyện", "Chủ tịch Ủy ban nhân dân cấp xã", "UBND cấp tỉnh": every body of a level
    r"|^(?:(?:phó )?chủ tịch |lãnh đạo |thủ trưởng |người đứng đầu )?(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân) (?:các|cấp)\b"
    # the addressees of a Government directive: "Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc
    # Chính phủ" name every minister, not one
    r"|^(?:Bộ trưởng|Thủ trưởng cơ quan ngang bộ|Thủ trưởng cơ quan thuộc Chính phủ)(?:\s*,|$)"
    r"|^(?:Sở|Bộ|Phòng),\s*(?:ban|ngành|sở|phòng)\b"
    r"|có liên quan|^công chức|^cán bộ|^(?:các )?cấp ủy"
    r"|^(?:UBND|Ủy ban nhân dân)\s+(?:tỉnh|huyện|xã|quận|phường|thị xã|thành phố|thị trấn)\s*[,/-]?\s*(?:tỉnh|huyện|xã|quận|phường|thị xã|thành phố|thị trấn)\b",
    re.IGNORECASE,
)


@dataclass
class BodyList:
    spans: list[tuple[int, int]] = field(default_factory=list)  # each body's (start, end) in the text
    end: int = 0  # where the list ends
    prefixes: dict[int, str] = field(default_factory=dict)  # span index → word to put before it ("Bộ ")

    def names(self, text: str) -> list[str]:
        return [self.prefixes.get(n, "") + tidy(text[a:b]) for n, (a, b) in enumerate(self.spans)]


def tidy(name: str) -> str:
    name = _ALIAS.sub(" ", name)  # "(sau đây gọi là ...)" defines a short name; it is not part of the name
    name = re.sub(r"\s+", " ", name).strip(" ,;:-")
    # "Sở Kế hoạch và Đầu tư - cơ quan thường trực Ban ...": an apposition (lower case after the dash) is not the
    # name; "Sở Lao động - Thương binh và Xã hội" keeps its dash
    name = re.sub(r"\s+[-–]\s+(?:cơ\s?quan|đơn vị|thường trực|là|đầu mối)(?![\w]).*$", "", name)
    return name


def is_generic(name: str | None) -> bool:
    return bool(name) and bool(_GENERIC_RE.search(name.strip()))  # type: ignore[union-attr]


_CAP_SINGLE = {w.lower() for w in _CAP_HEADS.split("|") if " " not in w}


def head_at(text: str, pos: int, any_case: bool = False) -> int | None:
    """End of a body head word starting at `pos`, or None."""
    m = (_HEAD_RE_ANYCASE if any_case else _HEAD_RE).match(text, pos)
    if not m:
        return None
    # "Ban hành", "Hội nghị", "Tổ chức" are not bodies: a free head must not be a verb phrase.
    word = m.group(0).strip()
    if any_case and word[:1].islower() and word.lower() in _CAP_SINGLE:
        nxt = text[m.end():m.end() + 1]
        if not nxt.isupper():
            return None
    return m.end()


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] == " ":
        pos += 1
    return pos


# Committees named by their subject: "Ban Chỉ đạo tỉnh về chuyển đổi số", "Tổ công tác về cải cách thủ tục hành
# chính", "Ban Chỉ đạo phòng, chống thiên tai và tìm kiếm cứu nạn tỉnh". Not "Hội đồng nhân dân", not "Ủy ban nhân dân".
_COMMITTEE = re.compile(
    r"(?:Ban [Cc]hỉ đạo|BCĐ|Tổ [Cc]ông tác(?: liên ngành)?|Tổ giúp việc|Tổ chuyên gia|Tổ liên ngành|Hội đồng(?! nhân dân)"
    r"|Ủy ban Quốc gia|Uỷ ban Quốc gia|Tiểu ban|Đoàn [Cc]ông tác|Đoàn [Kk]iểm tra|Đoàn liên ngành|Ban [Đđ]iều hành)(?![\w])"
)
# What follows "về" when it is the matter of a letter or a report, not a committee's subject ("báo cáo Ban Chỉ đạo
# tỉnh về kết quả ...", "... về việc ...")
_NOT_TOPIC = re.compile(
    r"(?:việc|kết quả|tình hình|tiến độ|nội dung|những|các|mọi|thời gian|số liệu|ý kiến|dự thảo|đề nghị|kiến nghị"
    r"|báo cáo|phương án|kế hoạch|trường hợp|vấn đề|công tác|chủ trương|đánh giá|thực trạng|danh sách|hồ sơ|địa chỉ"
    r"|trụ sở|đây|đó|nay|sau|trước|cơ quan|đơn vị|địa phương|[\d" + UPPER + r"])(?![\w])"
)
# Verbs that name a committee's field ("về xây dựng nông thôn mới", "phòng, chống tội phạm"), not its task
_TOPIC_VERBS = re.compile(
    r"(?:xây dựng|phòng|chống|phòng ngừa|ngăn chặn|chuyển|quản lý|thực hiện|tổ chức|số hóa|số hoá|đào tạo|bồi dưỡng"
    r"|tuyên truyền|bảo đảm|đảm bảo|nâng cao|hỗ trợ|tuyển dụng|tuyển|giảm|tăng|khắc phục|phổ biến|kiểm soát|đánh giá"
    r"|lồng ghép|giải quyết|kiểm tra|điều tra|thanh tra|sắp xếp|kiện toàn|vận động|huy động|hoàn thiện|ưu tiên"
    r"|tháo gỡ|giải ngân|thu hồi|cải cách|phát triển)(?![\w])"
)


# Two syllables that make one noun, the second of which alone is a verb ("sáng tạo", "công trình")
_COMPOUND_TAIL = re.compile(r"(?<![\w])(?:sáng|công|chương|quy|lộ|tiến|giáo|hành|đào|cải|chế|kiến)\s+$", re.IGNORECASE)


def _verb_at(text: str, i: int) -> re.Match[str] | None:
    """A verb or stop word at `i`, unless it is the second syllable of a noun ("đổi mới sáng tạo", "công trình")."""
    vm = _VERB_RE.match(text, i)
    if vm and vm.group(0) in ("tạo", "trình") and _COMPOUND_TAIL.search(text[max(0, i - 10):i]):
        return None
    if vm and vm.group(0) == "giao" and re.match(r"giao\s+(?:thông|dịch|thương)(?![\w])", text[i:]):
        return None  # "các công trình giao thông"
    return vm


def _committee_topic(text: str, i: int) -> int | None:
    """End of a committee's subject starting at `i` ("về chuyển đổi số", "phòng, chống thiên tai và ..."), or None.

    The subject runs until the predicate: a verb that is not a field's name, any verb after a level word
    ("... về chuyển đổi số tỉnh | chủ trì"), punctuation other than a comma inside the subject, or a new body.
    """
    m = re.match(r"về(?![\w])\s*", text[i:])
    if m:
        i += m.end()
        if _NOT_TOPIC.match(text, i):
            return None
    last: int | None = None
    n = 0
    after_level = False
    part_start = True  # at the first word of the subject or of a part after "," / "và"
    while i < len(text) and n < 16:
        i = _skip_space(text, i)
        if text[i:i + 1] == ",":
            j = _skip_space(text, i + 1)
            nxt = _WORD_RE.match(text, j)
            if (not nxt or not nxt.group(0)[0].islower() or head_at(text, j) is not None
                    or (_verb_at(text, j) and not _TOPIC_VERBS.match(text, j))):
                break
            i, part_start = j, True
            continue
        w = _WORD_RE.match(text, i)
        if not w:
            break
        word = w.group(0)
        if n:
            if word.lower() in ("và", "hoặc"):
                j = _skip_space(text, w.end())
                if head_at(text, j) is not None or (_verb_at(text, j) and not _TOPIC_VERBS.match(text, j)):
                    break
                i, part_start = j, True
                continue
            if _verb_at(text, i) and (after_level or not part_start or not _TOPIC_VERBS.match(text, i)):
                break  # a field's verb opens a part of the subject ("phòng, chống"); later it is the predicate
            if word[0].isupper() and head_at(text, i) is not None:
                break
        if word[0].islower():
            after_level = bool(_LEVEL_RE.fullmatch(word))
        last = i = w.end()
        n += 1
        part_start = False
    return last


# "Sở, ban, ngành, ...": the head word alone, listed with other kinds of body, names all of them
_BARE_HEAD_LIST = re.compile(r"(?:Sở|Bộ|Phòng|sở|bộ|phòng)\s*,\s*(?:ban|ngành|sở|phòng)(?![\w])")
# What a collective's name may go on with: "các đơn vị có liên quan", "các hộ gia đình trên địa bàn Thành phố"
_COLLECTIVE_TAIL = re.compile(
    rf"(?:(?:có\s+)?liên quan|trên địa bàn\s+(?:{_LEVEL}|Thành phố|Tỉnh)(?![\w])(?:\s+[{UPPER}][\w]*)*)(?![\w])"
)

_DIRECTLY_UNDER = re.compile(r"trực\s+thuộc\s+(?:Trung ương|trung ương|Chính phủ|Bộ|Sở|tỉnh|thành phố|huyện|quận|thị xã)(?![\w])")


# "các đơn vị trong khối Nội chính", "trong ngành Công Thương": the bloc or sector names which units
_IN_BLOC = re.compile(rf"trong\s+(?:khối|cụm|ngành|hệ thống)\s+(?=[{_UP}])")


# what a collective's members manage, where they sit, that they are concerned, names them: "các đơn vị quản lý hồ
# chứa thủy điện, thủy lợi", "các cơ quan Trung ương đóng trên địa bàn tỉnh", "các đơn vị có liên quan"
_MANAGED = re.compile(
    r"(?:quản lý|vận hành|khai thác)\s+(?:các\s+)?(?:hồ chứa|hồ đập|đập|công trình|cơ sở|chợ|cảng|bến|khu|cụm|rừng|đê|"
    r"dự án|nhà máy|mỏ)(?:\s+(?:thủy điện|thủy lợi|nước|công nghiệp|du lịch|khoáng sản))?(?:\s*,\s*(?:thủy điện|thủy lợi))?"
    r"|(?:đóng|đóng chân|có trụ sở)\s+(?:trên|tại)\s+địa bàn(?:\s+(?:tỉnh|huyện|xã|phường|thành phố))?(?![\w])"
    r"|có\s+liên\s+quan(?![\w])")  # "các đơn vị có liên quan"


# A department named by two fields, the second in lower case after a comma: "Phòng Chính trị, tư tưởng", "Phòng Kinh
# tế, hạ tầng và đô thị". Its head opens a named body whose name so far has no place in it.
_FIELD_HEAD = re.compile(r"(?:Phòng|Sở|Ban|Trung tâm|Cục|Vụ|Chi cục|Viện|Ủy ban|Uỷ ban)\s+[" + UPPER + r"]")
# what starts a clause after a body's comma, not a field: "Sở Tài chính, đồng thời ...", "..., nhất là ..."
_NOT_FIELD = re.compile(r"(?:đồng thời|nhất là|đặc biệt|trong đó|ngoài ra|bên cạnh|sau khi|căn cứ|tùy theo|tuỳ theo"
                        r"|kể cả|bao gồm|gồm|riêng|mỗi|từng|hằng|hàng|ngày|tháng|năm|quý)(?![\w])")


def _field_tail(text: str, pos: int, i: int, j: int) -> int | None:
    """End of a lower-case field that goes on a department's name after its comma (at `i`, next word at `j`).

    Each field is a two-syllable noun ("tư tưởng", "xã hội", "hạ tầng và đô thị"); what follows must be the predicate
    or punctuation. A list ("Phòng Tư pháp, phòng Nội vụ", "..., các xã") or a clause is not a field.
    """
    name = text[pos:i]
    if not _FIELD_HEAD.match(name) or _LEVEL_RE.search(name.split(None, 1)[1]) or _NOT_FIELD.match(text, j):
        return None
    k, parts, end = j, 0, None
    while parts < 3:
        sy = []
        for _ in range(2):
            w = _WORD_RE.match(text, k)
            if not w or not w.group(0)[0].islower() or not w.group(0).isalpha():
                return None
            if _verb_at(text, k) or head_at(text, k, any_case=True) is not None:
                return None
            sy.append(w.group(0))
            k = _skip_space(text, w.end())
        if " ".join(sy) != "xã hội" and (_GENERIC_NOUN_RE.fullmatch(sy[0]) or _LEVEL_RE.fullmatch(sy[0])):
            return None
        parts += 1
        end = len(text[:k].rstrip())
        if re.match(r"và\s+", text[k:]) and not _verb_at(text, _skip_space(text, k + 2)):
            k = _skip_space(text, k + 2)
            continue
        break
    if end is None:
        return None
    rest = text[end:].lstrip(" ")
    if not rest or rest[0] in ",;:.(" or _verb_at(text, len(text) - len(rest)):
        return end
    return None


# A relative clause that names which members of a collective are meant: "các đơn vị tham gia buổi kiểm tra thực tế
# hoàn thiện ...", "các bộ, ngành chưa gửi báo cáo khẩn trương ...". It is part of the name only when the sentence's
# own predicate follows it.
_REL_START = re.compile(r"(?:(?:chưa|không)\s+(?:gửi|nộp|hoàn thành|thực hiện|báo cáo|có|đăng ký)"
                        r"|tham gia(?!\s+(?:ý kiến|góp ý))|có tên)(?![\w])")
_STRONG_PREDICATE = re.compile(r"(?:khẩn trương|có trách nhiệm|chịu trách nhiệm|chủ động|cần|phải|tập trung|kịp thời"
                               r"|nghiêm túc|nhanh chóng|tiếp tục)(?![\w])")
_CLASSIFIER = re.compile(r"(?:buổi|cuộc|đợt|lớp|kỳ|việc|công tác|hoạt động|hội nghị|chương trình|phong trào|khóa|khoá"
                         r"|lần|các|những|vào|cho|với|về|của|để|và|hoặc)$")


def _relative_clause(text: str, i: int) -> int | None:
    """End of a relative clause starting at `i` after a collective, when a main predicate follows it; else None."""
    m = _REL_START.match(text, i)
    if not m:
        return None
    k, objects, prev_verb, prev_word, end = m.end(), 0, True, "", m.end()
    for _ in range(12):
        k = _skip_space(text, k)
        if k >= len(text) or text[k] in ",;:.()":
            return None
        if objects and _STRONG_PREDICATE.match(text, k):
            return end
        vm = _verb_at(text, k)
        verb = bool(vm and _ACTION_RE.match(text, k))
        if verb and objects and not prev_verb and not _CLASSIFIER.search(prev_word):
            return end
        w = _WORD_RE.match(text, k)
        if not w:
            return None
        step = vm.end() if verb and vm else w.end()
        prev_word, prev_verb = text[k:step], verb
        objects += 1
        end = k = step
    return None


def parse_body(text: str, pos: int, any_case: bool = False) -> int | None:
    """End of the body name that starts at `pos` (exclusive), or None when none starts there."""
    end = head_at(text, pos, any_case)
    if end is None:
        return None
    generic = bool(re.search(r"(?<![\w])(?:các|mọi)(?![\w])", text[pos:end], re.IGNORECASE)
                   or _BARE_HEAD_LIST.match(text, pos) or _BARE_COLLECTIVE.match(text, pos)) or bool(
        # "Cơ quan, đơn vị trường học ...": a bare collective noun that opens a list is a collective name
        re.fullmatch(r"(?:Cơ quan|Đơn vị)", text[pos:end].strip())
        and re.match(r"\s*,\s*(?:cơ quan|đơn vị|địa phương)(?![\w])", text[end:]))
    closed = False  # after "huyện Bình Sơn" a name is complete
    words = 1
    last = end
    i = end
    while i < len(text) and words < (30 if generic else 18):  # collective lists run longer than names
        i = _skip_space(text, i)
        if i >= len(text):
            break
        c = text[i]
        if c in ":(;":
            break
        if c == "." and not text[i - 1:i].isupper():
            break
        if c in "-&" and not closed:
            i += 1
            continue
        if c == ",":
            j = _skip_space(text, i + 1)
            lv_next = _LEVEL_RE.match(text, j)
            if lv_next is None and re.match(r"cấp\s", text[j:]):
                lv_next = _LEVEL_RE.match(text, _skip_space(text, j + 3))  # "Chủ tịch UBND cấp huyện, cấp xã"
            if lv_next and re.search(rf"(?<![\w]){_LEVEL}\s*$", text[pos:i]):
                last = i = lv_next.end()  # "lãnh đạo xã, phường", "huyện, thị xã, thành phố"
                words += 1
                k = _skip_space(text, i)
                while (pm := _WORD_RE.match(text, k)) and pm.group(0)[0].isupper() and head_at(text, k) is None:
                    last = i = pm.end()  # "UBND huyện, thành phố Cà Mau": the place the last level names
                    k = _skip_space(text, i)
                continue
            # a collective so far ("Các ban", "Chủ tịch UBND các xã"), not a named body that holds "các" ("Ban
            # Quản lý dự án ... các công trình giao thông tỉnh")
            collective = generic and (is_generic(text[pos:i]) or bool(_BARE_HEAD_LIST.match(text, pos))
                                      or bool(_BARE_COLLECTIVE.match(text, pos)))
            if head_at(text, j) is not None:
                # "Các ban, ngành, công chức chuyên môn": a generic list goes on with generic words
                if not (collective and text[j].islower()):
                    break  # next body
                i = j
                continue
            nxt = _WORD_RE.match(text, j)
            if not nxt or closed:
                break
            word = nxt.group(0)
            if word[0].isupper() and not _VERB_RE.fullmatch(word.lower()) and not generic:
                i = j
                continue
            ft = _field_tail(text, pos, i, j) if not generic else None
            if ft is not None:
                last = i = ft  # "Phòng Chính trị, tư tưởng", "Phòng Kinh tế, hạ tầng và đô thị"
                words += 2
                continue
            if ((re.search(r"(?<![\w])khu\s*$", text[pos:i]) and text.startswith("cụm", j))
                    or (re.search(r"(?<![\w])phòng\s*$", text[pos:i]) and text.startswith("chống", j))):
                i = j  # "chủ đầu tư dự án hạ tầng kỹ thuật khu, cụm công nghiệp"
                continue
            gm = _GENERIC_NOUN_RE.match(text, j) if collective else None
            if gm and re.match(r"ban\s+(?:hành|bố)(?![\w])", text[j:]):
                gm = None  # "UBND các xã, phường, thị trấn, ban hành quyết định": the verb, not the noun "ban"
            if gm:
                # "các cấp ủy, tổ chức đảng, chính quyền": the listed nouns are names, not verbs
                last = i = gm.end()
                words += 1
                continue
            break
        m = _WORD_RE.match(text, i)
        if not m:
            break
        word = m.group(0)
        low = word.lower()
        if low in ("và", "hoặc"):
            j = _skip_space(text, m.end())
            if text[max(0, i - 5):i].strip() == "HĐND" and text.startswith("UBND", j):
                i = j  # "Văn phòng HĐND và UBND huyện" is one office
                continue
            if (re.match(r"(?:Tổng cục|Chi cục|Cục|Vụ)\s", text[pos:i])
                    and re.match(r"(?:Kiểm lâm|Thanh tra)(?!\s+(?:huyện|tỉnh|xã|phường|thành phố|Sở|Bộ|Chính phủ|[A-ZĐ]))",
                                 text[j:])):
                i = j  # "Cục Lâm nghiệp và Kiểm lâm": an agency named by its two fields, not the rangers of a place
                continue
            if head_at(text, j) is not None:
                break
            nxt = _WORD_RE.match(text, j)
            if not nxt:
                break
            if nxt.group(0)[0].isupper() and not closed:
                i = j
                continue
            if generic and re.match(rf"(?:{_GENERIC_NOUNS})\b", text[j:]):
                i = j
                continue
            if (not generic and not closed and words >= 3 and text[pos:i].split()[-1][:1].islower()
                    and not _VERB_RE.match(text, j) and not _LEVEL_RE.match(text, j)
                    and re.match(r"[^\W\d]+(?:\s+[^\W\d]+)?\s*[,;:(]", text[j:])):
                i = j  # "Trung tâm Truyền thông tài nguyên và môi trường, Báo ...": a field named in lower case
                continue
            break
        if ((low == "về" and _COMMITTEE.match(text, pos) and not re.search(r"(?<![\w])về(?![\w])", text[pos:i]))
                or (word[0].islower() and not closed and _COMMITTEE.fullmatch(text[pos:i].strip()))):
            topic = _committee_topic(text, i)
            if topic is not None:
                last = i = topic  # "Ban Chỉ đạo tỉnh về chuyển đổi số": the subject is part of the name
                words += 2
                closed = True
                continue
        tt = _DIRECTLY_UNDER.match(text, i)
        if tt:
            last = i = tt.end()  # "UBND tỉnh, thành phố trực thuộc Trung ương", "các đơn vị trực thuộc Sở"
            words += 2
            continue
        if closed and not word[0].isupper():
            break
        if _LEVEL_RE.match(text, i) and not word[0].isupper():
            lv = _LEVEL_RE.match(text, i)
            assert lv is not None
            last = i = lv.end()
            words += 1
            slash = re.match(rf"\s*[/-]\s*{_LEVEL}(?![\w])", text[i:])
            if slash:
                last = i = i + slash.end()  # "các tỉnh/thành phố"
            lv2 = _LEVEL_RE.match(text, _skip_space(text, i))
            if lv2 and text[lv2.start()].islower():
                last = i = lv2.end()  # "UBND quận huyện", "các xã phường": two levels name a collective
                words += 1
            # a place name may follow: capitalised words
            k = _skip_space(text, i)
            while True:
                pm = _WORD_RE.match(text, k)
                if not pm or not pm.group(0)[0].isupper() or head_at(text, k) is not None:
                    break
                last = i = pm.end()
                k = _skip_space(text, i)
            if not generic:
                closed = True
            continue
        ct = _COLLECTIVE_TAIL.match(text, i) if generic else None
        if ct:
            last = i = ct.end()  # "thủ trưởng các đơn vị có liên quan", "các tổ chức, cá nhân trên địa bàn huyện"
            words += 1
            closed = closed or ct.group(0).startswith("trên")  # the place ends the name
            continue
        if generic and re.match(r"được\s+(?:giao|phân công)(?![\w])", text[i:]):
            gm2 = re.match(r"được\s+(?:giao|phân công)", text[i:])
            assert gm2 is not None
            last = i = i + gm2.end()  # "các công chức được giao", "các đơn vị và phòng ban được phân công"
            words += 1
            # "các công chức được giao chủ trì tham mưu hoặc phối hợp | chủ động ...": the roles they were given
            # name the collective when a predicate follows them
            roles = re.match(r"\s+(?:chủ trì|tham mưu|phối hợp)(?:\s*(?:,|hoặc|và)?\s*(?:chủ trì|tham mưu|phối hợp))*",
                             text[i:])
            if roles and _VERB_RE.match(text, _skip_space(text, i + roles.end())):
                last = i = i + roles.end()
            continue
        km = _IN_BLOC.match(text, i) if generic else None
        if km:
            i = km.end()  # "các đơn vị trong khối Nội chính": the bloc names which units
            words += 1
            continue
        tm = re.match(r"(?:chuyên trách\s+)?tham mưu,?\s*giúp việc", text[i:]) if generic or words >= 2 else None
        if tm:
            last = i = i + tm.end()  # "các cơ quan chuyên trách tham mưu, giúp việc Huyện ủy"
            words += 1
            continue
        om = _MANAGED.match(text, i) if generic else None
        if om:
            last = i = om.end()  # "các đơn vị quản lý hồ chứa thủy điện", "các cơ quan Trung ương đóng trên địa bàn"
            words += 1
            continue
        if generic and re.match(r"quản lý\s+(?:nhà nước|chuyên ngành)", text[i:]):
            qm = re.match(r"quản lý\s+(?:nhà nước\s+)?(?:chuyên ngành)?", text[i:])
            assert qm is not None
            last = i = i + len(qm.group(0).rstrip())  # "các sở quản lý chuyên ngành" names a kind of body
            words += 1
            continue
        if low in ("các", "mọi"):
            gn = _GENERIC_NOUN_RE.match(text, _skip_space(text, m.end()))
            if gn and _VERB_RE.match(text, gn.start()):
                generic = True
                last = i = gn.end()  # "..., các tổ chức, cá nhân": "tổ chức" is the noun here, not the verb
                words += 2
                continue
        vm = _verb_at(text, i) if word[0].islower() else None
        if vm and re.search(r"(?<![\w])(?:Ban|Tiểu ban|Tổ)\s*$", text[pos:i]) and re.match(r"(?:chỉ đạo|công tác|điều hành|quản lý)(?![\w])", text[i:]):
            vm = None  # "các thành viên Ban chỉ đạo phòng, chống dịch": the committee's name, "các Ban quản lý dự án"
        if vm and low == "xây" and re.search(r"(?<![\w])đầu tư\s*$", text[pos:i]):
            vm = None  # "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông": a kind of investment
        rel = _relative_clause(text, i) if vm and generic else None
        if rel is not None:
            last = rel  # "các đơn vị tham gia buổi kiểm tra thực tế | hoàn thiện ...": the clause names which ones
            break
        if vm:
            # "Ban Quản lý dự án đầu tư xây dựng huyện": a verb right before a level word is in the name
            ahead = text[vm.end():vm.end() + 12]
            if not (re.match(rf"\s+(?:{_LEVEL})(?![\w])", ahead) and not generic and words >= 3
                    and low not in ("theo", "với", "là", "được", "đã", "cần", "phải", "có")):
                break
        if closed:
            break
        if low in ("các", "mọi"):
            generic = True
        last = i = m.end()
        words += 1
    return last if last > pos else None


_DISTRIBUTIVE = re.compile(r"(?:(?:Giám đốc|giám đốc|Thủ trưởng|thủ trưởng)\s+)?(?:Các|các)\s+(Bộ|bộ|Sở|sở)\s*(?::\s*|(?=[A-ZĐ]))")
_DISTRIBUTIVE_LOCAL = re.compile(r"(UBND|Ủy ban nhân dân)\s+(?:các|Các)\s+(huyện|xã|phường|quận|thị xã|thị trấn)\s*"
                                 r"(?::\s*|(?=[A-ZĐ]))")
# "Giao Giám đốc: Sở Văn hóa ..., Sở Thông tin ...": the role, a colon, then the bodies it heads
_ROLE_COLON = re.compile(r"(?:Giám đốc|Thủ trưởng|Chủ tịch|Trưởng|Lãnh đạo|Người đứng đầu)\s*:\s*(?=[A-ZĐ])", re.IGNORECASE)
_NAME_PART_SRC = r"[A-ZĐ\u00c0-\u1ef9][\w&-]*(?:\s+(?:và\s+)?[\w&-]+)*?(?=\s*(?:[,;:.()]|$)|\s+(?:VERBS)(?![\w]))"

_NAME_PART = re.compile(_NAME_PART_SRC.replace("VERBS", ACTION_VERBS + "|" + _STOP_WORDS))


def _distributive(text: str, pos: int) -> BodyList | None:
    """"Các Bộ: Công Thương, Xây dựng, Tài nguyên và Môi trường" → Bộ Công Thương, Bộ Xây dựng, ..."""
    m = _DISTRIBUTIVE.match(text, pos)
    if m:
        word = m.group(1)[:1].upper() + m.group(1)[1:]
    else:
        # "UBND các huyện Bàu Bàng, Dầu Tiếng, Phú Giáo" → UBND huyện Bàu Bàng, UBND huyện Dầu Tiếng, ...
        m = _DISTRIBUTIVE_LOCAL.match(text, pos)
        if not m:
            return None
        word = f"{m.group(1)} {m.group(2).lower()}"
    out = BodyList()
    i = m.end()
    while True:
        pm = _NAME_PART.match(text, i)
        if not pm or len(pm.group(0).split()) > 8:
            break
        out.spans.append((pm.start(), pm.end()))
        out.prefixes[len(out.spans) - 1] = word + " "
        out.end = pm.end()
        j = _skip_space(text, pm.end())
        if text[j:j + 1] != "," or not text[_skip_space(text, j + 1):][:1].isupper():
            break
        i = _skip_space(text, j + 1)
    return out if len(out.spans) >= 2 else None


_ALIAS = re.compile(r"\((?:sau đây|gọi tắt|dưới đây)[^()]{0,80}\)")


def parse_bodies(text: str, pos: int, any_case: bool = False) -> BodyList | None:
    """One or more bodies listed from `pos` ("Công an huyện, Ban Chỉ huy Quân sự huyện")."""
    dist = _distributive(text, pos)
    if dist is not None:
        return dist
    role = _ROLE_COLON.match(text, pos)
    if role is not None and head_at(text, role.end()) is not None:
        pos = role.end()
    out = BodyList()
    i = pos
    while True:
        end = parse_body(text, i, any_case)
        if end is None:
            break
        if out.spans and _collective(text[out.spans[-1][0]:out.spans[-1][1]]) and _collective(text[i:end]):
            # a list that names no body, only collectives, is one collective addressee, whatever joins its parts
            # ("các phòng, ngành thuộc huyện, UBND các xã, thị trấn"; "Thủ trưởng các sở, ban, ngành; Chủ tịch UBND
            # các xã, phường"): see tests/directives/corpus/CONVENTIONS.md
            out.spans[-1] = (out.spans[-1][0], end)
        else:
            out.spans.append((i, end))
        out.end = end
        j = _skip_space(text, end)
        alias = _ALIAS.match(text, j)
        if alias:
            j = _skip_space(text, alias.end())  # "các Bộ, ... (sau đây gọi là Bộ, cơ quan trung ương) và UBND ..."
        m = re.match(r"(?:,|;|và|cùng)\s*", text[j:])
        if not m:
            break
        k = _skip_space(text, j + m.end())
        # after a collective, a bare collective noun goes on with the list ("Các sở, ban, ngành; cơ quan, đơn vị")
        bare = _collective(text[out.spans[-1][0]:out.spans[-1][1]]) and _BARE_COLLECTIVE.match(text, k)
        if head_at(text, k, any_case or bool(bare)) is None:
            break
        if bare:
            any_case = True
        i = k
    return out if out.spans else None


_LEAD_VERB = re.compile(
    r"(?:(?:Giao|Đề nghị|Kính đề nghị|Yêu cầu|Chỉ đạo|Phân công|Nhờ|Đề xuất)(?:\s+(?:cho|nhiệm vụ cho))?|Đối với)\s+",
    re.IGNORECASE,
)
_LEADING_CLAUSE = re.compile(
    r"(?:Căn cứ|Theo|Trên cơ sở|Để|Nhằm|Qua|Từ|Trong đó|Sau khi|Đồng thời|Ngoài ra|Bên cạnh đó|Riêng|Định kỳ|Hằng|Hàng|"
    r"Đối với|Trường hợp|Trong quá trình|Khi|Nếu|Tuy nhiên|Mặt khác|Trước mắt|Từ nay|Cùng với|Cùng đó|Song song|"
    r"Thực hiện|Trước tình hình|Trước thực trạng|Nhân dịp|"
    # a time before the subject: "Trong thời gian tới, UBND các xã ...", "Kể từ ngày 01/3, các đơn vị ..."
    r"Trong|Kể từ|Chậm nhất|Trước(?!\s+đó)|Sau(?!\s+đó)|Đến|Giai đoạn)(?![\w])",
    re.IGNORECASE,
)


_CONNECTIVE = re.compile(r"(?:Vì vậy|Vì thế|Do vậy|Do đó|Bởi vậy|Như vậy)\s*,?\s+(?=[^\W\d])")


@dataclass
class Lead:
    names: list[str]
    start: int  # where the first body starts
    end: int  # where the list of bodies ends
    verb: str | None  # "Giao", "Đề nghị", ... when the item opens with one
    rest: int  # where the action starts (after a colon, if any)


def leading_bodies(text: str, allow_clause: bool = True) -> Lead | None:
    """Bodies named at the start of a task ("Giao Phòng Nội vụ huyện: ...", "Công an huyện, ...")."""
    starts = [0]
    conn = _CONNECTIVE.match(text)
    if conn:
        starts.append(conn.end())  # "Vì vậy các Bộ, ngành ... cần chủ động ...": a connective, then the subject
    if allow_clause and _LEADING_CLAUSE.match(text):
        # after an opening clause ("Căn cứ ...;", "Theo chức năng, nhiệm vụ được giao,")
        starts += [m.end() for m in re.finditer(r"[,;]\s+", text[:200])]
    for pos in starts:
        verb = None
        vm = _LEAD_VERB.match(text, pos)
        if vm:
            verb = vm.group(0).strip()
            pos = vm.end()
        bodies = parse_bodies(text, pos, any_case=bool(verb))
        if bodies is None:
            continue
        names, end = bodies.names(text), bodies.end
        if pos > 0 and not verb and not acts(text, end):
            # "Căn cứ ..., Thủ trưởng các cơ quan, Chủ tịch UBND cấp huyện, cấp xã; các tổ chức ... cụ thể hóa ...":
            # a subject listed in parts separated by ";"
            tail = re.match(r"(?:,\s*(?:cấp\s+)?(?:xã|huyện|tỉnh|phường|thị trấn))*\s*;\s*", text[end:])
            more = parse_bodies(text, end + tail.end(), any_case=True) if tail else None
            if more is None or not acts(text, more.end):
                continue
            names, end = names + more.names(text), more.end
        first = bodies.spans[0][0]
        if pos > 0 and not verb and len(names) > 1 and _BARE_COLLECTIVE.fullmatch(names[0]):
            # "Trên cơ sở báo cáo của các đơn vị, địa phương, Sở Kế hoạch và Đầu tư có nhiệm vụ ...": the bare
            # "địa phương" ends the list of the opening clause; the subject is what follows it
            names, first = names[1:], bodies.spans[1][0]
        rest = _skip_space(text, end)
        if text[rest:rest + 1] in (":", ")"):
            rest = _skip_space(text, rest + 1)
        elif text[rest:rest + 1] == "(":
            close = text.find(")", rest)
            if close != -1:
                rest = _skip_space(text, close + 1)
        return Lead(names, first, end, verb, rest)
    return None


def _collective(name: str) -> bool:
    """A collective addressee ("các sở, ngành", "Chủ tịch UBND các xã", a bare "địa phương" ending a list)."""
    return is_generic(name) or bool(re.fullmatch(
        rf"{_BARE_COLLECTIVE.pattern}(?:\s*(?:,|và)\s*{_BARE_COLLECTIVE.pattern})*", name.strip(), re.IGNORECASE))


# A collective noun without "các": the tail of a list ("các đơn vị, địa phương"), never a subject by itself
_BARE_COLLECTIVE = re.compile(r"(?:địa phương|đơn vị|cơ quan|ngành|tổ chức|đoàn thể)", re.IGNORECASE)


_ADDRESS_VERB = re.compile(
    r"(?<![\w])(?:yêu cầu|đề nghị|giao(?:\s+trách\s+nhiệm)?|chỉ đạo|kính đề nghị|kính mong|phân công|kêu gọi|quy định cho)"
    r"\s+(?:cho\s+)?", re.IGNORECASE
)


# A time or condition said before the bodies a request addresses: "yêu cầu: từ ngày 01/3/2026, các đơn vị ...",
# "đề nghị trường hợp phát sinh vướng mắc, các cơ quan ..."
_TIME_CLAUSE = re.compile(r"(?:từ|kể từ|trong|trước|sau|đến|chậm nhất|trường hợp|khi|nếu|ngay sau khi)(?![\w])"
                          r"[^,;:()]{0,80},\s*", re.IGNORECASE)


def after_time_clause(text: str, pos: int) -> BodyList | None:
    """The bodies after a time or condition clause at `pos`, when they act."""
    tc = _TIME_CLAUSE.match(text, pos)
    if tc is None:
        return None
    bodies = parse_bodies(text, tc.end(), any_case=True)
    return bodies if bodies is not None and acts(text, bodies.end) else None


def addressed_bodies(text: str) -> tuple[list[str], int] | None:
    """Bodies named after "yêu cầu / đề nghị / giao" anywhere in a sentence, with their position."""
    for m in _ADDRESS_VERB.finditer(text):
        if re.search(r"(?:theo|của|được|đã)\s*$", text[max(0, m.start() - 8):m.start()], re.IGNORECASE):
            continue
        bodies = parse_bodies(text, m.end(), any_case=True) or after_time_clause(text, m.end())
        if bodies:
            return bodies.names(text), bodies.spans[0][0]
    return None


_COOP_RE = re.compile(r"(?<![\w])phối hợp(?:\s+chặt chẽ)?(?:\s+(?:với|cùng))?\s+", re.IGNORECASE)


def cooperating_bodies(text: str) -> list[str]:
    """Specific bodies named after "phối hợp với" (generic ones like "các cơ quan liên quan" are dropped)."""
    out: list[str] = []
    for m in _COOP_RE.finditer(text):
        bodies = parse_bodies(text, m.end())
        if bodies:
            out.extend(n for n in bodies.names(text) if not _vague(n))
    return out


def _vague(name: str) -> bool:
    """"các cơ quan liên quan", "các đơn vị": no body one could assign; "UBND các quận, huyện" is one."""
    key = name.lower()
    # "liên quan" makes a bare list vague; a collective list that also names a level's committees is kept whole
    # ("các sở, ngành có liên quan và UBND các huyện")
    return bool(re.fullmatch(
        r"(?:các|mọi)\s+(?:cơ quan|đơn vị|địa phương|tổ chức|ngành|bộ|sở|cá nhân)(?:[,\s]+(?:và\s+)?"
        r"(?:cơ quan|đơn vị|địa phương|tổ chức|ngành|bộ|sở|cá nhân|ban|doanh nghiệp))*(?:\s+(?:có\s+)?liên quan)?",
        key)) or ("liên quan" in key and not re.search(r"ubnd|ủy ban|uỷ ban|chủ tịch", key))


def acts(text: str, end: int, loose: bool = False) -> bool:
    """Is the body name ending at `end` followed by what it must do (not by "đã ...", "là ...")?

    `loose` (list items in a directing section): anything but narrative goes.
    """
    after = text[end:end + 160].lstrip(" ,")
    if after.startswith((":", "(")) or not after:
        return True
    if re.match(r"là\s+(?:cơ quan|đơn vị)\s+(?:thường trực|đầu mối|chủ trì|chịu trách nhiệm)", after):
        return True  # "Phòng Nội vụ là cơ quan thường trực, có trách nhiệm ..."
    if re.match(r"cũng\s+(?!đã|là|được|đang|có\s+\d|yêu cầu|đề nghị|giao|chỉ đạo|kêu gọi)", after):
        # "Bộ A cũng phối hợp với Bộ B ...": the subject acts too ("Bộ A cũng yêu cầu Sở B ...": Sở B is asked)
        after = after[after.index(" ") + 1:]
    if re.match(r"(?:cũng\s+)?có\s+(?:nhiệm vụ|trách nhiệm)(?![\w])", after):
        return True  # "Bộ Công Thương cũng có nhiệm vụ hoàn chỉnh Đề án ..."
    if re.match(r"(?:đã|là|được|vẫn|chưa|có\s+\d|gồm|thuộc|không|luôn|đang|cũng|nhận được|hiện)(?![\w])", after):
        return False
    if re.match(r"[\w ]{0,20}?\s\d[\d.,]*\s", after[:40]) and re.match(r"(?:giao|ban hành|tiếp nhận|giải quyết|tổ chức)\s+\d", after):
        return False  # "UBND tỉnh giao 833 nhiệm vụ ...": a count of what was done
    if loose:
        return True
    return bool(re.match(
        rf"(?:(?:cần|phải|theo(?: chức năng(?:,?\s*nhiệm vụ)?(?: được giao)?,?)?|có trách nhiệm|chịu trách nhiệm"
        rf"|định kỳ(?:\s+(?:hằng|hàng)\s+(?:tháng|quý|năm)|\s+(?:6|sáu)\s+tháng|\s+\([^()]{{0,40}}\))*"
        rf"(?:\s*\([^()]{{0,40}}\))?(?:\s+(?:và|,)\s+(?:hằng|hàng)\s+(?:tháng|quý|năm)(?:\s*\([^()]{{0,40}}\))?)?,?"
        rf"(?:\s*(?:trước|chậm\s+nhất(?:\s+là)?|vào)\s+ngày\s+\d{{1,2}}(?:\s*[/.-]\s*\d{{1,2}})?,?)?)\s*)?"  # ", trước ngày 20"
        rf"(?:{ACTION_VERBS})(?![\w])", after))


def subject_verb(text: str) -> Lead | None:
    """A sentence "<Body> <action verb> ..." (no "đã": narrative about what was done)."""
    lead = leading_bodies(text, allow_clause=False)
    if lead is None or lead.verb or acts(text, lead.end):
        return lead
    return None
