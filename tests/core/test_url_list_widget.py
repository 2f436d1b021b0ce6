"""The list of web addresses typed one per input (core.widgets.UrlListField): blank inputs
left out, scheme-less addresses read as https, each wrong line refused with its number."""

import html

import pytest
from django import forms
from django.http import QueryDict

from core.widgets import UrlListField


class LinksForm(forms.Form):
    links = UrlListField(max_urls=3)


def posted(*lines: str) -> QueryDict:
    data = QueryDict(mutable=True)
    data.setlist("links", list(lines))
    return data


def test_each_input_is_one_address_and_blank_ones_are_left_out():
    form = LinksForm(posted("https://pacte.example.org/bilan", "", "  mairie.example.fr/conseil  ", ""))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["links"] == ["https://pacte.example.org/bilan", "https://mairie.example.fr/conseil"]


def test_a_bad_address_is_refused_with_its_line():
    form = LinksForm(posted("https://pacte.example.org", "pas une adresse", "ftp://exemple.org"))

    assert not form.is_valid()
    assert form.errors["links"] == [
        "Ligne 2 : « pas une adresse » n'est pas une adresse web (http ou https).",
        "Ligne 3 : « ftp://exemple.org » n'est pas une adresse web (http ou https).",
    ]


def test_too_many_addresses_are_refused():
    form = LinksForm(posted(*[f"https://exemple.org/{n}" for n in range(4)]))

    assert not form.is_valid()
    assert form.errors["links"] == ["Au plus 3 liens (4 donnés)."]


def test_no_input_is_an_empty_list():
    form = LinksForm(QueryDict())

    assert form.is_valid() and form.cleaned_data["links"] == []


def test_the_widget_shows_one_input_per_address_and_an_empty_one_to_add_another():
    rendered = html.unescape(str(LinksForm(initial={"links": ["https://a.example.org", "https://b.example.org"]})))

    assert rendered.count('name="links"') == 3
    assert 'value="https://a.example.org"' in rendered and 'value="https://b.example.org"' in rendered
    assert 'value=""' in rendered
    assert "Ajouter un lien" in rendered
    assert "core/url_list.js" in str(LinksForm().media)


def test_an_unchanged_list_is_not_a_change():
    form = LinksForm(posted("https://a.example.org", ""), initial={"links": ["https://a.example.org"]})

    assert not form.has_changed()


@pytest.mark.parametrize("value", ['["https://a.example.org"]', "https://a.example.org"])
def test_a_stored_value_given_as_text_still_reads_as_a_list(value):
    assert UrlListField().clean(value) == ["https://a.example.org"]
