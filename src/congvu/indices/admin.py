"""Admin: frameworks are edited as their YAML document (validated by the same rules as
`congvu index validate`, errors naming the node; saved through `services.framework_load`, audited).
Nodes, results and assessments are shown read-only here: they change through the services."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from congvu.indices.models import (
    Assessment,
    Evidence,
    Framework,
    FrameworkVersion,
    LeafAssessment,
    Result,
)
from congvu.indices.scoring.tree import (
    FrameworkInvalid,
    framework_dump_yaml,
    framework_from_dict,
    framework_load_yaml,
    framework_to_dict,
    framework_validate,
)


class VersionForm(forms.ModelForm):
    document = forms.CharField(label=_("Tệp bộ chỉ số (YAML)"), widget=forms.Textarea(attrs={"rows": 40, "cols": 110}),
                               help_text=_("Định dạng: docs/indices.md. Phiên bản đã có kết quả công bố không sửa được."))

    class Meta:
        model = FrameworkVersion
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.tree:
            self.fields["document"].initial = framework_dump_yaml(framework_from_dict(self.instance.tree))

    def clean_document(self):
        from congvu.indices.services import metric_names

        try:
            definition = framework_load_yaml(self.cleaned_data["document"])
        except FrameworkInvalid as exc:
            raise forms.ValidationError([str(e) for e in exc.errors]) from exc
        errors = framework_validate(definition, metrics=metric_names())
        if errors:
            raise forms.ValidationError([str(e) for e in errors])
        if self.instance.pk and (definition.code, definition.version) != (self.instance.framework.code,
                                                                          self.instance.version):
            raise forms.ValidationError(_("Mã và phiên bản trong tệp phải giữ nguyên; nạp phiên bản mới bằng "
                                          "“Thêm” hoặc lệnh congvu index load."))
        from congvu.indices.services import framework_version_locked

        existing = FrameworkVersion.objects.filter(framework__code=definition.code, version=definition.version).first()
        if existing is not None and existing.tree != framework_to_dict(definition):
            locked = framework_version_locked(existing)
            if locked:
                raise forms.ValidationError(locked)
        self.definition = definition
        return self.cleaned_data["document"]


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(admin.ModelAdmin):
    form = VersionForm
    list_display = ("framework", "version", "effective_from", "effective_to", "max_points", "is_template")
    list_filter = ("framework", "is_template")
    readonly_fields = ("nodes_table",)

    @admin.display(description=_("Các chỉ số"))
    def nodes_table(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = [(("  " * _depth(n.code, obj)) + n.code, n.name, f"{float(n.max_points):g}", n.method,
                 n.metric, "" if n.threshold is None else f"{float(n.threshold):g}%"
                 + (" (giả định)" if n.threshold_assumed else "")) for n in obj.nodes.order_by("order")]
        return format_html("<table>{}</table>", format_html_join(
            "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows))

    def save_model(self, request, obj, form, change):
        from congvu.indices.services import framework_load

        saved = framework_load(definition=form.definition, actor=request.user)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        pass  # nodes are written by framework_load


def _depth(code: str, version: FrameworkVersion) -> int:
    parents = getattr(version, "_parents", None)
    if parents is None:
        parents = dict(version.nodes.values_list("code", "parent__code"))
        version._parents = parents
    depth, cur = 0, parents.get(code)
    while cur and depth < 20:
        depth, cur = depth + 1, parents.get(cur)
    return depth


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    search_fields = ("code", "name")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Result)
class ResultAdmin(ReadOnly):
    list_display = ("version", "unit", "period", "status", "points", "percent", "band", "published_at")
    list_filter = ("status", "version")


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    list_display = ("version", "unit", "period", "state", "submitted_at", "published_at")
    list_filter = ("state", "version")


admin.site.register([LeafAssessment, Evidence], ReadOnly)
