"""Review cycles: staff create, open, close and publish them; a cycle accepts edits only while open."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Assessment, AssessmentStatus, Pledge, ReviewCycle
from tests.campaigns.factories import (
    ScoringScaleFactory,
    assess,
    assessment_of,
    default_scale,
    make_cycle,
    make_pact,
    sign,
)
from tests.officials.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "member", "coordinator", "staff"]
REFUSED = {"anonymous": 401, "outsider": 403, "member": 403, "coordinator": 403}


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:3], collective=collective, list_name="Salon en transition")


@pytest.fixture
def cycle(pact, pledged):
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


def cycle_body(pact, **changes) -> dict:
    return {"pact": pact.pk, "name": "Bilan 2026", "opens_on": "2026-09-01", "closes_on": "2026-12-31", **changes}


def grid_url(cycle, insee="13103") -> str:
    return f"/api/review-cycles/{cycle.pk}/municipalities/{insee}/grid/"


# Creating a cycle


def test_staff_create_a_cycle_with_one_non_evaluee_row_per_pledged_measure_of_elected_lists(
    as_role, pact, salon, measures, pledged
):
    sign(
        pact,
        MunicipalityFactory(insee_code="13200", name="Arles"),
        measures,
        list_name="Battue",
        election_outcome=Pledge.Outcome.NOT_ELECTED,
    )

    response = as_role("staff").post("/api/review-cycles/", cycle_body(pact), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["status"], body["status_display"], body["is_published"]) == ("open", "ouvert", False)
    assert body["scale_name"] == "Barème citoyen"
    rows = Assessment.objects.filter(cycle_id=body["id"])
    assert sorted(rows.values_list("pledged_measure_id", flat=True)) == sorted(pm.pk for pm in pledged)
    assert set(rows.values_list("status", flat=True)) == {AssessmentStatus.NOT_ASSESSED}


def test_a_cycle_created_through_the_api_without_a_scale_gets_the_default_one(as_role, pact):
    ScoringScaleFactory(name="Autre barème", weights={AssessmentStatus.DONE: ("1", True)})

    response = as_role("staff").post("/api/review-cycles/", cycle_body(pact), format="json")

    assert ReviewCycle.objects.get(pk=response.json()["id"]).scale == default_scale()


def test_staff_choose_another_scale_for_a_cycle(as_role, pact):
    scale = ScoringScaleFactory(name="Barème exigeant", weights={AssessmentStatus.DONE: ("1", True)})

    response = as_role("staff").post("/api/review-cycles/", cycle_body(pact, scale=scale.pk), format="json")

    assert response.json()["scale_name"] == "Barème exigeant"


def test_a_cycle_that_closes_before_it_opens_is_refused_in_french(as_role, pact):
    response = as_role("staff").post(
        "/api/review-cycles/", cycle_body(pact, opens_on="2026-12-31", closes_on="2026-09-01"), format="json"
    )

    assert response.status_code == 400
    assert "La clôture précède l'ouverture." in str(response.json())
    assert not ReviewCycle.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", "outsider", "member", "coordinator"])
def test_only_staff_create_a_cycle(as_role, pact, role):
    response = as_role(role).post("/api/review-cycles/", cycle_body(pact), format="json")

    assert response.status_code == REFUSED[role]
    assert not ReviewCycle.objects.exists()


# Opening, closing, publishing


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_close_a_cycle(as_role, cycle, role):
    response = as_role(role).post(f"/api/review-cycles/{cycle.pk}/close/")

    cycle.refresh_from_db()
    if role == "staff":
        assert response.status_code == 200
        assert response.json()["status"] == "closed"
        assert cycle.status == ReviewCycle.Status.CLOSED
    else:
        assert response.status_code == REFUSED[role]
        assert cycle.status == ReviewCycle.Status.OPEN


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_open_a_closed_cycle(as_role, cycle, role):
    cycle.status = ReviewCycle.Status.CLOSED
    cycle.is_published = True  # so that anonymous visitors see it and the refusal is about the right
    cycle.save()

    response = as_role(role).post(f"/api/review-cycles/{cycle.pk}/open/")

    cycle.refresh_from_db()
    if role == "staff":
        assert response.status_code == 200
        assert cycle.status == ReviewCycle.Status.OPEN
    else:
        assert response.status_code == REFUSED[role]
        assert cycle.status == ReviewCycle.Status.CLOSED


@pytest.mark.parametrize("role", ROLES)
def test_only_staff_publish_a_cycle(as_role, cycle, role):
    response = as_role(role).post(f"/api/review-cycles/{cycle.pk}/publish/")

    cycle.refresh_from_db()
    if role == "staff":
        assert response.status_code == 200
        assert response.json()["is_published"] is True
        assert cycle.is_published
    else:
        assert response.status_code == REFUSED[role]
        assert not cycle.is_published


def test_staff_unpublish_a_cycle(as_role, cycle):
    cycle.is_published = True
    cycle.save()

    response = as_role("staff").post(f"/api/review-cycles/{cycle.pk}/unpublish/")

    assert response.status_code == 200
    cycle.refresh_from_db()
    assert not cycle.is_published


@pytest.mark.parametrize("role", ["outsider", "member", "coordinator"])
def test_members_cannot_edit_a_cycle_itself(as_role, cycle, role):
    response = as_role(role).patch(f"/api/review-cycles/{cycle.pk}/", {"name": "Renommé"}, format="json")

    assert response.status_code == 403
    cycle.refresh_from_db()
    assert cycle.name == "Bilan de mi-mandat 2026"


def test_publishing_and_status_are_not_writable_through_a_patch(as_role, cycle):
    as_role("staff").patch(f"/api/review-cycles/{cycle.pk}/", {"status": "closed", "is_published": True}, format="json")

    cycle.refresh_from_db()
    assert (cycle.status, cycle.is_published) == (ReviewCycle.Status.OPEN, False)


def test_staff_rename_a_cycle_and_change_its_dates(as_role, cycle):
    response = as_role("staff").patch(
        f"/api/review-cycles/{cycle.pk}/", {"name": "Bilan 2026 (bis)", "closes_on": "2027-01-31"}, format="json"
    )

    assert response.status_code == 200, response.json()
    cycle.refresh_from_db()
    assert (cycle.name, cycle.closes_on.isoformat()) == ("Bilan 2026 (bis)", "2027-01-31")


def test_a_cycles_pact_cannot_change_after_its_creation(as_role, cycle, pledged):
    other = make_pact(measures=1, principles=0, levels=0)

    response = as_role("staff").patch(f"/api/review-cycles/{cycle.pk}/", {"pact": other.pk}, format="json")

    assert response.status_code == 400
    assert response.json() == {"pact": ["Le pacte d'un cycle de bilan ne change plus après sa création."]}
    cycle.refresh_from_db()
    assert cycle.pact_id == pledged[0].pledge.pact_id


def test_reopening_a_cycle_adds_the_measures_pledged_since_as_non_evaluee(as_role, cycle, pact, measures):
    as_role("staff").post(f"/api/review-cycles/{cycle.pk}/close/")
    [late] = sign(pact, MunicipalityFactory(insee_code="13047", name="Istres"), measures[:1], list_name="Istres")

    response = as_role("staff").post(f"/api/review-cycles/{cycle.pk}/open/")

    assert response.status_code == 200
    assert assessment_of(cycle, late).status == AssessmentStatus.NOT_ASSESSED
    assert Assessment.objects.filter(cycle=cycle).count() == 4


def test_reopening_a_cycle_keeps_what_was_assessed(as_role, cycle, pledged):
    assess(cycle, pledged[0], AssessmentStatus.DONE)
    as_role("staff").post(f"/api/review-cycles/{cycle.pk}/close/")

    as_role("staff").post(f"/api/review-cycles/{cycle.pk}/open/")

    assert assessment_of(cycle, pledged[0]).status == AssessmentStatus.DONE


# A closed cycle accepts no edit


@pytest.fixture
def closed(cycle):
    cycle.status = ReviewCycle.Status.CLOSED
    cycle.save()
    return cycle


def test_a_closed_cycle_refuses_a_grid_save_in_french(as_role, closed, pledged):
    response = as_role("member").put(
        grid_url(closed), {"rows": [{"pledged_measure": pledged[0].pk, "status": "done"}]}, format="json"
    )

    assert response.status_code == 400
    assert "Le cycle « Bilan de mi-mandat 2026 » est clos : il n'accepte plus de modification." in str(response.json())
    assert assessment_of(closed, pledged[0]).status == AssessmentStatus.NOT_ASSESSED


def test_a_closed_cycle_refuses_an_import_in_french(as_role, closed, pledged):
    client = as_role("member")
    export = client.get(f"/api/review-cycles/{closed.pk}/export/").content
    edited = export.decode("utf-8-sig").replace("non évaluée", "réalisée").encode("utf-8")

    response = client.post(
        f"/api/review-cycles/{closed.pk}/import/",
        {"file": SimpleUploadedFile("bilan.csv", edited, content_type="text/csv")},
    )

    assert response.status_code == 400
    assert response.json() == {
        "file": ["Le cycle « Bilan de mi-mandat 2026 » est clos : il n'accepte plus de modification."],
        "error_count": 1,
    }
    assert set(Assessment.objects.values_list("status", flat=True)) == {AssessmentStatus.NOT_ASSESSED}


def test_a_closed_cycle_still_reads(as_role, closed, pledged):
    closed.is_published = True
    closed.save()

    response = as_role("anonymous").get(grid_url(closed))

    assert response.status_code == 200
    assert len(response.json()) == 3


def test_a_reopened_cycle_accepts_edits_again(as_role, closed, pledged):
    as_role("staff").post(f"/api/review-cycles/{closed.pk}/open/")

    response = as_role("member").put(
        grid_url(closed), {"rows": [{"pledged_measure": pledged[0].pk, "status": "done"}]}, format="json"
    )

    assert response.status_code == 200
    assert assessment_of(closed, pledged[0]).status == AssessmentStatus.DONE
