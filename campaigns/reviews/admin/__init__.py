"""Admin of reviews: scoring scales and cycles for staff; assessments for the members of a
collective that follows the municipality, read-only once the cycle is closed.

Writes go through the reviews services so that the admin keeps the API's rules: a new
cycle gets its "non évaluée" rows, and every change of status or progress is in the history.
"""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from campaigns.collectives.access import can_assess, roles_of, territory_ids
from campaigns.reviews.admin.workbench import ReviewWorkbenchMixin
from campaigns.reviews.models import (
    SOURCE_MAX_LENGTH,
    SOURCES_MAX_COUNT,
    Assessment,
    AssessmentChange,
    AssessmentStatus,
    ReviewCycle,
    ScoringScale,
    StatusWeight,
)
from campaigns.reviews.services import (
    NO_PROGRESS,
    UNSET,
    AssessmentInput,
    assessments_save,
    cycle_close,
    cycle_create,
    cycle_open,
    cycle_publish,
    cycle_update,
    default_scale,
)
from core.admin import URL_FIELDS_ASSUME_HTTPS
from core.widgets import UrlListField


class StaffOnlyMixin:
    """Staff manage everything here; nobody else sees it."""

    def has_module_permission(self, request):
        return request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_staff

    def has_add_permission(self, request, obj=None):
        return request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff


# Scoring scales


class StatusWeightInline(StaffOnlyMixin, admin.TabularInline):
    model = StatusWeight
    max_num = len(AssessmentStatus.values)

    def get_extra(self, request, obj=None, **kwargs):
        # A new scale needs a weight for every status.
        return 0 if obj else len(AssessmentStatus.values)


@admin.register(ScoringScale)
class ScoringScaleAdmin(StaffOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "description"]
    search_fields = ["name"]
    inlines = [StatusWeightInline]


# Review cycles


@admin.register(ReviewCycle)
class ReviewCycleAdmin(ReviewWorkbenchMixin, admin.ModelAdmin):
    list_display = ["name", "pact", "opens_on", "closes_on", "status", "is_published", "scale", "grids"]
    list_filter = ["pact", "status", "is_published"]
    search_fields = ["name"]
    list_select_related = ["pact", "scale"]
    date_hierarchy = "opens_on"
    actions = ["open_cycles", "close_cycles", "publish_cycles", "unpublish_cycles"]

    # Members read the cycles their assessments belong to; staff manage them.

    def has_module_permission(self, request):
        return request.user.is_staff or bool(roles_of(request.user))

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return request.user.is_staff

    def has_change_permission(self, request, obj=None):
        return request.user.is_staff

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff

    @admin.display(description=_("grilles"))
    def grids(self, obj):
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:campaigns_reviewcycle_municipalities", args=[obj.pk]),
            gettext("Communes"),
        )

    def get_readonly_fields(self, request, obj=None):
        # State changes go through the actions; a cycle's assessments tie it to its pact.
        readonly = ["status", "is_published", "created_at"]
        return [*readonly, "pact"] if obj else readonly

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        scale = default_scale()
        if scale is not None:
            initial.setdefault("scale", scale.pk)
        return initial

    def save_model(self, request, obj, form, change):
        if change:
            cycle_update(cycle=obj, **{name: form.cleaned_data[name] for name in form.changed_data})
            return
        created = cycle_create(
            pact=obj.pact, name=obj.name, opens_on=obj.opens_on, closes_on=obj.closes_on, scale=obj.scale
        )
        obj.pk = created.pk
        obj.refresh_from_db()

    @admin.action(description=_("Ouvrir les cycles sélectionnés"), permissions=["change"])
    def open_cycles(self, request, queryset):
        added = sum(cycle_open(cycle=cycle) for cycle in queryset)
        self.message_user(
            request,
            gettext("%(count)s cycle(s) ouvert(s) ; %(added)s mesure(s) signée(s) ajoutée(s) en « non évaluée ».")
            % {"count": len(queryset), "added": added},
            messages.SUCCESS,
        )

    @admin.action(description=_("Clore les cycles sélectionnés"), permissions=["change"])
    def close_cycles(self, request, queryset):
        for cycle in queryset:
            cycle_close(cycle=cycle)
        self.message_user(request, gettext("%(count)s cycle(s) clos.") % {"count": len(queryset)}, messages.SUCCESS)

    @admin.action(description=_("Publier les cycles sélectionnés"), permissions=["change"])
    def publish_cycles(self, request, queryset):
        for cycle in queryset:
            cycle_publish(cycle=cycle)
        self.message_user(
            request, gettext("%(count)s cycle(s) publié(s).") % {"count": len(queryset)}, messages.SUCCESS
        )

    @admin.action(description=_("Retirer de la publication les cycles sélectionnés"), permissions=["change"])
    def unpublish_cycles(self, request, queryset):
        for cycle in queryset:
            cycle_publish(cycle=cycle, published=False)
        self.message_user(
            request, gettext("%(count)s cycle(s) retiré(s) de la publication.") % {"count": len(queryset)}
        )


