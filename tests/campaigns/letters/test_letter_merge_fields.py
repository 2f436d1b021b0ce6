"""Merge fields speak French: civility and title agree with the official, dates are written out."""

import datetime as dt

import pytest
from django.utils import timezone

from campaigns.letters import lettering
from campaigns.letters.services.interpellations import interpellation_create
from campaigns.reviews.services import AssessmentInput, assessments_save, cycle_create
from tests.campaigns.factories import (
    LetterTemplateFactory,
    PledgedMeasureFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    pdf_of,
    pdf_text,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("sex", "role", "salutation", "role_name"),
    [
        ("F", "maire", "Madame la Maire", "Maire"),
        ("M", "maire", "Monsieur le Maire", "Maire"),
        ("F", "adjoint", "Madame l'Adjointe au maire", "Adjointe au maire"),
        ("M", "adjoint", "Monsieur l'Adjoint au maire", "Adjoint au maire"),
        ("F", "conseiller_municipal", "Madame la Conseillère municipale", "Conseillère municipale"),
        ("M", "conseiller_municipal", "Monsieur le Conseiller municipal", "Conseiller municipal"),
        ("F", "conseiller_communautaire", "Madame la Conseillère communautaire", "Conseillère communautaire"),
        ("F", "depute", "Madame la Députée", "Députée"),
        ("M", "senateur", "Monsieur le Sénateur", "Sénateur"),
        ("F", "autre", "Madame", ""),
    ],
)
def test_the_salutation_agrees_with_the_officials_sex_and_role(sex, role, salutation, role_name):
    fields = lettering.official_fields(
        first_name="Camille", last_name="MARTIN", sex=sex, role=role, municipality_name="Salon-de-Provence"
    )

    assert fields["salutation"] == salutation
    assert fields["role_name"] == role_name
    assert fields["civility"] == ("Madame" if sex == "F" else "Monsieur")
    assert fields["address_name"] == f"{fields['civility']} Camille MARTIN"


def test_the_function_names_the_municipality():
    fields = lettering.official_fields(
        first_name="Élodie", last_name="IMBERT", sex="F", role="adjoint", municipality_name="Salon-de-Provence"
    )

    assert fields["function"] == "Adjointe au maire de Salon-de-Provence"


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 11, 22), "22 novembre 2026"),
        (dt.date(2026, 5, 1), "1er mai 2026"),
        (dt.date(2027, 1, 1), "1er janvier 2027"),
        (dt.date(2026, 8, 11), "11 août 2026"),
        (dt.date(2026, 2, 21), "21 février 2026"),
        (dt.date(2026, 12, 31), "31 décembre 2026"),
    ],
)
def test_dates_are_written_out_in_french(day, text):
    assert lettering.french_date(day) == text


def test_a_letter_greets_each_official_with_their_own_title_and_is_dated_today(
    collective, salon, django_capture_on_commit_callbacks
):
    mayor = in_office(salon, "maire", sex="F", first_name="Élodie", last_name="IMBERT")
    deputy = in_office(salon, "adjoint", sex="M", first_name="Karim", last_name="BENALI")
    councillor = in_office(salon, "conseiller_municipal", sex="F", first_name="Inès", last_name="ROUX")
    template = LetterTemplateFactory(
        collective=collective, subject="Le {{ today }}", body="{{ official.function }}, à vous."
    )

    with django_capture_on_commit_callbacks(execute=True):
        interpellation, _job = interpellation_create(
            collective=collective,
            template=template,
            by=member_of(collective),
            officials=[mayor.official, deputy.official, councillor.official],
        )

    today = lettering.french_date(timezone.localdate())
    texts = {letter.official_id: pdf_text(pdf_of(letter)) for letter in interpellation.letters.all()}
    assert "Madame la Maire," in texts[mayor.official_id]
    assert "Maire de Salon-de-Provence, à vous." in texts[mayor.official_id]
    assert "Monsieur l'Adjoint au maire," in texts[deputy.official_id]
    assert "Nous vous prions d'agréer, Monsieur l'Adjoint au maire, l'expression" in texts[deputy.official_id]
    assert "Madame la Conseillère municipale," in texts[councillor.official_id]
    for text in texts.values():
        assert f"Salon-de-Provence, le {today}" in text
        assert f"Objet : Le {today}" in text


def test_the_pledge_fields_list_the_measures_with_their_latest_assessment(
    as_role, collective, salon, pact, django_capture_on_commit_callbacks
):
    pledge = PledgeFactory(pact=pact, municipality=salon, collective=collective, list_name="Salon en transition",
                           signed_on=dt.date(2026, 2, 1))  # fmt: skip
    first, second = (pact.measures.get(code=code) for code in ("01", "02"))
    done = PledgedMeasureFactory(pledge=pledge, measure=first)
    PledgedMeasureFactory(pledge=pledge, measure=second)
    cycle = cycle_create(pact=pact, name="Bilan 2026", opens_on=dt.date(2026, 9, 1), closes_on=dt.date(2026, 12, 31))
    assessments_save(cycle=cycle, items=[AssessmentInput(pledged_measure=done, status="in_progress", progress=40)],
                     by=None)  # fmt: skip
    mayor = in_office(salon, "maire")
    template = LetterTemplateFactory(
        collective=collective,
        body="{{ pledge.list_name }} a signé le {{ pledge.signed_on }}.\n"
        "{% for m in pledge.measures %}[{{ m.code }} {{ m.status }} {{ m.progress }}]{% endfor %}",
    )

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/", {"official": mayor.official_id}, format="json"
    )

    html = response.json()["html"]
    assert "Salon en transition a signé le 1er février 2026." in html
    assert "[01 en cours 40][02 non évaluée None]" in html
