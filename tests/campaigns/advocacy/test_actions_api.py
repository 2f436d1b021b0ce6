import csv
import datetime as dt
import io

import pytest

from campaigns.models import Action
from tests.campaigns.factories import ActionFactory, CampaignFactory
from tests.officials.factories import MandateFactory, OfficialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(collective, other_collective, salon, outside, pact):
    campaign = CampaignFactory(collective=collective, title="Mobilités durables")
    mobility = pact.measures.get(code="01")
    letter = ActionFactory(
        collective=collective,
        campaign=campaign,
        kind="letter",
        date=dt.date(2026, 9, 15),
        municipality=salon,
        title="Courrier au maire sur le plan vélo",
        outcome="success",
        outcome_note="Réponse reçue ; plan vélo promis",
    )
    letter.measures.add(mobility)
    meeting = ActionFactory(
        collective=collective,
        campaign=campaign,
        kind="meeting",
        date=dt.date(2026, 10, 8),
        municipality=salon,
        title="Rendez-vous avec la maire",
        outcome="partial",
    )
    question = ActionFactory(
        collective=collective,
        kind="council_question",
        date=dt.date(2026, 11, 5),
        municipality=salon,
        title="Question en conseil municipal",
        outcome="pending",
    )
    elsewhere = ActionFactory(
        collective=other_collective,
        kind="petition",
        date=dt.date(2026, 10, 1),
        municipality=outside,
        title="Pétition à Aix",
    )
    return {"campaign": campaign, "mobility": mobility, "letter": letter, "meeting": meeting,
            "question": question, "elsewhere": elsewhere}  # fmt: skip


def titles(api, **params):
    response = api.get("/api/actions/", params)
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


def test_actions_are_listed_newest_first(api, log):
    assert titles(api) == [
        "Question en conseil municipal",
        "Rendez-vous avec la maire",
        "Pétition à Aix",
        "Courrier au maire sur le plan vélo",
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"collective": "pays-aixois"}, ["Pétition à Aix"]),
        ({"kind": "meeting"}, ["Rendez-vous avec la maire"]),
        ({"outcome": "success"}, ["Courrier au maire sur le plan vélo"]),
        ({"municipality": "13001"}, ["Pétition à Aix"]),
        ({"date_after": "2026-10-01", "date_before": "2026-10-31"}, ["Rendez-vous avec la maire", "Pétition à Aix"]),
        ({"search": "vélo"}, ["Courrier au maire sur le plan vélo"]),
        ({"ordering": "date"}, ["Courrier au maire sur le plan vélo", "Pétition à Aix", "Rendez-vous avec la maire",
                                "Question en conseil municipal"]),
    ],
)  # fmt: skip
def test_actions_filter_search_and_order(api, log, params, expected):
    assert titles(api, **params) == expected


def test_actions_filter_by_campaign_and_measure(api, log):
    assert titles(api, campaign=log["campaign"].pk) == [
        "Rendez-vous avec la maire",
        "Courrier au maire sur le plan vélo",
    ]
    assert titles(api, measure=log["mobility"].pk) == ["Courrier au maire sur le plan vélo"]


def test_a_bad_filter_value_is_a_400_that_names_the_field(api, log):
    response = api.get("/api/actions/", {"date_after": "hier"})
    assert response.status_code == 400
    assert "date" in response.json()


