"""The review workbench of the admin: a municipality's grid on one page, and a cycle's CSV
export and import (upload, preview, confirm). Pages of ``ReviewCycleAdmin``; every write
goes through the reviews services, as through the API."""

from __future__ import annotations

import io
import secrets

from django import forms
from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from campaigns.collectives.access import can_assess
from campaigns.reviews import spreadsheet
from campaigns.reviews.models import (
    EVIDENCE_MAX_LENGTH,
    SOURCE_MAX_LENGTH,
    SOURCES_MAX_COUNT,
    Assessment,
    AssessmentStatus,
    ReviewCycle,
)
from campaigns.reviews.selectors import assessments_visible_to, cycle_municipalities, cycles_visible_to
from campaigns.reviews.services import (
    ASSESSED_FIELDS,
    UNSET,
    AssessmentInput,
    AssessmentsRefused,
    grid_pledged,
    grid_save,
)
from core.text import fold
from core.widgets import UrlListField
from officials.importers import ImportFileError
from officials.models import Municipality

PREVIEW_TIMEOUT = 3600  # seconds an uploaded file waits for its confirmation
MUNICIPALITIES_SHOWN = 30  # on the cycle's page; the full list is one click away


class GridRowForm(forms.Form):
    """One pledged measure of the grid. Fields left as they were are not sent to the service:
    an untouched progress follows the status (its default when the status changes)."""

    status = forms.ChoiceField(label=gettext_lazy("statut"), choices=AssessmentStatus.choices)
    progress = forms.IntegerField(
        label=gettext_lazy("avancement (%)"),
        min_value=0,
        max_value=100,
        required=False,
        widget=forms.NumberInput(attrs={"class": "vIntegerField", "min": 0, "max": 100}),
    )
    evidence = forms.CharField(
        label=gettext_lazy("éléments de preuve"),
        required=False,
        max_length=EVIDENCE_MAX_LENGTH,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 40}),
    )
    sources = UrlListField(
        label=gettext_lazy("sources"),
        max_urls=SOURCES_MAX_COUNT,
        max_length=SOURCE_MAX_LENGTH,
        add_label=gettext_lazy("Ajouter une source"),
    )

    def __init__(self, *args, pledged, assessment: Assessment | None, **kwargs):
        self.pledged, self.assessment = pledged, assessment
        initial = {name: getattr(assessment, name) for name in ("status", "progress", "evidence", "sources")}
        if assessment is None:
            initial = {"status": AssessmentStatus.NOT_ASSESSED, "progress": None, "evidence": "", "sources": []}
        # Rows left alone are not checked: only what the volunteer changed is sent.
        super().__init__(
            *args,
            prefix=f"m{pledged.pk}",
            initial=initial,
            empty_permitted=True,
            use_required_attribute=False,
            **kwargs,
        )

    def to_input(self) -> AssessmentInput:
        values = {
            name: self.cleaned_data[name] if name in self.changed_data else UNSET
            for name in ("progress", "evidence", "sources")
        }
        return AssessmentInput(pledged_measure=self.pledged, status=self.cleaned_data["status"], **values)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy("Le format de l'export : séparateur « ; », UTF-8 ou Windows-1252."),
    )


