"""Forms of the desk screens: receipt and one small form per dossier action. Dates are typed
dd/mm/yyyy, times HH:MM (local time)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congvu.onestop.models import Channel, Procedure, ReturnMethod
from congvu.org.models import Unit
from congvu.web.forms import VnDateField

RETURN_METHODS = ReturnMethod.choices


class ReceiveForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị tiếp nhận"), queryset=Unit.objects.none(), empty_label=None)
    procedure = forms.ModelChoiceField(label=_("Thủ tục hành chính"), queryset=Procedure.objects.none(),
                                       empty_label=_("— Chọn thủ tục —"),
                                       error_messages={"required": _("Hãy chọn thủ tục hành chính.")})
    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), choices=Channel.choices, initial=Channel.IN_PERSON)
    applicant_name = forms.CharField(label=_("Họ và tên người nộp"), max_length=255,
                                     error_messages={"required": _("Chưa nhập tên người nộp hồ sơ.")})
    applicant_phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    applicant_id_number = forms.CharField(label=_("Số định danh cá nhân / CCCD"), max_length=20, required=False)
    applicant_address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    components = forms.MultipleChoiceField(label=_("Thành phần đã nhận"), required=False,
                                           widget=forms.CheckboxSelectMultiple)
    digitized = forms.MultipleChoiceField(label=_("Thành phần đã số hóa"), required=False,
                                          widget=forms.CheckboxSelectMultiple)
    reused_data = forms.BooleanField(label=_("Tái sử dụng dữ liệu đã số hóa"), required=False)
    # What the officer decided after checking the dossier (§2.3 step 1): receive (Mẫu 01), keep it in
    # guidance ("Chờ tiếp nhận") or refuse it at the desk (Mẫu 03).
    intent = forms.ChoiceField(choices=[("receive", ""), ("guidance", ""), ("refuse", "")], required=False,
                               initial="receive", widget=forms.HiddenInput)
    guidance_note = forms.CharField(label=_("Nội dung đã hướng dẫn"), required=False, max_length=2000,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    refusal_reason = forms.CharField(label=_("Lý do từ chối tiếp nhận"), required=False, max_length=2000,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    refusal_legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), required=False, max_length=2000)

    def __init__(self, *args: Any, units, procedures, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        from django.urls import reverse

        # Typing the ID number refreshes the checklist with the citizen's earlier digitised items.
        self.fields["applicant_id_number"].widget.attrs.update({
            "hx-get": reverse("onestop:procedure_components"), "hx-trigger": "change",
            "hx-target": "#components", "hx-swap": "outerHTML",
            "hx-include": "#id_procedure, #id_applicant_name, #id_applicant_phone, #id_applicant_id_number"})
        self.fields["procedure"].queryset = procedures
        self.procedure_obj = None
        proc_pk = self.data.get("procedure") if self.is_bound else self.initial.get("procedure")
        if proc_pk and str(proc_pk).isdigit():
            self.procedure_obj = Procedure.objects.filter(pk=proc_pk).first()
        comps = list(self.procedure_obj.components.all()) if self.procedure_obj else []
        self.component_list = comps
        choices = [(str(c.pk), c.name) for c in comps]
        self.fields["components"].choices = choices
        self.fields["digitized"].choices = choices
        self.reusable = self._reusable()
        chosen = (self.data if self.is_bound else {})
        self.component_rows = [{"c": c, "reuse": chosen.get(f"reuse_{c.pk}", "")} for c in comps]

    def _value(self, name: str) -> str:
        source = self.data if self.is_bound else self.initial
        return str(source.get(name) or "").strip()

    def _reusable(self) -> list[dict[str, Any]]:
        """Earlier digitised components and results of the same citizen (ID number first, else name +
        phone), offered in each component's "Tái sử dụng" select."""
        from congvu.onestop.selectors import reusable_results_for

        id_number = self._value("applicant_id_number")
        name, phone = self._value("applicant_name"), self._value("applicant_phone")
        if not id_number and not (name and phone):
            return []
        items = reusable_results_for(id_number=id_number, name=name, phone=phone)
        from congvu.onestop.reuse import reuse_search_audit
        from congvu.org.models import Unit

        unit_pk = self._value("unit")
        unit = Unit.objects.filter(pk=unit_pk).first() if unit_pk.isdigit() else None
        reuse_search_audit(actor=None, items=items, id_number=id_number, name=name, unit=unit)  # never silent
        return items

    def component_items(self, files) -> list[dict[str, Any]]:
        """Items for `dossier_components_record`: ticks, the uploaded file and the reused item."""
        received = set(self.cleaned_data.get("components", []))
        digitized = set(self.cleaned_data.get("digitized", []))
        offered = {r["key"] for r in self.reusable}
        items = []
        for c in self.component_list:
            item: dict[str, Any] = {"component_id": c.pk, "received": str(c.pk) in received,
                                    "digitized": str(c.pk) in digitized, "file": files.get(f"file_{c.pk}")}
            reuse = (self.data.get(f"reuse_{c.pk}") or "").strip()
            if item["file"] is None and reuse in offered:
                kind, _sep, pk = reuse.partition(":")
                item["reuse_from_id" if kind == "c" else "reuse_result_id"] = int(pk)
            items.append(item)
        return items

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        data["intent"] = data.get("intent") or "receive"
        if data["intent"] == "refuse" and not (data.get("refusal_reason") or "").strip():
            self.add_error("refusal_reason", _("Cần nêu rõ lý do từ chối tiếp nhận hồ sơ."))
        if data["intent"] == "receive":
            # "Đã số hóa" counts towards the published 766 figures: only with the file itself (uploaded
            # now or reused from an earlier digitised item), never on a tick alone.
            offered = {r["key"] for r in self.reusable}
            bare = [c.name for c in self.component_list if str(c.pk) in set(data.get("digitized", []))
                    and not self.files.get(f"file_{c.pk}")
                    and (self.data.get(f"reuse_{c.pk}") or "").strip() not in offered]
            if bare:
                self.add_error("digitized", _("Chỉ đánh dấu «Đã số hóa» khi đã tải lên tệp của thành phần (hoặc tái "
                                              "sử dụng bản đã số hóa). Chưa có tệp: %(names)s.")
                               % {"names": "; ".join(bare)})
        if data["intent"] == "receive" and self.procedure_obj is not None and not self.errors:
            missing = [c.name for c in self.component_list if str(c.pk) not in data.get("components", [])]
            if missing:
                raise forms.ValidationError(
                    _("Hồ sơ chưa đủ thành phần: %(names)s. Hãy hướng dẫn người nộp bổ sung trước khi tiếp nhận.")
                    % {"names": "; ".join(missing)})
        return data

    @property
    def digitized_components(self) -> bool:
        chosen = set(self.cleaned_data.get("digitized", []))
        return bool(self.component_list) and all(str(c.pk) in chosen for c in self.component_list) and \
            "digitized" not in self.errors


