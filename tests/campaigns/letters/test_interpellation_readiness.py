"""The readiness check before an interpellation: what would make its letters look wrong, the
API's refusal while a blocking point remains, and the caller's confirmation."""

import pytest

from campaigns.letters.services.interpellations import interpellation_readiness_check
from campaigns.models import Interpellation, Membership
from tests.campaigns.factories import (
    LetterTemplateFactory,
    MembershipFactory,
    PledgedMeasureFactory,
    PledgeFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    shared_templates,
)

pytestmark = pytest.mark.django_db

PLACEHOLDER = "Mesure 06 (intitulé à compléter depuis la liste officielle)"


@pytest.fixture
def coordinator(collective):
    """A coordinator who signs letters under her full name."""
    membership = MembershipFactory(
        collective=collective, role=Membership.Role.COORDINATOR, signs_letters=True, user__first_name="Camille",
        user__last_name="Martin",
    )  # fmt: skip
    return membership.user


@pytest.fixture
def mayor(salon):
    return in_office(salon, "maire", first_name="Élodie", last_name="IMBERT", email="maire@salon.example").official


@pytest.fixture
def interpellation_template():
    return next(template for template in shared_templates() if template.kind == "interpellation")


@pytest.fixture
def placeholder_pledge(salon, collective, pact, measures):
    """Salon's pledge lists a measure whose title is still unknown."""
    measure = measures[0]
    measure.title = PLACEHOLDER
    measure.save()
    pledge = PledgeFactory(pact=pact, municipality=salon, collective=collective)
    PledgedMeasureFactory(pledge=pledge, measure=measure)
    return measure


def codes(items) -> list[tuple[str, bool]]:
    return [(item.code, item.blocking) for item in items]


def check(collective, template, by, officials, **fields):
    return interpellation_readiness_check(
        collective=collective, template=template, by=by, officials=officials, **fields
    )


def test_a_ready_interpellation_has_nothing_to_say(collective, coordinator, mayor, interpellation_template):
    assert check(collective, interpellation_template, coordinator, [mayor]) == []


def test_a_placeholder_title_the_letters_would_print_blocks(
    collective, coordinator, mayor, interpellation_template, placeholder_pledge
):
    [item] = check(collective, interpellation_template, coordinator, [mayor])

    assert (item.code, item.blocking, item.concerns) == ("placeholder_title", True, "measure")
    assert item.object_id == str(placeholder_pledge.pk)
    assert f"La mesure {placeholder_pledge.code} porte encore un intitulé provisoire" in item.message


def test_a_placeholder_the_template_does_not_print_says_nothing(collective, coordinator, mayor, placeholder_pledge):
    template = LetterTemplateFactory(collective=collective, body="Nous souhaitons vous rencontrer.")

    assert check(collective, template, coordinator, [mayor]) == []


def test_an_official_without_any_address_blocks(collective, coordinator, salon, interpellation_template):
    salon.town_hall_address = salon.town_hall_postal_code = ""
    salon.save()
    deputy = in_office(salon, "adjoint", first_name="Inès", last_name="ROUX", email="").official

    [item] = check(collective, interpellation_template, coordinator, [deputy], delivery="email")

    assert (item.code, item.blocking, item.concerns, item.label) == (
        "official_without_address",
        True,
        "official",
        "Inès ROUX",
    )
    assert "ni adresse électronique utilisable ni adresse postale de mairie" in item.message


def test_an_official_with_an_email_needs_no_postal_address_when_sent_by_email(
    collective, coordinator, salon, mayor, interpellation_template
):
    salon.town_hall_postal_code = ""
    salon.save()

    assert check(collective, interpellation_template, coordinator, [mayor], delivery="email") == []
    assert codes(check(collective, interpellation_template, coordinator, [mayor], delivery="pdf")) == [
        ("official_without_address", True)
    ]


def test_a_signatory_without_a_full_name_and_a_collective_without_address_block(
    collective, coordinator, mayor, interpellation_template
):
    unnamed = MembershipFactory(collective=collective, signs_letters=True, user__first_name="", user__last_name="")
    collective.postal_address = ""
    collective.save()

    items = check(collective, interpellation_template, coordinator, [mayor])

    assert codes(items) == [("collective_without_address", True), ("signatory_without_name", True)]
    assert items[1].label == unnamed.user.username
    assert "jamais de l'identifiant" in items[1].message


def test_no_signatory_at_all_is_said_without_blocking(collective, mayor, interpellation_template):
    by = MembershipFactory(collective=collective).user

    assert codes(check(collective, interpellation_template, by, [mayor])) == [("no_signatory", False)]


def test_a_letter_over_the_page_limit_blocks(collective, coordinator, mayor, settings):
    settings.LETTER_MAX_PAGES = 1
    template = LetterTemplateFactory.build(collective=collective, body="\n\n".join(["Un paragraphe."] * 80))
    template.save()

    [item] = check(collective, template, coordinator, [mayor])

    assert (item.code, item.blocking, item.concerns) == ("over_page_limit", True, "template")
    assert "au-delà de la limite de 1" in item.message


def body(collective, template, official, **fields) -> dict:
    return {"collective": collective.slug, "template": template.pk, "officials": [official.pk], **fields}


def test_the_api_refuses_an_interpellation_with_a_blocking_point_and_lists_them(
    api, collective, coordinator, mayor, interpellation_template, placeholder_pledge
):
    api.force_authenticate(coordinator)

    response = api.post("/api/interpellations/", body(collective, interpellation_template, mayor), format="json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith("Des courriers auraient l'air faux")
    [item] = response.json()["readiness"]
    assert (item["code"], item["blocking"]) == ("placeholder_title", True)
    assert item["object_id"] == str(placeholder_pledge.pk)
    assert not Interpellation.objects.exists()


def test_the_caller_may_confirm_and_send_anyway(
    api, collective, coordinator, mayor, interpellation_template, placeholder_pledge
):
    api.force_authenticate(coordinator)

    response = api.post(
        "/api/interpellations/", body(collective, interpellation_template, mayor, confirm=True), format="json"
    )

    assert response.status_code == 202, response.json()
    assert Interpellation.objects.count() == 1


def test_the_readiness_endpoint_answers_for_a_would_be_interpellation(
    api, collective, coordinator, mayor, interpellation_template, placeholder_pledge
):
    api.force_authenticate(coordinator)

    response = api.post(
        "/api/interpellations/readiness/", body(collective, interpellation_template, mayor), format="json"
    )

    assert response.status_code == 200
    assert response.json()["ready"] is False
    assert [item["code"] for item in response.json()["items"]] == ["placeholder_title"]
    assert not Interpellation.objects.exists()


def test_the_preview_shows_the_readiness_items(
    api, collective, coordinator, mayor, interpellation_template, placeholder_pledge
):
    api.force_authenticate(coordinator)

    response = api.post(
        f"/api/letter-templates/{interpellation_template.pk}/preview/",
        {"official": mayor.pk, "collective": collective.slug},
        format="json",
    )

    assert response.status_code == 200
    assert [item["code"] for item in response.json()["readiness"]] == ["placeholder_title"]
    assert PLACEHOLDER in response.json()["html"]
