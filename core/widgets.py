"""Form widgets every app may use. ``UrlListField``: a list of web addresses (a JSON list in
the model) typed one per input, with a button that adds an input, and each wrong line
named in its message."""

from __future__ import annotations

import json

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

URL_MAX_LENGTH = 500


class UrlListWidget(forms.Widget):
    """One text input per address, and one empty to add another; "Ajouter un lien" adds
    more (core/static/core/url_list.js; without it, one is added per save)."""

    class Media:
        js = ["core/url_list.js"]

    def __init__(self, attrs=None, *, add_label=None):
        self.add_label = add_label or gettext_lazy("Ajouter un lien")
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])

    def value_omitted_from_data(self, data, files, name):
        return name not in data

    def format_value(self, value) -> list[str]:
        if isinstance(value, str):  # a JSON list, or one address
            try:
                value = json.loads(value)
            except ValueError:
                value = [value]
        return [str(line) for line in value or []] if isinstance(value, list | tuple) else []

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", f"id_{name}")
        lines = [*self.format_value(value), ""]
        inputs = format_html_join(
            "",
            '<li><input type="text" inputmode="url" name="{}" value="{}" id="{}" class="vURLField" '
            'maxlength="{}" aria-label="{}"></li>',
            (
                (
                    name,
                    line,
                    base_id if number == 1 else f"{base_id}_{number}",
                    URL_MAX_LENGTH,
                    _("Lien %(number)s") % {"number": number},
                )
                for number, line in enumerate(lines, 1)
            ),
        )
        return format_html(
            '<div class="url-list" id="{}_list"><ol class="url-list-lines">{}</ol>'
            '<button type="button" class="button url-list-add" data-for="{}_list">{}</button></div>',
            base_id,
            inputs,
            base_id,
            self.add_label,
        )


class UrlListField(forms.Field):
    """A list of web addresses (http or https; "exemple.fr" reads as https://exemple.fr),
    one per input: blank inputs are left out, each wrong one is refused with its line."""

    widget = UrlListWidget

    def __init__(self, *, max_urls: int = 20, max_length: int = URL_MAX_LENGTH, add_label=None, **kwargs):
        self.max_urls, self.max_length = max_urls, max_length
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", UrlListWidget(add_label=add_label))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value

    def to_python(self, value) -> list[str]:
        if value in self.empty_values:
            return []
        if isinstance(value, str):
            value = UrlListWidget().format_value(value)
        check = forms.URLField(
            max_length=self.max_length, assume_scheme="https", validators=[URLValidator(schemes=["http", "https"])]
        )
        urls, errors = [], []
        for number, line in enumerate(value, 1):
            line = str(line).strip()
            if not line:
                continue
            try:
                urls.append(check.clean(line))
            except ValidationError as exc:
                too_long = any(error.code == "max_length" for error in exc.error_list)
                errors.append(
                    ValidationError(
                        _("Ligne %(line)s : l'adresse dépasse %(max)s caractères.")
                        if too_long
                        else _("Ligne %(line)s : « %(value)s » n'est pas une adresse web (http ou https)."),
                        code="too_long" if too_long else "invalid_url",
                        params={"line": number, "value": line[:100], "max": self.max_length},
                    )
                )
        if errors:
            raise ValidationError(errors)
        if len(urls) > self.max_urls:
            raise ValidationError(
                _("Au plus %(max)s liens (%(count)s donnés)."),
                code="too_many",
                params={"max": self.max_urls, "count": len(urls)},
            )
        return list(dict.fromkeys(urls))  # the same address twice is kept once

    def has_changed(self, initial, data) -> bool:
        try:
            return self.to_python(data) != list(initial or [])
        except ValidationError:
            return True