class ReviewWorkbenchMixin:
    """Pages of ``ReviewCycleAdmin``: the municipalities of a cycle, the grid of one, the
    cycles of a municipality, the CSV export and import."""

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:cycle_id>/municipalities/",
                wrap(self.municipalities_view),
                name="campaigns_reviewcycle_municipalities",
            ),
            path(
                "<int:cycle_id>/municipalities/<str:insee>/grid/",
                wrap(self.grid_view),
                name="campaigns_reviewcycle_grid",
            ),
            path("<int:cycle_id>/export/", wrap(self.export_view), name="campaigns_reviewcycle_export"),
            path("<int:cycle_id>/import/", wrap(self.import_view), name="campaigns_reviewcycle_import"),
            path(
                "municipality/<str:insee>/",
                wrap(self.municipality_cycles_view),
                name="campaigns_reviewcycle_municipality_cycles",
            ),
            *super().get_urls(),
        ]

    # Shared

    def _cycle(self, request, cycle_id: int) -> ReviewCycle:
        if not self.has_view_permission(request):
            raise PermissionDenied
        return get_object_or_404(cycles_visible_to(request.user).select_related("pact"), pk=cycle_id)

    def _context(self, request, title: str, **extra) -> dict:
        return {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            **extra,
        }

    # The cycle's municipalities

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The cycle's page lists the municipalities whose grid the user may fill in."""
        extra_context = extra_context or {}
        cycle = ReviewCycle.objects.filter(pk=object_id).first() if str(object_id).isdecimal() else None
        if cycle is not None and self.has_view_permission(request, cycle):
            rows = list(cycle_municipalities(cycle=cycle, user=request.user)[: MUNICIPALITIES_SHOWN + 1])
            extra_context["review_municipalities"] = [
                {**row, "url": _grid_url(cycle.pk, row["insee"])} for row in rows[:MUNICIPALITIES_SHOWN]
            ]
            extra_context["review_municipalities_more"] = len(rows) > MUNICIPALITIES_SHOWN
        return super().change_view(request, object_id, form_url, extra_context)

    def municipalities_view(self, request, cycle_id: int):
        cycle = self._cycle(request, cycle_id)
        rows = cycle_municipalities(cycle=cycle, user=request.user)
        query = request.GET.get("q", "").strip()
        if query:
            rows = rows.filter(pledged_measure__pledge__municipality__search_name__icontains=fold(query))
        rows = [{**row, "url": _grid_url(cycle.pk, row["insee"])} for row in rows]
        context = self._context(
            request,
            _("Grilles d'évaluation : %(cycle)s") % {"cycle": cycle.name},
            cycle=cycle,
            rows=rows,
            query=query,
        )
        return TemplateResponse(request, "admin/campaigns/reviewcycle/municipalities.html", context)

    def municipality_cycles_view(self, request, insee: str):
        if not self.has_view_permission(request):
            raise PermissionDenied
        municipality = get_object_or_404(Municipality, insee_code=insee)
        cycles = (
            cycles_visible_to(request.user)
            .filter(assessments__pledged_measure__pledge__municipality=municipality)
            .distinct()
        )
        context = self._context(
            request,
            _("Grilles d'évaluation de %(name)s") % {"name": municipality.name},
            municipality=municipality,
            cycles=[(cycle, _grid_url(cycle.pk, municipality.pk)) for cycle in cycles],
            can_assess=can_assess(request.user, municipality.pk),
        )
        return TemplateResponse(request, "admin/campaigns/reviewcycle/municipality_cycles.html", context)

    # The grid of one municipality

    def grid_view(self, request, cycle_id: int, insee: str):
        cycle = self._cycle(request, cycle_id)
        municipality = get_object_or_404(Municipality, insee_code=insee)
        if not can_assess(request.user, municipality.pk):
            raise PermissionDenied(
                _("Seuls les membres d'un collectif qui suit %(name)s peuvent l'évaluer.") % {"name": municipality.name}
            )
        pledged = grid_pledged(cycle=cycle, municipality=municipality)
        assessments = {
            assessment.pledged_measure_id: assessment
            for assessment in Assessment.objects.filter(cycle=cycle, pledged_measure__in=[pm.pk for pm in pledged])
        }
        data = request.POST if request.method == "POST" and cycle.is_open else None
        rows = [GridRowForm(data, pledged=pm, assessment=assessments.get(pm.pk)) for pm in pledged]
        if not cycle.is_open:
            for row in rows:
                for field in row.fields.values():
                    field.disabled = True
        refusal = []
        if data is not None:
            # Every row checked, so that all refusals show at once.
            if all([row.is_valid() for row in rows]):
                changed = [row for row in rows if row.has_changed()]
                if not changed:
                    messages.info(request, _("Aucune modification : rien n'a été enregistré."))
                    return redirect(request.path)
                refusal = self._grid_save(request, cycle, municipality, pledged, changed)
                if refusal is None:
                    messages.success(
                        request,
                        ngettext("%(count)s mesure enregistrée.", "%(count)s mesures enregistrées.", len(changed))
                        % {"count": len(changed)},
                    )
                    return redirect(request.path)
            else:
                refusal = [_("Rien n'a été enregistré : corrigez les lignes signalées.")]
        context = self._context(
            request,
            _("Grille de %(name)s : %(cycle)s") % {"name": municipality.name, "cycle": cycle.name},
            cycle=cycle,
            municipality=municipality,
            groups=_by_list(rows),
            refusal=refusal,
            is_open=cycle.is_open,
            media=self.media,
        )
        return TemplateResponse(request, "admin/campaigns/reviewcycle/grid.html", context)

    def _grid_save(self, request, cycle, municipality, pledged, changed) -> list[str] | None:
        """Save the changed rows through the grid service: None once saved, else the
        messages for the top of the page (those of a row are set on its row)."""
        items, inputs = {}, []
        for row in changed:
            item = row.to_input()
            items[id(item)] = row
            inputs.append(item)
        try:
            with transaction.atomic():
                grid_save(cycle=cycle, municipality=municipality, pledged=pledged, items=inputs, by=request.user)
        except AssessmentsRefused as refused:
            for item, message in refused.problems:
                items[id(item)].add_error(None, message)
            return [_("Rien n'a été enregistré : corrigez les lignes signalées.")]
        except ValidationError as refused:
            return [_("Rien n'a été enregistré."), *refused.messages]
        return None

    # CSV export and import

    def export_view(self, request, cycle_id: int):
        cycle = self._cycle(request, cycle_id)
        body = spreadsheet.export_csv(assessments_visible_to(request.user).filter(cycle=cycle))
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        stamp = timezone.localdate().isoformat()
        response["Content-Disposition"] = f'attachment; filename="bilan-{cycle.pk}-{stamp}.csv"'
        return response

    def import_view(self, request, cycle_id: int):
        cycle = self._cycle(request, cycle_id)
        context = {"cycle": cycle, "form": ImportForm()}
        if request.method == "POST" and "token" in request.POST:
            context |= self._import_confirm(request, cycle)
            if "done" in context:
                return redirect(reverse("admin:campaigns_reviewcycle_change", args=[cycle.pk]))
        elif request.method == "POST":
            form = ImportForm(request.POST, request.FILES)
            context["form"] = form
            if form.is_valid():
                context |= self._import_preview(request, cycle, form)
        title = _("Importer un CSV : %(cycle)s") % {"cycle": cycle.name}
        return TemplateResponse(
            request, "admin/campaigns/reviewcycle/import.html", self._context(request, title, **context)
        )

    def _import_preview(self, request, cycle, form) -> dict:
        upload = form.cleaned_data["file"]
        try:
            spreadsheet.check_size(upload.size)
            content = upload.read()
            report = spreadsheet.import_preview(cycle=cycle, source=io.BytesIO(content), by=request.user)
        except (spreadsheet.ReviewImportTooLarge, ImportFileError) as exc:
            form.add_error("file", str(exc))
            return {}
        except spreadsheet.ReviewImportInvalid as exc:
            for message in exc.messages:
                form.add_error("file", message)
            return {}
        token = secrets.token_urlsafe(16)
        cache.set(_preview_key(request, cycle, token), content, PREVIEW_TIMEOUT)
        return _preview_context(report, token=token, filename=upload.name)

    def _import_confirm(self, request, cycle) -> dict:
        token = request.POST.get("token", "")
        key = _preview_key(request, cycle, token)
        content = cache.get(key)
        if content is None:
            return {"expired": True}
        try:
            report = spreadsheet.import_apply(
                cycle=cycle, source=io.BytesIO(content), by=request.user, expected=request.POST.get("fingerprint")
            )
        except spreadsheet.ReviewImportStale as stale:
            return {**_preview_context(stale.report, token=token, filename=request.POST.get("filename")), "stale": True}
        except spreadsheet.ReviewImportInvalid as exc:
            if exc.report is None:
                return {"refusal": exc.messages}
            return _preview_context(exc.report, token=token, filename=request.POST.get("filename"))
        except ImportFileError as exc:
            return {"refusal": [str(exc)]}
        cache.delete(key)
        messages.success(
            request,
            _(
                "Import enregistré : %(created)s évaluation(s) créée(s), %(updated)s modifiée(s), "
                "%(unchanged)s ligne(s) inchangée(s)."
            )
            % {"created": len(report.created), "updated": len(report.updated), "unchanged": report.unchanged},
        )
        return {"done": True}