def test_links_must_be_urls(as_role, collective):
    response = as_role("member").post(
        "/api/actions/",
        {"collective": collective.slug, "kind": "other", "date": "2026-10-01", "title": "x", "links": ["pas un lien"]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["links"] == {"0": ["Saisissez une URL valide."]}


def test_an_action_cannot_join_another_collectives_campaign(as_role, collective, other_collective):
    foreign = CampaignFactory(collective=other_collective)
    response = as_role("member").post(
        "/api/actions/",
        {"collective": collective.slug, "campaign": foreign.pk, "kind": "other", "date": "2026-10-01", "title": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"campaign": ["Cette campagne appartient à un autre collectif."]}


def parse_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf"), "a BOM makes spreadsheets read UTF-8"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_the_action_list_exports_to_csv_with_french_headers_and_the_same_filters(api, log):
    official = OfficialFactory(first_name="Élodie", last_name="IMBERT")
    log["letter"].officials.add(official)
    for index in range(60):  # more than a page: the export is the whole list
        ActionFactory(collective=log["letter"].collective, date=dt.date(2026, 1, 1) + dt.timedelta(days=index))

    rows = parse_csv(api.get("/api/actions/", {"format": "csv", "outcome": "success"}))

    assert rows[0][:4] == ["Date", "Type", "Titre", "Collectif"]
    assert len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["Date"] == "15/09/2026"
    assert record["Type"] == "courrier"
    assert record["Résultat"] == "succès"
    assert record["Élu·es visé·es"] == "Élodie IMBERT"
    assert record["Mesures"] == "01"
    assert record["Commentaire"] == "Réponse reçue ; plan vélo promis"  # the separator inside a cell is quoted
    assert len(parse_csv(api.get("/api/actions/", {"format": "csv"}))) == 1 + 4 + 60


def test_private_actions_stay_out_of_an_anonymous_export(api, log):
    Action.objects.filter(pk=log["question"].pk).update(is_public=False)
    rows = parse_csv(api.get("/api/actions/", {"format": "csv"}))
    assert "Question en conseil municipal" not in [row[2] for row in rows]


def test_the_campaign_and_pledge_lists_export_to_csv(api, log):
    campaigns = parse_csv(api.get("/api/campaigns/", {"format": "csv"}))
    assert campaigns[0][:3] == ["Titre", "Collectif", "Statut"]
    assert campaigns[1][:3] == ["Mobilités durables", "Pays Salonais", "en cours"]
    pledges = parse_csv(api.get("/api/pledges/", {"format": "csv"}))
    assert pledges[0][:3] == ["Commune", "Code INSEE", "Liste"]


def test_campaigns_filter_by_period_overlap(api, collective):
    CampaignFactory(collective=collective, title="Été", start_date=dt.date(2026, 6, 1), end_date=dt.date(2026, 8, 31))
    CampaignFactory(collective=collective, title="Automne", start_date=dt.date(2026, 9, 1), end_date=None)

    response = api.get("/api/campaigns/", {"date_after": "2026-08-15", "date_before": "2026-08-20"})
    assert [item["title"] for item in response.json()["results"]] == ["Été"]
    response = api.get("/api/campaigns/", {"date_after": "2026-12-01"})
    assert [item["title"] for item in response.json()["results"]] == ["Automne"]


def test_a_campaign_cannot_end_before_it_starts(as_role, collective):
    response = as_role("member").post(
        "/api/campaigns/",
        {"collective": collective.slug, "title": "x", "start_date": "2026-09-01", "end_date": "2026-01-01"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["La fin de la campagne précède son début."]}


@pytest.mark.parametrize("count", [1, 25])
def test_lists_run_a_constant_number_of_queries(as_role, django_assert_max_num_queries, collective, salon, pact, count):
    for _ in range(count):
        campaign = CampaignFactory(collective=collective)
        campaign.municipalities.add(salon)
        campaign.measures.add(*pact.measures.all())
        action = ActionFactory(collective=collective, campaign=campaign, municipality=salon)
        action.measures.add(*pact.measures.all())
        action.officials.add(MandateFactory(municipality=salon).official)
    client = as_role("member")
    client.get("/api/me/")  # warm the session-independent caches
    for url in ["/api/actions/", "/api/campaigns/", "/api/collectives/", "/api/measures/", "/api/pacts/"]:
        # page count + rows + prefetches + the user's memberships
        with django_assert_max_num_queries(7):
            assert client.get(url, {"page_size": 100}).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/api/actions/", {"format": "csv"}).status_code == 200


def test_the_public_exports_write_formulas_as_text(api, log):
    Action.objects.filter(pk=log["letter"].pk).update(title='=HYPERLINK("http://evil.example";"clic")')
    CampaignFactory(collective=log["letter"].collective, title="@SOMME(A1:A9)", is_public=True)

    actions = parse_csv(api.get("/api/actions/", {"format": "csv", "outcome": "success"}))
    campaigns = parse_csv(api.get("/api/campaigns/", {"format": "csv"}))

    assert actions[1][2] == '\'=HYPERLINK("http://evil.example";"clic")'
    assert "'@SOMME(A1:A9)" in [row[0] for row in campaigns]
