"""Roles and actions, and which role may do which action. Pure: no Django imports.

A role is granted on a unit and covers that unit's subtree. This table is the single source of
truth for the role × action matrix; `congvu.org.policy` applies it to users and objects.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SYSTEM_ADMIN = "system_admin"
    UNIT_LEADER = "unit_leader"
    OFFICE_CLERK = "office_clerk"
    HOME_AFFAIRS_ASSESSOR = "home_affairs_assessor"
    EMULATION_OFFICER = "emulation_officer"
    COUNCIL_MEMBER = "council_member"
    ONESTOP_OFFICER = "onestop_officer"
    SPECIALIST = "specialist"


ROLE_LABELS: dict[Role, str] = {
    Role.SYSTEM_ADMIN: "Quản trị hệ thống",
    Role.UNIT_LEADER: "Lãnh đạo đơn vị",
    Role.OFFICE_CLERK: "Văn thư - theo dõi chỉ đạo",
    Role.HOME_AFFAIRS_ASSESSOR: "Cán bộ thẩm định (Nội vụ)",
    Role.EMULATION_OFFICER: "Cán bộ thi đua - khen thưởng",
    Role.COUNCIL_MEMBER: "Thành viên Hội đồng TĐKT",
    Role.ONESTOP_OFFICER: "Cán bộ một cửa",
    Role.SPECIALIST: "Chuyên viên",
}


class Action(StrEnum):
    UNIT_VIEW = "unit.view"
    UNIT_EDIT = "unit.edit"
    UNIT_IMPORT = "unit.import"
    PERSON_VIEW = "person.view"
    PERSON_EDIT = "person.edit"
    ROLE_GRANT = "role.grant"
    AUDIT_VIEW = "audit.view"
    CALENDAR_EDIT = "calendar.edit"
    DIRECTIVE_VIEW = "directive.view"
    DIRECTIVE_MANAGE = "directive.manage"
    TASK_REPORT = "task.report"
    TASK_ACCEPT = "task.accept"
    DOSSIER_VIEW = "dossier.view"
    DOSSIER_PROCESS = "dossier.process"
    INDEX_VIEW = "index.view"
    INDEX_SELF_ASSESS = "index.self_assess"
    INDEX_APPRAISE = "index.appraise"
    EMULATION_VIEW = "emulation.view"
    EMULATION_MANAGE = "emulation.manage"
    EMULATION_NOMINATE = "emulation.nominate"
    COUNCIL_VOTE = "council.vote"
    PAKN_ANSWER = "pakn.answer"
    ADMIN_SITE = "admin.site"


ACTION_LABELS: dict[Action, str] = {
    Action.UNIT_VIEW: "xem đơn vị",
    Action.UNIT_EDIT: "sửa đơn vị",
    Action.UNIT_IMPORT: "nhập danh mục đơn vị",
    Action.PERSON_VIEW: "xem cán bộ",
    Action.PERSON_EDIT: "sửa cán bộ",
    Action.ROLE_GRANT: "phân quyền",
    Action.AUDIT_VIEW: "xem nhật ký",
    Action.CALENDAR_EDIT: "sửa lịch làm việc",
    Action.DIRECTIVE_VIEW: "xem chỉ đạo, nhiệm vụ",
    Action.DIRECTIVE_MANAGE: "quản lý văn bản chỉ đạo",
    Action.TASK_REPORT: "báo cáo tiến độ nhiệm vụ",
    Action.TASK_ACCEPT: "nghiệm thu nhiệm vụ",
    Action.DOSSIER_VIEW: "xem hồ sơ TTHC",
    Action.DOSSIER_PROCESS: "xử lý hồ sơ TTHC",
    Action.INDEX_VIEW: "xem chỉ số",
    Action.INDEX_SELF_ASSESS: "tự đánh giá chỉ số",
    Action.INDEX_APPRAISE: "thẩm định chỉ số",
    Action.EMULATION_VIEW: "xem thi đua",
    Action.EMULATION_MANAGE: "quản lý thi đua, khen thưởng",
    Action.EMULATION_NOMINATE: "đăng ký thi đua, đề nghị khen thưởng của đơn vị",
    Action.COUNCIL_VOTE: "bỏ phiếu hội đồng",
    Action.PAKN_ANSWER: "xem xét, trả lời phản ánh, kiến nghị",
    Action.ADMIN_SITE: "trang quản trị",
}

_EVERYONE_IN_SCOPE = {Action.UNIT_VIEW, Action.PERSON_VIEW, Action.DIRECTIVE_VIEW, Action.INDEX_VIEW, Action.EMULATION_VIEW}

ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.SYSTEM_ADMIN: frozenset(Action),
    Role.UNIT_LEADER: frozenset(
        _EVERYONE_IN_SCOPE
        | {Action.AUDIT_VIEW, Action.DIRECTIVE_MANAGE, Action.TASK_ACCEPT, Action.TASK_REPORT, Action.DOSSIER_VIEW,
           Action.PAKN_ANSWER, Action.EMULATION_NOMINATE}
    ),
    Role.OFFICE_CLERK: frozenset(_EVERYONE_IN_SCOPE | {Action.DIRECTIVE_MANAGE, Action.TASK_REPORT}),
    Role.HOME_AFFAIRS_ASSESSOR: frozenset(
        _EVERYONE_IN_SCOPE | {Action.INDEX_APPRAISE, Action.UNIT_EDIT, Action.PERSON_EDIT, Action.DOSSIER_VIEW}
    ),
    Role.EMULATION_OFFICER: frozenset(_EVERYONE_IN_SCOPE | {Action.EMULATION_MANAGE, Action.EMULATION_NOMINATE,
                                                             Action.PERSON_EDIT}),
    Role.COUNCIL_MEMBER: frozenset(_EVERYONE_IN_SCOPE | {Action.COUNCIL_VOTE}),
    Role.ONESTOP_OFFICER: frozenset({Action.UNIT_VIEW, Action.DOSSIER_VIEW, Action.DOSSIER_PROCESS}),
    Role.SPECIALIST: frozenset(_EVERYONE_IN_SCOPE | {Action.TASK_REPORT, Action.INDEX_SELF_ASSESS}),
}

# Actions that are not about one unit's records: granted by the role alone, whatever its unit.
GLOBAL_ACTIONS = frozenset({Action.ADMIN_SITE, Action.CALENDAR_EDIT, Action.UNIT_IMPORT})


def role_allows(role: Role | str, action: Action | str) -> bool:
    return Action(action) in ROLE_ACTIONS[Role(role)]
