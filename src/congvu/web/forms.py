"""Forms of the web shell. Dates are typed dd/mm/yyyy (ISO is accepted too)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from congvu.org.models import Unit, UnitKind
from congvu.web.scope import DATE_INPUT_FORMATS

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class VnDateField(forms.DateField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", DATE_INPUT_FORMATS)
        kwargs.setdefault("widget", DATE_WIDGET)
        kwargs.setdefault("error_messages", {"invalid": _("Nhập ngày theo dạng dd/mm/yyyy.")})
        super().__init__(**kwargs)


class UnitEditForm(forms.Form):
    """Editable fields of a unit. Code and parent are left out on purpose: renumbering and moving
    units are structural changes done by import/lineage tools, not by a quick edit."""

    FIELDS = ("name", "short_name", "admin_code", "kind", "valid_from", "valid_to", "aliases", "source")

    expected_version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label=_("Tên đơn vị"), max_length=255)
    short_name = forms.CharField(label=_("Tên ngắn"), max_length=120, required=False)
    admin_code = forms.CharField(label=_("Mã đơn vị hành chính"), max_length=10, required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=UnitKind.choices)
    valid_from = VnDateField(label=_("Hiệu lực từ"), required=False)
    valid_to = VnDateField(label=_("Hiệu lực đến"), required=False)
    aliases = forms.CharField(label=_("Tên gọi khác"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Mỗi dòng một tên."))
    source = forms.CharField(label=_("Căn cứ"), max_length=255, required=False)

    @classmethod
    def initial_for(cls, unit: Unit) -> dict[str, Any]:
        initial = {name: getattr(unit, name) for name in cls.FIELDS}
        initial["aliases"] = "\n".join(unit.aliases or [])
        initial["expected_version"] = unit.version
        return initial

    def clean_aliases(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["aliases"].splitlines() if line.strip()]

    def changes(self, unit: Unit) -> dict[str, Any]:
        """Only the fields that differ from the stored unit, so the audit diff shows real edits."""
        out: dict[str, Any] = {}
        for name in self.FIELDS:
            value = self.cleaned_data.get(name)
            current = getattr(unit, name)
            if name in ("short_name", "admin_code", "source"):
                value, current = value or "", current or ""
            if name == "aliases":
                current = list(current or [])
            if value != current:
                out[name] = value
        return out


class AuditFilterForm(forms.Form):
    object_type = forms.ChoiceField(label=_("Loại đối tượng"), required=False)
    action = forms.ChoiceField(label=_("Hành động"), required=False)
    actor = forms.CharField(label=_("Người thực hiện"), required=False)
    date_from = VnDateField(label=_("Từ ngày"), required=False)
    date_to = VnDateField(label=_("Đến ngày"), required=False)

    def __init__(self, *args: Any, object_types: list[str], actions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Tất cả"))]
        from congvu.web.audit_labels import action_label, object_type_label

        self.fields["object_type"].choices = everything + sorted(((t, object_type_label(t)) for t in object_types),
                                                                 key=lambda c: c[1])
        self.fields["action"].choices = everything + sorted(((a, action_label(a)) for a in actions),
                                                            key=lambda c: c[1])
