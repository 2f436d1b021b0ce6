"""Form fields and widgets of the admin for lists stored as JSON: one input per item."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class URLListWidget(forms.Widget):
    """A list of web addresses, one ``<input type="url">`` per address, with ``extra`` empty
    ones to add more (a page script may add further inputs of the same name)."""

    def __init__(self, attrs=None, extra: int = 1):
        self.extra = extra
        super().__init__(attrs)

    def format_value(self, value):
        if isinstance(value, str):
            return [value] if value else []
        return list(value or [])

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        base_id = attrs.pop("id", None) or f"id_{name}"
        attrs.pop("required", None)
        values = [*self.format_value(value), *[""] * self.extra]
        inputs = format_html_join(
            "",
            '<li><input type="url" name="{}" value="{}" id="{}_{}"{}></li>',
            (
                (name, item, base_id, index, format_html_join("", ' {}="{}"', attrs.items()))
                for index, item in enumerate(values)
            ),
        )
        return format_html(
            '<ul class="url-list" id="{}" data-name="{}">{}</ul>',
            base_id,
            name,
            inputs,
        )

    def value_from_datadict(self, data, files, name):
        getlist = getattr(data, "getlist", None)
        return getlist(name) if getlist is not None else data.get(name, [])

    def value_omitted_from_data(self, data, files, name):
        return False  # an empty list is sent as no input at all

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else id_


class URLListField(forms.Field):
    """A JSON list of web addresses, typed one per input; an address typed without its scheme
    is read as https://…, as the admin's URL fields do."""

    widget = URLListWidget
    default_error_messages = {
        "invalid": gettext_lazy("« %(value)s » n'est pas une adresse web (https://…)."),
        "max_count": gettext_lazy("%(count)s adresses ; %(max)s au plus."),
    }

    def __init__(self, *, max_count: int | None = None, max_length: int | None = None, **kwargs):
        self.max_count, self.max_length = max_count, max_length
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return value if isinstance(value, list) else (value or [])

    def to_python(self, value) -> list[str]:
        if isinstance(value, str):
            value = [value]
        addresses = []
        for item in value or []:
            item = (item or "").strip()
            if not item:
                continue
            if "://" not in item:
                item = "https://" + item
            addresses.append(item)
        return addresses

    def validate(self, value):
        super().validate(value)
        check = URLValidator(schemes=["http", "https"])
        errors = []
        for item in value:
            try:
                check(item)
            except ValidationError:
                errors.append(ValidationError(self.error_messages["invalid"], code="invalid", params={"value": item}))
                continue
            if self.max_length is not None and len(item) > self.max_length:
                errors.append(
                    ValidationError(
                        _("« %(value)s » dépasse %(max)s caractères.")
                        % {"value": item[:40] + "…", "max": self.max_length}
                    )
                )
        if self.max_count is not None and len(value) > self.max_count:
            errors.append(
                ValidationError(
                    self.error_messages["max_count"],
                    code="max_count",
                    params={"count": len(value), "max": self.max_count},
                )
            )
        if errors:
            raise ValidationError(errors)

    def has_changed(self, initial, data):
        try:
            return list(initial or []) != self.to_python(data)
        except ValidationError:
            return True
