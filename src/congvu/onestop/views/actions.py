"""The dossier actions offered on the dossier page: which form, which service, which label.

Which actions are offered comes from `congvu.onestop.workflow.available`; the rules themselves
(allowed transitions, supplement once, apology deadline, ...) stay in the services, which raise
`DomainError`s with the Vietnamese reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from congvu.onestop import services
from congvu.onestop.models import Dossier
from congvu.onestop.views import forms as f
from congvu.onestop.workflow import Transition, available


@dataclass(frozen=True)
class Action:
    name: str
    label: Any
    form: type[f.ActionForm]
    service: Callable[..., Dossier]
    style: str = ""  # "primary" / "danger"
    done: Any = ""


ACTIONS: dict[str, Action] = {a.name: a for a in (
    Action("receive", _("Tiếp nhận và cấp giấy hẹn"), f.ActionForm, services.dossier_accept_guided, "primary",
           _("Đã tiếp nhận hồ sơ và cấp giấy tiếp nhận, hẹn trả kết quả.")),
    Action("transfer", _("Chuyển xử lý"), f.ActionForm, services.dossier_transfer, "primary",
           _("Đã chuyển hồ sơ đến bước xử lý.")),
    Action("step_complete", _("Hoàn thành bước"), f.NoteForm, services.dossier_step_complete, "primary",
           _("Đã hoàn thành bước xử lý.")),
    Action("request_supplement", _("Yêu cầu bổ sung"), f.SupplementForm, services.dossier_request_supplement, "",
           _("Đã gửi yêu cầu bổ sung; thời gian giải quyết tạm dừng.")),
    Action("supplement_received", _("Đã nhận hồ sơ bổ sung"), f.ActionForm, services.dossier_supplement_received,
           "primary", _("Đã nhận hồ sơ bổ sung; thời gian giải quyết tiếp tục.")),
    Action("record_result", _("Ghi nhận kết quả"), f.ResultForm, services.dossier_record_result, "primary",
           _("Đã ghi nhận kết quả giải quyết.")),
    Action("return_result", _("Trả kết quả"), f.ReturnForm, services.dossier_return, "primary",
           _("Đã trả kết quả.")),
    Action("apologise", _("Xin lỗi, hẹn lại ngày trả"), f.ApologyForm, services.dossier_apologise, "",
           _("Đã lập phiếu xin lỗi và hẹn lại ngày trả kết quả.")),
    Action("close", _("Kết thúc hồ sơ"), f.ActionForm, services.dossier_close, "", _("Đã kết thúc hồ sơ.")),
    Action("withdraw", _("Rút hồ sơ"), f.ReasonForm, services.dossier_withdraw, "danger",
           _("Đã ghi nhận công dân rút hồ sơ.")),
    Action("stop", _("Dừng xử lý"), f.RequiredReasonForm, services.dossier_stop, "danger",
           _("Đã dừng xử lý hồ sơ.")),
    Action("refuse", _("Từ chối"), f.RefuseForm, services.dossier_refuse, "danger", _("Đã từ chối hồ sơ.")),
)}


def actions_for(d: Dossier) -> list[Action]:
    """Actions allowed from the dossier's state, in the order of `ACTIONS` (main path first)."""
    names = {t.value for t in available(d.state)}
    if d.current_step_id is None:
        names.discard(Transition.STEP_COMPLETE.value)  # no step left: the next move is the result
    return [a for name, a in ACTIONS.items() if name in names]


def run(action: Action, *, actor: Any, dossier: Dossier, form: f.ActionForm) -> Dossier:
    return action.service(actor=actor, dossier=dossier, expected_version=form.cleaned_data["version"],
                          **form.service_kwargs())