class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def service_kwargs(self) -> dict[str, Any]:
        return {}


class NoteForm(ActionForm):
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)

    def service_kwargs(self) -> dict[str, Any]:
        return {"note": self.cleaned_data["note"]}


class SupplementForm(ActionForm):
    items = forms.CharField(label=_("Nội dung cần bổ sung, hoàn thiện"), widget=forms.Textarea(attrs={"rows": 3}),
                            error_messages={"required": _("Cần ghi rõ nội dung yêu cầu bổ sung.")})
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=2000)

    def service_kwargs(self) -> dict[str, Any]:
        return {"items": self.cleaned_data["items"], "reason": self.cleaned_data["reason"]}


class ApologyForm(ActionForm):
    reason = forms.CharField(label=_("Lý do chậm trả kết quả"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Cần nêu rõ lý do chậm trả kết quả.")})
    new_due_date = VnDateField(label=_("Ngày hẹn trả mới"),
                               error_messages={"required": _("Hãy nhập ngày hẹn trả mới (dd/mm/yyyy)."),
                                               "invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")})
    new_due_time = forms.TimeField(label=_("Giờ"), initial=dt.time(17, 0), input_formats=["%H:%M"],
                                   widget=forms.TimeInput(format="%H:%M", attrs={"placeholder": "HH:MM"}))

    def service_kwargs(self) -> dict[str, Any]:
        at = dt.datetime.combine(self.cleaned_data["new_due_date"], self.cleaned_data["new_due_time"])
        return {"reason": self.cleaned_data["reason"], "new_due_at": timezone.make_aware(at)}


class ResultForm(ActionForm):
    result_code = forms.CharField(label=_("Số, ký hiệu kết quả"), required=False, max_length=80)
    e_result = forms.BooleanField(label=_("Có kết quả điện tử"), required=False)

    def service_kwargs(self) -> dict[str, Any]:
        return {"result_code": self.cleaned_data["result_code"], "e_result": self.cleaned_data["e_result"]}


class ReturnForm(ActionForm):
    method = forms.ChoiceField(label=_("Hình thức trả"), choices=RETURN_METHODS, initial="desk")

    def service_kwargs(self) -> dict[str, Any]:
        return {"method": self.cleaned_data["method"]}


class ReasonForm(ActionForm):
    reason = forms.CharField(label=_("Lý do"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class RequiredReasonForm(ReasonForm):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Cần nêu rõ lý do.")})


class RefuseForm(RequiredReasonForm):
    legal_basis = forms.CharField(label=_("Căn cứ pháp lý"), required=False, max_length=2000)

    def service_kwargs(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"], "legal_basis": self.cleaned_data["legal_basis"]}


class BulkReturnForm(forms.Form):
    method = forms.ChoiceField(label=_("Hình thức trả"), choices=RETURN_METHODS, initial="desk")
