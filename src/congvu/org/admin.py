"""Django admin for system admins. Writes go through the org services so they are audited."""

from django.contrib import admin

from congvu.audit.services import audit_record, model_snapshot
from congvu.org.models import EmulationGroup, Person, PositionHistory, RoleGrant, Unit, UnitLineage
from congvu.org.policy import decide
from congvu.org.roles import Action


class PolicyAdminMixin:
    """The admin asks the same policy module as views and the API."""

    def has_module_permission(self, request):
        return bool(decide(request.user, Action.ADMIN_SITE))

    def has_view_permission(self, request, obj=None):
        return bool(decide(request.user, Action.ADMIN_SITE))

    has_add_permission = has_view_permission
    has_delete_permission = has_view_permission

    def has_change_permission(self, request, obj=None):
        return bool(decide(request.user, Action.ADMIN_SITE))

    def save_model(self, request, obj, form, change):
        before = model_snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(action="update" if change else "create", obj=obj, before=before, after=model_snapshot(obj),
                     actor=request.user, note="admin")

    def delete_model(self, request, obj):
        audit_record(action="delete", obj=obj, before=model_snapshot(obj), actor=request.user, note="admin")
        super().delete_model(request, obj)


@admin.register(Unit)
class UnitAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to")
    list_filter = ("kind",)
    search_fields = ("name", "code", "admin_code", "search_key")
    raw_id_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        from congvu.org.services import unit_create, unit_update

        data = {f: form.cleaned_data.get(f) for f in ("code", "admin_code", "name", "short_name", "kind", "parent",
                                                      "valid_from", "valid_to", "aliases", "source")}
        if change:
            unit_update(actor=request.user, unit=obj, **data)
        else:
            created = unit_create(actor=request.user, **{k: (v if v is not None else "") if k in
                                  ("admin_code", "short_name", "source") else v for k, v in data.items()})
            obj.pk = created.pk


@admin.register(UnitLineage)
class UnitLineageAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("predecessor", "successor", "kind", "effective_on", "source")
    raw_id_fields = ("predecessor", "successor")


@admin.register(EmulationGroup)
class EmulationGroupAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "year", "owner")
    list_filter = ("year", "kind")
    filter_horizontal = ("members",)


class PositionInline(admin.TabularInline):
    model = PositionHistory
    extra = 0


@admin.register(Person)
class PersonAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("full_name", "position", "unit", "category", "active")
    list_filter = ("category", "active")
    search_fields = ("full_name", "search_key", "staff_code")
    raw_id_fields = ("unit", "user")
    inlines = [PositionInline]


@admin.register(RoleGrant)
class RoleGrantAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ("user", "role", "unit", "valid_from", "valid_to")
    list_filter = ("role",)
    raw_id_fields = ("user", "unit")
