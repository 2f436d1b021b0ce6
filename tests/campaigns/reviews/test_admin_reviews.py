"""The admin of reviews: staff manage scales and cycles; members assess their territory's
measures while the cycle is open, and every change lands in the history."""

import pytest

from campaigns.models import (
    Assessment,
    AssessmentChange,
    AssessmentStatus,
    Membership,
    ReviewCycle,
    ScoringScale,
)
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import MembershipFactory, assess, assessment_of, default_scale, make_cycle, sign

pytestmark = pytest.mark.django_db

S = AssessmentStatus
CYCLES = "/admin/campaigns/reviewcycle/"
ASSESSMENTS = "/admin/campaigns/assessment/"


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:2], collective=collective, list_name="Salon en transition")


@pytest.fixture
def pledged_aix(pact, outside, other_collective, measures):
    return sign(pact, outside, measures[:1], collective=other_collective, list_name="Aix demain")


@pytest.fixture
def cycle(pact, pledged, pledged_aix):
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(is_staff=True))
    return client


@pytest.fixture
def member(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)
    return client


@pytest.fixture
def outsider(client, other_collective):
    client.force_login(MembershipFactory(collective=other_collective).user)
    return client


def change_url(obj) -> str:
    return f"/admin/campaigns/{obj._meta.model_name}/{obj.pk}/change/"


def run_action(client, action: str, *cycles):
    return client.post(CYCLES, {"action": action, "_selected_action": [cycle.pk for cycle in cycles]})


def assessment_data(**changes) -> dict:
    data = {
        "status": S.NOT_ASSESSED,
        "progress": "",
        "evidence": "",
        "sources": "",
        "municipality_reply": "",
        "reply_date": "",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
        "changes-MIN_NUM_FORMS": "0",
        "changes-MAX_NUM_FORMS": "1000",
        "_save": "Enregistrer",
    }
    return {**data, **changes}


# Scales and cycles: staff


