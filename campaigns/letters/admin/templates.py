"""The letter template editor in the admin: the merge fields beside the form, and a preview
of the text being typed (not saved) rendered as a letter would be, with its page count or
the template's error and its line."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.collectives.access import roles_of
from campaigns.collectives.models import Collective
from campaigns.letters.models import LetterTemplate
from campaigns.letters.services.merge_fields import sample_context
from campaigns.letters.services.previews import template_draft_preview
from officials.models import Mandate, Official

# Officials offered for a preview: those in office in the user's collectives' territories.
MAX_PREVIEW_OFFICIALS = 300
# The texts a preview renders are bounded as the model bounds them.
MAX_TEXT = 100_000


def merge_field_rows() -> list[dict]:
    """Every merge field a letter has, with the sample letter's value: read from the context
    letters are rendered with, so that the list never drifts from it."""
    rows = []

    def walk(prefix: str, value) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else key, item)
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            rows.append({"name": prefix, "loop": ", ".join(value[0]), "example": ""})
        elif isinstance(value, list):  # lines, such as the town hall's address
            rows.append({"name": prefix, "loop": "", "example": " / ".join(map(str, value))})
        else:
            rows.append({"name": prefix, "loop": "", "example": "" if value is None else str(value)})

    walk("", sample_context())
    return rows


def preview_officials(user) -> list[tuple[int, str]]:
    mine = list(roles_of(user))
    if not mine:
        return []
    territory = Collective.territory.through.objects.filter(collective_id__in=mine).values("municipality_id")
    mandates = (
        Mandate.objects.current()
        .filter(municipality__in=territory)
        .select_related("official", "municipality")
        .order_by("municipality__name", "official__last_name")[:MAX_PREVIEW_OFFICIALS]
    )
    seen, choices = set(), []
    for mandate in mandates:
        if mandate.official_id not in seen:
            seen.add(mandate.official_id)
            choices.append(
                (mandate.official_id, f"{mandate.official} — {mandate.get_role_display()}, {mandate.municipality.name}")
            )
    return choices


class LetterTemplateEditorAdmin(admin.ModelAdmin):
    """The template admin's change form with the merge fields and the preview beside it."""

    change_form_template = "admin/letters/lettertemplate_change_form.html"

    def get_urls(self):
        return [
            path(
                "apercu/",
                self.admin_site.admin_view(require_POST(self.preview_view)),
                name="campaigns_lettertemplate_preview",
            ),
            *super().get_urls(),
        ]

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra = {
            "merge_fields": merge_field_rows(),
            "preview_officials": preview_officials(request.user),
            "preview_url": reverse("admin:campaigns_lettertemplate_preview"),
            **(extra_context or {}),
        }
        return super().changeform_view(request, object_id, form_url, extra)

    def _template(self, request) -> LetterTemplate | None:
        """The stored template being edited, if the user may read it."""
        template_id = request.POST.get("template_id", "")
        if not template_id.isdigit():
            return None
        return self.get_queryset(request).filter(pk=template_id).select_related("collective").first()

    def _collective(self, request) -> Collective | None:
        """The collective the letter is written for: the form's, else the template's."""
        mine = None if request.user.is_staff else list(roles_of(request.user))
        chosen = request.POST.get("collective", "")
        if chosen.isdigit() and (mine is None or int(chosen) in mine):
            return Collective.objects.filter(pk=chosen).first()
        template = self._template(request)
        return template.collective if template is not None else None

    def preview_view(self, request):
        """The letter the posted text gives (the change form's fields): its subject, HTML
        and page count, or each field's error with its line. Nothing is saved."""
        if not self.has_module_permission(request):
            raise PermissionDenied
        stored = self._template(request)
        # A template the user may only read has no inputs: its stored text is previewed.
        texts = {
            name: request.POST.get(name, getattr(stored, name, ""))[:MAX_TEXT]
            for name in ("subject", "body", "closing")
        }
        official_id = request.POST.get("preview_official", "")
        official = Official.objects.filter(pk=official_id).first() if official_id.isdigit() else None
        preview, errors = None, []
        try:
            preview = template_draft_preview(
                **texts, by=request.user, collective=self._collective(request), official=official
            )
        except ValidationError as exc:
            by_field = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            for field, messages in by_field.items():
                label = LetterTemplate._meta.get_field(field).verbose_name if field in texts else ""
                errors.extend({"field": label, "message": message} for message in messages)
        return TemplateResponse(
            request,
            "admin/letters/lettertemplate_preview.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "title": _("Aperçu du modèle"),
                "preview": preview,
                "errors": errors,
                "official": official,
            },
        )
