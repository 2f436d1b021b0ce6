"""The review grid of the admin: every pledged measure of a municipality on one page, saved
in one go through the grid service; a refused row shows its reason on its row and nothing is
saved."""

import re

import pytest

from campaigns.models import AssessmentChange, AssessmentStatus, Membership, ReviewCycle
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import MembershipFactory, assess, assessment_of, make_cycle, sign

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:3], collective=collective, list_name="Salon en transition")


@pytest.fixture
def pledged_aix(pact, outside, other_collective, measures):
    return sign(pact, outside, measures[:1], collective=other_collective, list_name="Aix demain")


@pytest.fixture
def cycle(pact, pledged, pledged_aix):
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


@pytest.fixture
def volunteer(collective):
    return MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user


@pytest.fixture
def member(client, volunteer):
    client.force_login(volunteer)
    return client


@pytest.fixture
def outsider(client, other_collective):
    client.force_login(MembershipFactory(collective=other_collective).user)
    return client


def grid_url(cycle, insee="13103") -> str:
    return f"/admin/campaigns/reviewcycle/{cycle.pk}/municipalities/{insee}/grid/"


def grid_data(response, **rows) -> dict:
    """The grid's form as the page sends it, with ``rows`` ({"m<id>": {field: value}}) changed."""
    data = {}
    for form in [row for _name, group in response.context["groups"] for row in group]:
        for name in form.fields:
            value = form.initial.get(name)
            key = f"{form.prefix}-{name}"
            data[key] = value if value is not None else ""
    for prefix, changes in rows.items():
        for name, value in changes.items():
            data[f"{prefix}-{name}"] = value
    return data


def row_html(response, pledged_measure) -> str:
    content = response.content.decode()
    match = re.search(rf'<tbody id="row-m{pledged_measure.pk}".*?</tbody>', content, re.S)
    assert match, f"no row for {pledged_measure}"
    return match.group(0)


def test_a_member_sees_every_pledged_measure_of_their_municipality_on_one_page(member, cycle, pledged):
    assess(cycle, pledged[1], S.IN_PROGRESS, 40, evidence="Étude lancée", sources=["https://salon.example/etude"])
    pledged[0].level = pledged[0].measure.levels.get(rank=2)
    pledged[0].save()

    response = member.get(grid_url(cycle))

    assert response.status_code == 200
    assert [form.pledged for form in response.context["groups"][0][1]] == pledged
    second = row_html(response, pledged[1])
    assert 'value="40"' in second
    assert "Étude lancée" in second
    assert f'inputmode="url" name="m{pledged[1].pk}-sources" value="https://salon.example/etude"' in second
    assert "niveau 2" in row_html(response, pledged[0])


def test_a_member_saves_several_rows_in_one_go_through_the_service(member, cycle, pledged, volunteer):
    page = member.get(grid_url(cycle))
    a, b = f"m{pledged[0].pk}", f"m{pledged[1].pk}"
    data = grid_data(page, **{a: {"status": S.DONE}, b: {"status": S.PARTIAL, "progress": "60"}})
    data[f"{a}-sources"] = ["https://salon.example/deliberation", "salon.example/presse", ""]
    data[f"{b}-evidence"] = "Deux écoles sur quatre"

    response = member.post(grid_url(cycle), data)

    assert response.status_code == 302, response.context.get("refusal")
    done, partial = assessment_of(cycle, pledged[0]), assessment_of(cycle, pledged[1])
    assert (done.status, done.progress, done.sources) == (
        S.DONE,
        100,
        ["https://salon.example/deliberation", "https://salon.example/presse"],
    )
    assert (partial.status, partial.progress, partial.evidence) == (S.PARTIAL, 60, "Deux écoles sur quatre")
    assert done.assessed_by == volunteer
    assert AssessmentChange.objects.filter(changed_by=volunteer).count() == 2
    assert assessment_of(cycle, pledged[2]).assessed_at is None  # untouched row, not saved


def test_a_changed_status_gives_its_default_progress_when_the_progress_was_left_alone(member, cycle, pledged):
    assess(cycle, pledged[0], S.IN_PROGRESS)  # 25 %
    page = member.get(grid_url(cycle))

    member.post(grid_url(cycle), grid_data(page, **{f"m{pledged[0].pk}": {"status": S.DONE}}))

    assert (assessment_of(cycle, pledged[0]).status, assessment_of(cycle, pledged[0]).progress) == (S.DONE, 100)


def test_a_refused_row_shows_its_reason_on_its_row_and_nothing_is_saved(member, cycle, pledged):
    page = member.get(grid_url(cycle))
    data = grid_data(
        page,
        **{
            f"m{pledged[0].pk}": {"status": S.DONE},
            f"m{pledged[1].pk}": {"status": S.NOT_MEASURABLE, "progress": "30"},
        },
    )

    response = member.post(grid_url(cycle), data)

    assert response.status_code == 200
    assert "une mesure « non mesurable » n&#x27;a pas d&#x27;avancement." in row_html(response, pledged[1])
    assert "errorlist" not in row_html(response, pledged[0])
    assert "Rien n&#x27;a été enregistré" in response.content.decode()
    assert [assessment_of(cycle, pm).status for pm in pledged] == [S.NOT_ASSESSED] * 3
    assert not AssessmentChange.objects.exists()


