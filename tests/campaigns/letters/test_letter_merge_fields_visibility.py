"""Merge fields show the reviews the collective may read, by the assessments API's own rule:
published cycles, and the work in progress of its own territory only."""

import pytest

from campaigns.letters.services.interpellations import interpellation_create
from campaigns.models import AssessmentStatus, Measure
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    LetterTemplateFactory,
    assess,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    make_cycle,
    pdf_of,
    pdf_text,
    sign,
)

pytestmark = pytest.mark.django_db

S = AssessmentStatus
BODY = "{% for m in pledge.measures %}[{{ m.code }} {{ m.status }} {{ m.evidence }}]{% endfor %}"


@pytest.fixture
def reviews(pact, salon, outside, collective, other_collective):
    """Salon (the collective's territory) and Aix (another collective's) each with a
    published cycle and a cycle in progress."""
    measures = list(pact.measures.filter(kind=Measure.Kind.MEASURE).order_by("position"))[:2]
    salon_measures = sign(pact, salon, measures, collective=collective)
    aix_measures = sign(pact, outside, measures, collective=other_collective)
    published = make_cycle(pact, name="Bilan 2023", published=True)
    assess(published, aix_measures[0], S.PARTIAL, evidence="Bilan publié")
    draft = make_cycle(pact, name="Bilan 2026")
    assess(draft, aix_measures[1], S.ABANDONED, evidence="Secret du collectif aixois")
    assess(draft, salon_measures[1], S.IN_PROGRESS, evidence="Travaux engagés")
    return {"published": published, "draft": draft}


def test_the_preview_hides_another_collectives_unpublished_review(as_role, collective, outside, reviews):
    mayor = in_office(outside, "maire")
    template = LetterTemplateFactory(collective=collective, body=BODY)

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/", {"official": mayor.official_id}, format="json"
    )

    assert response.status_code == 200, response.json()
    html = response.json()["html"]
    assert "[01 partiellement réalisée Bilan publié]" in html
    assert "[02 non évaluée ]" in html
    assert "Secret du collectif aixois" not in html


def test_the_preview_shows_the_collectives_own_work_in_progress(as_role, collective, salon, reviews):
    mayor = in_office(salon, "maire")
    template = LetterTemplateFactory(collective=collective, body=BODY)

    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/", {"official": mayor.official_id}, format="json"
    )

    assert "[02 en cours Travaux engagés]" in response.json()["html"]


def test_a_member_of_both_collectives_previews_what_the_chosen_collectives_letter_would_say(
    collective, other_collective, outside, reviews
):
    from rest_framework.test import APIClient

    from tests.campaigns.factories import MembershipFactory

    user = MembershipFactory(collective=collective).user
    MembershipFactory(collective=other_collective, user=user)
    client = APIClient()
    client.force_authenticate(user)
    mayor = in_office(outside, "maire")
    template = LetterTemplateFactory(collective=collective, body=BODY)

    response = client.post(
        f"/api/letter-templates/{template.pk}/preview/",
        {"official": mayor.official_id, "collective": collective.slug},
        format="json",
    )

    assert "Secret du collectif aixois" not in response.json()["html"]


def test_a_rendered_letter_hides_another_collectives_unpublished_review(
    collective, outside, reviews, django_capture_on_commit_callbacks
):
    mayor = in_office(outside, "maire")
    template = LetterTemplateFactory(collective=collective, body=BODY)

    # Staff may write beyond the territory; the letter still speaks for the collective.
    with django_capture_on_commit_callbacks(execute=True):
        interpellation, _job = interpellation_create(
            collective=collective, template=template, by=UserFactory(is_staff=True), officials=[mayor.official]
        )

    [letter] = interpellation.letters.all()
    text = pdf_text(pdf_of(letter))
    assert "[01 partiellement réalisée Bilan publié]" in text
    assert "[02 non évaluée ]" in text
    assert "Secret" not in text
    assert "Secret" not in letter.html