# Assessments


class AssessmentChangeInline(admin.TabularInline):
    model = AssessmentChange
    fields = ["changed_at", "changed_by", "old_status", "new_status", "old_progress", "new_progress"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    # The history is written by the service only; whoever may read the assessment reads it.

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssessmentForm(forms.ModelForm):
    sources = UrlListField(
        label=_("sources"), max_urls=SOURCES_MAX_COUNT, max_length=SOURCE_MAX_LENGTH, add_label=_("Ajouter une source")
    )

    class Meta:
        model = Assessment
        fields = ["status", "progress", "evidence", "sources", "municipality_reply", "reply_date"]

    def clean(self):
        data = super().clean()
        status = data.get("status")
        # An untouched progress is dropped by the service when the status has none.
        if status in NO_PROGRESS and "progress" in self.changed_data and data.get("progress") is not None:
            self.add_error(
                "progress",
                gettext("Une mesure « %(status)s » n'a pas d'avancement.") % {"status": AssessmentStatus(status).label},
            )
        if self.instance.pk and not self.instance.cycle.is_open:
            raise forms.ValidationError(
                gettext("Le cycle « %(name)s » est clos : il n'accepte plus de modification.")
                % {"name": self.instance.cycle.name}
            )
        return data


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    """Members assess the municipalities their collective follows, while the cycle is open."""

    form = AssessmentForm
    formfield_overrides = URL_FIELDS_ASSUME_HTTPS
    list_display = ["municipality", "list_name", "measure", "status", "progress", "cycle", "assessed_at", "grid"]
    list_filter = ["cycle", "status", "cycle__is_published"]
    search_fields = [
        "pledged_measure__pledge__municipality__name",
        "pledged_measure__pledge__municipality__search_name",
        "pledged_measure__pledge__municipality__insee_code",
        "pledged_measure__pledge__list_name",
        "pledged_measure__measure__code",
        "pledged_measure__measure__title",
        "evidence",
    ]
    list_select_related = ["cycle", "pledged_measure__pledge__municipality", "pledged_measure__measure"]
    readonly_fields = ["cycle", "municipality", "list_name", "measure", "assessed_by", "assessed_at"]
    fieldsets = [
        (None, {"fields": ["cycle", "municipality", "list_name", "measure"]}),
        (_("Évaluation"), {"fields": ["status", "progress", "evidence", "sources"]}),
        (_("Droit de réponse"), {"fields": ["municipality_reply", "reply_date"]}),
        (_("Suivi"), {"fields": ["assessed_by", "assessed_at"]}),
    ]
    inlines = [AssessmentChangeInline]

    class Media:
        css = {"all": ["campaigns/admin/review-grid.css"]}

    @admin.display(description=_("commune"), ordering="pledged_measure__pledge__municipality__name")
    def municipality(self, obj):
        return obj.pledged_measure.pledge.municipality

    @admin.display(description=_("grille"))
    def grid(self, obj):
        insee = obj.pledged_measure.pledge.municipality_id
        url = reverse("admin:campaigns_reviewcycle_grid", args=[obj.cycle_id, insee])
        return format_html('<a href="{}">{}</a>', url, gettext("Grille de la commune"))

    @admin.display(description=_("liste"), ordering="pledged_measure__pledge__list_name")
    def list_name(self, obj):
        return obj.pledged_measure.pledge.list_name

    @admin.display(description=_("mesure"), ordering="pledged_measure__measure__position")
    def measure(self, obj):
        measure = obj.pledged_measure.measure
        return f"{measure.code} — {measure.title}"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_staff:
            return queryset
        return queryset.filter(pledged_measure__pledge__municipality__in=list(territory_ids(request.user)))

    def _assesses(self, request, obj) -> bool:
        return can_assess(request.user, obj.pledged_measure.pledge.municipality_id)

    def has_module_permission(self, request):
        return request.user.is_staff or bool(roles_of(request.user))

    def has_view_permission(self, request, obj=None):
        if obj is not None:
            return self._assesses(request, obj)
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        if obj is not None:
            return obj.cycle.is_open and self._assesses(request, obj)
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        # Opening a cycle creates one assessment per pledged measure.
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_staff

    def save_model(self, request, obj, form, change):
        item = AssessmentInput(
            pledged_measure=obj.pledged_measure,
            status=obj.status,
            # Left as it was, the progress follows the status (its default when the status changes).
            progress=obj.progress if "progress" in form.changed_data else UNSET,
            evidence=obj.evidence,
            sources=obj.sources,
            municipality_reply=obj.municipality_reply,
            reply_date=obj.reply_date,
        )
        assessments_save(cycle=obj.cycle, items=[item], by=request.user)
        obj.refresh_from_db()
