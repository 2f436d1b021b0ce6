"""A template is tried, when it is saved, on a sample letter built by the letters' own context
builder: every merge field a letter has, the sample has, with nothing read from the database."""

import datetime as dt

import pytest

from campaigns.letters.models import Interpellation, Letter
from campaigns.letters.services.merge_fields import preview_context, sample_context
from tests.campaigns.factories import CampaignFactory, assess, in_office, make_cycle, member_of, sign

pytestmark = pytest.mark.django_db


def shape(value):
    """The merge fields' names, nested, without their values (a list by its first item)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None


def test_the_sample_has_the_merge_fields_of_a_real_letter(pact, salon, collective, measures, django_assert_num_queries):
    [pledged] = sign(pact, salon, measures[:1], collective=collective, signed_on=dt.date(2026, 2, 12))
    assess(make_cycle(pact), pledged, "in_progress", 25, evidence="Étude lancée")
    member_of(collective, signs_letters=True, title="co-présidente")
    mayor = in_office(salon, "maire").official
    letter = Letter(
        interpellation=Interpellation(collective=collective, campaign=CampaignFactory(collective=collective)),
        official=mayor,
        municipality=salon,
        role="maire",
    )
    real = preview_context(letter)

    with django_assert_num_queries(0):
        sample = sample_context()

    assert shape(sample) == shape(real)
    assert all(value is not None for value in (real["pledge"], real["campaign"], real["municipality"]))
    assert sample["pledge"]["measures"][0]["status"] == "en cours"
    assert sample["collective"]["signatories"] == [{"name": "Camille Martin", "title": "co-présidente"}]