def test_staff_create_a_scale_with_its_weights(staff):
    assert staff.get("/admin/campaigns/scoringscale/add/").status_code == 200
    weights = [("done", "1", "on"), ("partial", "0.5", "on"), ("not_measurable", "0", "")]
    data = {
        "name": "Barème exigeant",
        "description": "",
        "status_weights-TOTAL_FORMS": str(len(weights)),
        "status_weights-INITIAL_FORMS": "0",
        "status_weights-MIN_NUM_FORMS": "0",
        "status_weights-MAX_NUM_FORMS": "7",
        "_save": "Enregistrer",
    }
    for index, (status, weight, counted) in enumerate(weights):
        data |= {f"status_weights-{index}-status": status, f"status_weights-{index}-weight": weight}
        if counted:
            data[f"status_weights-{index}-counted"] = counted

    response = staff.post("/admin/campaigns/scoringscale/add/", data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert ScoringScale.objects.get(name="Barème exigeant").weights() == {"done": 1.0, "partial": 0.5}


def test_members_do_not_see_scales(member):
    assert member.get("/admin/campaigns/scoringscale/").status_code == 403
    assert "/admin/campaigns/scoringscale/" not in member.get("/admin/").content.decode()


def test_a_cycle_created_in_the_admin_gets_its_non_evaluee_rows(staff, pact, pledged, pledged_aix):
    response = staff.post(
        "/admin/campaigns/reviewcycle/add/",
        {
            "name": "Bilan 2026",
            "pact": pact.pk,
            "opens_on": "01/09/2026",
            "closes_on": "31/12/2026",
            "scale": default_scale().pk,
            "_save": "Enregistrer",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    cycle = ReviewCycle.objects.get(name="Bilan 2026")
    assert cycle.status == ReviewCycle.Status.OPEN
    assert Assessment.objects.filter(cycle=cycle, status=S.NOT_ASSESSED).count() == 3


def test_staff_close_publish_and_reopen_cycles_with_actions(staff, cycle, pact, measures, salon):
    response = run_action(staff, "close_cycles", cycle)
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.status == ReviewCycle.Status.CLOSED

    run_action(staff, "publish_cycles", cycle)
    cycle.refresh_from_db()
    assert cycle.is_published

    [late] = sign(pact, salon, measures[3:], list_name="Salon demain")
    response = run_action(staff, "open_cycles", cycle)
    cycle.refresh_from_db()
    assert cycle.status == ReviewCycle.Status.OPEN
    assert assessment_of(cycle, late).status == S.NOT_ASSESSED
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages[-1] == "1 cycle(s) ouvert(s) ; 1 mesure(s) signée(s) ajoutée(s) en « non évaluée »."


def test_the_cycle_actions_have_french_names(staff, cycle):
    content = staff.get(CYCLES).content.decode()

    for label in ("Ouvrir les cycles sélectionnés", "Clore les cycles sélectionnés", "Publier les cycles sélectionnés"):
        assert label in content


def test_members_read_cycles_but_cannot_run_the_actions(member, cycle):
    response = member.get(CYCLES)
    assert response.status_code == 200
    assert "Clore les cycles sélectionnés" not in response.content.decode()

    run_action(member, "close_cycles", cycle)
    run_action(member, "publish_cycles", cycle)

    cycle.refresh_from_db()
    assert (cycle.status, cycle.is_published) == (ReviewCycle.Status.OPEN, False)


def test_cycles_filter_by_status_and_publication(staff, cycle, pact):
    published = make_cycle(pact, name="Bilan 2023", published=True)

    response = staff.get(CYCLES, {"is_published__exact": "1"})

    assert [row.pk for row in response.context["cl"].result_list] == [published.pk]


# Assessments: members of the territory, while the cycle is open


def test_a_member_lists_only_their_territorys_assessments(member, cycle, pledged):
    response = member.get(ASSESSMENTS)

    assert response.status_code == 200
    assert {row.pk for row in response.context["cl"].result_list} == {assessment_of(cycle, pm).pk for pm in pledged}
    assert "Aix demain" not in response.content.decode()


def test_staff_list_every_assessment_and_filter_by_status(staff, cycle, pledged):
    assess(cycle, pledged[0], S.DONE)

    assert len(staff.get(ASSESSMENTS).context["cl"].result_list) == 3
    [done] = staff.get(ASSESSMENTS, {"status__exact": "done"}).context["cl"].result_list
    assert done.pledged_measure == pledged[0]


def test_the_assessment_list_searches_municipalities(staff, cycle):
    rows = staff.get(ASSESSMENTS, {"q": "Aix"}).context["cl"].result_list

    assert {row.pledged_measure.pledge.list_name for row in rows} == {"Aix demain"}


def test_a_member_assesses_a_measure_and_the_change_is_in_the_history(member, cycle, pledged, collective):
    assessment = assessment_of(cycle, pledged[0])

    response = member.post(
        change_url(assessment),
        assessment_data(
            status=S.DONE, evidence="Délibération du 12 mars", municipality_reply="Merci", reply_date="02/10/2026"
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assessment.refresh_from_db()
    assert (assessment.status, assessment.progress, assessment.evidence) == (S.DONE, 100, "Délibération du 12 mars")
    assert assessment.assessed_by == collective.members.get()
    [change] = AssessmentChange.objects.filter(assessment=assessment)
    assert (change.changed_by, change.old_status, change.new_status, change.new_progress) == (
        collective.members.get(),
        S.NOT_ASSESSED,
        S.DONE,
        100,
    )


def test_the_history_shows_on_the_assessment_page(member, cycle, pledged):
    assess(cycle, pledged[0], S.IN_PROGRESS, 40)

    content = member.get(change_url(assessment_of(cycle, pledged[0]))).content.decode()

    assert "Historique des évaluations" in content
    assert "en cours" in content
    assert "40" in content


def test_the_admin_refuses_a_progress_for_non_mesurable(member, cycle, pledged):
    assessment = assessment_of(cycle, pledged[0])

    response = member.post(change_url(assessment), assessment_data(status=S.NOT_MEASURABLE, progress="30"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["progress"] == [
        "Une mesure « non mesurable » n'a pas d'avancement."
    ]
    assessment.refresh_from_db()
    assert assessment.status == S.NOT_ASSESSED


def test_an_assessment_of_a_closed_cycle_is_read_only(member, cycle, pledged):
    cycle.status = ReviewCycle.Status.CLOSED
    cycle.save()
    assessment = assessment_of(cycle, pledged[0])

    response = member.get(change_url(assessment))
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False

    assert member.post(change_url(assessment), assessment_data(status=S.DONE)).status_code == 403
    assessment.refresh_from_db()
    assert assessment.status == S.NOT_ASSESSED


def test_an_outsider_cannot_open_or_change_the_territorys_assessments(outsider, cycle, pledged):
    assessment = assessment_of(cycle, pledged[0])

    assert outsider.get(change_url(assessment)).status_code in (302, 403, 404)
    outsider.post(change_url(assessment), assessment_data(status=S.DONE))

    assessment.refresh_from_db()
    assert assessment.status == S.NOT_ASSESSED


def test_assessments_are_not_added_or_deleted_by_members(member, cycle, pledged):
    assessment = assessment_of(cycle, pledged[0])

    assert member.get(f"{ASSESSMENTS}add/").status_code == 403
    assert member.post(f"/admin/campaigns/assessment/{assessment.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Assessment.objects.filter(pk=assessment.pk).exists()


def test_the_review_admin_speaks_french(member, cycle):
    content = member.get("/admin/").content.decode()

    assert "Évaluations" in content
    assert "Cycles de bilan" in content
