"""Admin helpers every app may use: public reference data, URL fields, and stored files shown
through their permission-checked views (no /media/ URL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django import forms
from django.contrib import admin
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext

from core.search import or_folded
from core.text import of_the

# Django 6 will assume https for scheme-less URLs typed in forms; do so now.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class FrenchAdminMixin:
    """What every model admin of the site does for the people who read it (the site mixes it
    into each admin it registers, backend/admin.py).

    - Titles with French elision: "Modification de l'évaluation", where Django's French
      catalogue, which knows no gender nor elision, writes "Modification de évaluation".
    - Searches that forgive what people type (core.search): besides Django's word-by-word
      search, the whole text is looked up in the folded columns (``…search_name``) among
      ``search_fields``, spaces, hyphens, apostrophes, accents and case ignored.
    """

    # Django's title (its French catalogue's) and ours, by what the form does.
    FORM_TITLES = {"add": ("Add %s", "Ajout %s"), "change": ("Change %s", "Modification %s"),
                   "view": ("View %s", "Affichage %s")}  # fmt: skip

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        mode = "add" if add else "change" if self.has_change_permission(request, obj) else "view"
        django_title, title = self.FORM_TITLES[mode]
        name = self.opts.verbose_name
        if context.get("title") == gettext(django_title) % name:
            context["title"] = title % of_the(name)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return or_folded(queryset, results, self.get_search_fields(request), search_term), may_have_duplicates


class PublicDataAdmin(admin.ModelAdmin):
    """Public reference data (municipalities, officials, pacts): anyone let into the admin
    may read it, and pick it in forms; staff change it."""

    formfield_overrides = URL_FIELDS_ASSUME_HTTPS

    def has_module_permission(self, request):
        return True

    def has_view_permission(self, request, obj=None):
        return True


def file_link(field_file, url: str):
    """A link to ``url`` named after the stored file, or a dash when there is none."""
    if not field_file:
        return "-"
    return format_html('<a href="{}">{}</a>', url, Path(field_file.name).name)


class _Shown:
    """What ClearableFileInput's template reads of the current file: its name and url."""

    def __init__(self, field_file, url: str):
        self.url, self.name = url, field_file.name

    def __str__(self):
        return Path(self.name).name


class ProtectedFileInput(forms.ClearableFileInput):
    """A file input whose "currently" link goes to ``url_of(instance)``, not to MEDIA_URL."""

    def __init__(self, url_of: Callable[[object], str], attrs=None):
        self.url_of = url_of
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if self.is_initial(value) and getattr(value, "instance", None) is not None:
            context["widget"]["value"] = _Shown(value, self.url_of(value.instance))
        return context


class ServiceWrittenAdmin(admin.ModelAdmin):
    """A model admin whose rows are written by the concept's services, as through the API: the
    form and its inlines check shape, the service writes the row, its relations and what the
    inlines hold, with its rules, all in the view's transaction.

    A refusal (Django's ValidationError, keyed by field) rolls the view back, so nothing is
    written, and the form is shown again with each message on its field, under the inline
    whose prefix it names (a refusal of the service that saves an inline's rows is shown
    under that inline), or above the form.
    """

    model_argument: str  # the services' keyword for the row: "pledge", "campaign", "action"
    create: staticmethod  # the concept's create and update services: (by=, **fields)
    update: staticmethod

    def service_inline(self, formset) -> dict | None:
        """What ``formset`` gives the services (``{"measures": …}``), or None when the admin
        saves it itself."""
        return None

    def save_model(self, request, obj, form, change):
        """Nothing yet: the service writes the row with its inlines, in ``save_related``."""

    def save_related(self, request, form, formsets, change):
        names = form.changed_data if change else form.fields
        fields = {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}
        left = []
        for formset in formsets:
            given = self.service_inline(formset)
            if given is None:
                left.append(formset)
            else:
                fields.update(given)
                # What the admin's history message reads of a saved formset.
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        obj = form.instance
        try:
            if change:
                # The form has set its values on the row: the service compares with what is stored.
                obj.refresh_from_db()
                self.update(**{self.model_argument: obj}, by=request.user, **fields)
            else:
                self.create(**{self.model_argument: obj}, by=request.user, **fields)
        except ValidationError as exc:
            raise _Refused(exc) from exc
        for formset in left:
            try:
                self.save_formset(request, form, formset, change=change)
            except ValidationError as exc:
                # The service of an inline's rows refused one: shown under that inline.
                raise _Refused(ValidationError({formset.get_default_prefix(): exc.messages})) from exc

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _Refused as refused:
            # The view's transaction is rolled back; the same request, shown with the refusal.
            request._service_refusal = refused.error
            return super().changeform_view(request, object_id, form_url, extra_context)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        refusal = getattr(request, "_service_refusal", None)
        if refusal is None:
            return form

        inlines = {formset.get_default_prefix() for formset, _inline in super().get_formsets_with_inlines(request, obj)}

        class RefusedForm(form):
            def clean(self):
                cleaned = super().clean()
                for field, messages in _by_field(refusal).items():
                    if field in self.fields:
                        self.add_error(field, messages)
                    elif field not in inlines:  # an inline's are shown under it
                        self.add_error(None, messages)
                return cleaned

        return RefusedForm

    def get_formsets_with_inlines(self, request, obj=None):
        refusal = getattr(request, "_service_refusal", None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            messages = _by_field(refusal).get(formset.get_default_prefix()) if refusal else None
            yield (_refused_formset(formset, messages) if messages else formset), inline


class _Refused(Exception):
    def __init__(self, error: ValidationError):
        self.error = error
        super().__init__(str(error))


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}


def _refused_formset(formset_class, messages: list[str]):
    class RefusedFormSet(formset_class):
        def clean(self):
            super().clean()
            raise ValidationError(messages)

    return RefusedFormSet


class LinesField(forms.CharField):
    """A list of short texts (a JSON list in the model) typed one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (super().to_python(value) or "").splitlines() if line.strip()]
