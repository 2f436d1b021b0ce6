"""Admin helpers every app may use: public reference data, URL fields, and stored files shown
through their permission-checked views (no /media/ URL)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html

# Django 6 will assume https for scheme-less URLs typed in forms; do so now.
URL_FIELDS_ASSUME_HTTPS = {models.URLField: {"assume_scheme": "https"}}


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


class LinesField(forms.CharField):
    """A list of short texts (a JSON list in the model) typed one per line."""

    widget = forms.Textarea(attrs={"rows": 3})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value):
        return [line.strip() for line in (super().to_python(value) or "").splitlines() if line.strip()]