def _grid_url(cycle_id: int, insee: str) -> str:
    return reverse("admin:campaigns_reviewcycle_grid", args=[cycle_id, insee])


def _preview_key(request, cycle, token: str) -> str:
    return f"review-import:{request.user.pk}:{cycle.pk}:{token}"


def _by_list(rows: list[GridRowForm]) -> list[tuple[str, list[GridRowForm]]]:
    groups: dict[str, list[GridRowForm]] = {}
    for row in rows:
        groups.setdefault(row.pledged.pledge.list_name, []).append(row)
    return list(groups.items())


FIELD_LABELS = {name: Assessment._meta.get_field(name).verbose_name for name in ASSESSED_FIELDS}


def _shown(name: str, value) -> str:
    if value in (None, "", []):
        return "—"
    if name == "status":
        return str(AssessmentStatus(value).label)
    if name == "progress":
        return f"{value} %"
    if name == "sources":
        return " | ".join(value)
    if name == "reply_date":
        return date_format(value, "d/m/Y")
    return str(value)


def _preview_rows(rows) -> list[dict]:
    return [
        {
            "line": row.line,
            "municipality": row.pledged_measure.pledge.municipality,
            "list_name": row.pledged_measure.pledge.list_name,
            "measure": row.pledged_measure.measure,
            "changes": [
                {
                    "label": FIELD_LABELS[name],
                    "before": _shown(name, row.before[name]) if row.before is not None else None,
                    "after": _shown(name, row.after[name]),
                }
                for name in row.fields
            ],
        }
        for row in rows
    ]


def _preview_context(report, *, token: str, filename: str | None) -> dict:
    return {
        "report": report,
        "created": _preview_rows(report.created),
        "updated": _preview_rows(report.updated),
        "token": token,
        "fingerprint": report.fingerprint(),
        "filename": filename or "",
        "can_confirm": not report.errors and report.changes > 0,
    }