def test_a_badly_typed_source_is_refused_on_its_row(member, cycle, pledged):
    page = member.get(grid_url(cycle))
    data = grid_data(page, **{f"m{pledged[2].pk}": {"status": S.DONE}})
    data[f"m{pledged[2].pk}-sources"] = ["pas une adresse"]

    response = member.post(grid_url(cycle), data)

    assert response.status_code == 200
    assert "n&#x27;est pas une adresse web" in row_html(response, pledged[2])
    assert assessment_of(cycle, pledged[2]).status == S.NOT_ASSESSED


def test_every_refused_row_shows_at_once(member, cycle, pledged):
    page = member.get(grid_url(cycle))
    data = grid_data(
        page,
        **{f"m{pledged[0].pk}": {"status": S.DONE, "progress": "150"}, f"m{pledged[2].pk}": {"status": S.DONE}},
    )
    data[f"m{pledged[2].pk}-sources"] = ["pas une adresse"]

    response = member.post(grid_url(cycle), data)

    assert "inférieure ou égale à 100" in row_html(response, pledged[0])
    assert "n&#x27;est pas une adresse web" in row_html(response, pledged[2])
    assert [assessment_of(cycle, pm).status for pm in pledged] == [S.NOT_ASSESSED] * 3


def test_a_member_of_another_collective_is_refused(outsider, cycle, pledged):
    assert outsider.get(grid_url(cycle)).status_code == 403

    response = outsider.post(grid_url(cycle), {f"m{pledged[0].pk}-status": S.DONE})

    assert response.status_code == 403
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_a_person_outside_any_collective_is_not_let_in(client, cycle):
    client.force_login(UserFactory())

    response = client.get(grid_url(cycle))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_a_closed_cycles_grid_reads_but_does_not_save(member, cycle, pledged):
    cycle.status = ReviewCycle.Status.CLOSED
    cycle.save()

    page = member.get(grid_url(cycle))
    assert "Enregistrer la grille" not in page.content.decode()
    member.post(grid_url(cycle), {f"m{pledged[0].pk}-status": S.DONE})

    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_the_cycles_page_lists_the_members_municipalities_with_links_to_their_grid(member, cycle):
    content = member.get(f"/admin/campaigns/reviewcycle/{cycle.pk}/change/").content.decode()

    assert f'href="{grid_url(cycle)}"' in content
    assert "Salon-de-Provence" in content
    assert grid_url(cycle, "13001") not in content  # not their territory
    listing = member.get(f"/admin/campaigns/reviewcycle/{cycle.pk}/municipalities/").content.decode()
    assert f'href="{grid_url(cycle)}"' in listing
    assert "0 / 3" in listing


def test_staff_see_every_municipality_of_the_cycle(client, cycle):
    client.force_login(UserFactory(is_staff=True))

    listing = client.get(f"/admin/campaigns/reviewcycle/{cycle.pk}/municipalities/").content.decode()

    assert f'href="{grid_url(cycle)}"' in listing
    assert f'href="{grid_url(cycle, "13001")}"' in listing


def test_the_cycles_municipalities_are_searched_by_name_whatever_the_accents(client, cycle):
    client.force_login(UserFactory(is_staff=True))

    listing = client.get(f"/admin/campaigns/reviewcycle/{cycle.pk}/municipalities/", {"q": "AIX-EN-PROVENCÉ"})

    assert [row["insee"] for row in listing.context["rows"]] == ["13001"]


def test_the_municipalitys_page_leads_to_its_grids(member, cycle, salon):
    page = member.get(f"/admin/officials/municipality/{salon.pk}/change/").content.decode()
    cycles_url = f"/admin/campaigns/reviewcycle/municipality/{salon.pk}/"
    assert f'href="{cycles_url}"' in page

    content = member.get(cycles_url).content.decode()

    assert f'href="{grid_url(cycle)}"' in content
    assert "Bilan de mi-mandat 2026" in content


def test_the_assessment_page_edits_sources_as_a_list_of_addresses(member, cycle, pledged):
    assessment = assessment_of(cycle, pledged[0])
    url = f"/admin/campaigns/assessment/{assessment.pk}/change/"
    assert 'inputmode="url" name="sources"' in member.get(url).content.decode()

    response = member.post(
        url,
        {
            "status": S.DONE,
            "progress": "",
            "evidence": "",
            "sources": ["https://salon.example/a", "salon.example/b", ""],
            "municipality_reply": "",
            "reply_date": "",
            "changes-TOTAL_FORMS": "0",
            "changes-INITIAL_FORMS": "0",
            "changes-MIN_NUM_FORMS": "0",
            "changes-MAX_NUM_FORMS": "1000",
            "_save": "Enregistrer",
        },
    )

    assert response.status_code == 302
    assert assessment_of(cycle, pledged[0]).sources == ["https://salon.example/a", "https://salon.example/b"]
