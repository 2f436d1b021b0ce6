import pytest

from campaigns.models import Measure, Pledge, PledgedMeasure
from tests.campaigns.factories import MeasureFactory, PledgedMeasureFactory, PledgeFactory, make_pact

pytestmark = pytest.mark.django_db


def payload(pact, municipality, collective, codes=("P1", "P2", "01", "02", "03"), **extra):
    measures = {measure.code: measure for measure in pact.measures.prefetch_related("levels")}
    items = []
    for code in codes:
        measure = measures[code]
        levels = list(measure.levels.all())
        items.append({"measure": measure.pk, "level": levels[-1].pk if levels else None, "local_wording": ""})
    return {
        "pact": pact.pk,
        "municipality": municipality.insee_code,
        "collective": collective.slug,
        "list_name": "Salon en transition",
        "signed_on": "2026-02-12",
        "election_outcome": "elected",
        "measures": items,
        **extra,
    }


def test_a_member_records_a_pledge_with_its_measures_in_one_request(as_role, pact, salon, collective):
    response = as_role("member").post("/api/pledges/", payload(pact, salon, collective), format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert [item["measure_code"] for item in body["measures"]] == ["P1", "P2", "01", "02", "03"]
    assert body["measures"][2]["level_rank"] == 2
    pledge = Pledge.objects.get()
    assert pledge.measures.count() == 5
    assert pledge.created_by is not None


def test_a_pledge_is_updated_with_its_measures_as_a_whole(as_role, pact, salon, collective):
    client = as_role("member")
    pledge_id = client.post("/api/pledges/", payload(pact, salon, collective), format="json").json()["id"]
    kept = PledgedMeasure.objects.get(pledge_id=pledge_id, measure__code="01").pk

    response = client.put(
        f"/api/pledges/{pledge_id}/",
        payload(pact, salon, collective, codes=("P1", "P2", "01", "03", "04"), list_name="Salon demain"),
        format="json",
    )

    assert response.status_code == 200, response.json()
    pledge = Pledge.objects.get()
    assert pledge.list_name == "Salon demain"
    assert sorted(pledge.measures.values_list("measure__code", flat=True)) == ["01", "03", "04", "P1", "P2"]
    assert PledgedMeasure.objects.filter(pk=kept).exists()  # unchanged rows keep their identity


def errors_for(as_role, body):
    response = as_role("member").post("/api/pledges/", body, format="json")
    assert response.status_code == 400
    assert not Pledge.objects.exists() and not PledgedMeasure.objects.exists()
    return response.json()


def test_too_few_measures_are_refused_in_french(as_role, pact, salon, collective):
    body = errors_for(as_role, payload(pact, salon, collective, codes=("P1", "P2", "01", "02")))
    assert body == {"measures": ["Au moins 3 mesures doivent être choisies ; 2 le sont."]}


def test_compulsory_principles_must_all_be_there(as_role, pact, salon, collective):
    body = errors_for(as_role, payload(pact, salon, collective, codes=("P1", "01", "02", "03")))
    assert body == {"measures": ["Les principes transversaux sont obligatoires ; il manque : P2."]}


def test_principles_may_be_left_out_when_the_pact_says_so(as_role, salon, collective):
    pact = make_pact(min_measures=3)
    pact.principles_required = False
    pact.save()
    response = as_role("member").post(
        "/api/pledges/", payload(pact, salon, collective, codes=("01", "02", "03")), format="json"
    )
    assert response.status_code == 201


def test_a_measure_of_another_pact_is_refused(as_role, pact, salon, collective):
    body = payload(pact, salon, collective)
    stranger = MeasureFactory(pact=make_pact(), code="99")
    body["measures"].append({"measure": stranger.pk})
    assert errors_for(as_role, body) == {"measures": ["Mesure n°6 (99) : elle appartient à un autre pacte."]}


def test_a_level_of_another_measure_is_refused(as_role, pact, salon, collective):
    body = payload(pact, salon, collective)
    level_of_02 = pact.measures.get(code="02").levels.get(rank=1)
    body["measures"][2]["level"] = level_of_02.pk
    assert errors_for(as_role, body) == {
        "measures": ["Mesure n°3 (01) : le niveau 1 est un niveau d'une autre mesure."]
    }


def test_a_duplicate_measure_is_refused(as_role, pact, salon, collective):
    body = payload(pact, salon, collective, codes=("P1", "P2", "01", "02", "03", "01"))
    assert errors_for(as_role, body) == {"measures": ["Mesure n°6 (01) : elle figure déjà en position 3."]}


def test_the_same_list_cannot_sign_the_same_pact_twice_in_a_municipality(as_role, pact, salon, collective):
    client = as_role("member")
    assert client.post("/api/pledges/", payload(pact, salon, collective), format="json").status_code == 201
    response = client.post("/api/pledges/", payload(pact, salon, collective), format="json")
    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Cette liste a déjà signé ce pacte dans cette commune."]}


def test_a_failed_update_leaves_the_pledge_as_it_was(as_role, pact, salon, collective):
    client = as_role("member")
    pledge_id = client.post("/api/pledges/", payload(pact, salon, collective), format="json").json()["id"]

    response = client.put(
        f"/api/pledges/{pledge_id}/",
        payload(pact, salon, collective, codes=("P1", "01"), list_name="Autre nom"),
        format="json",
    )

    assert response.status_code == 400
    pledge = Pledge.objects.get()
    assert pledge.list_name == "Salon en transition"
    assert pledge.measures.count() == 5


def test_a_member_cannot_record_a_pledge_outside_the_territory(as_role, pact, outside, collective):
    response = as_role("member").post("/api/pledges/", payload(pact, outside, collective), format="json")
    assert response.status_code == 400
    assert response.json()["municipality"] == [
        "La commune 13001 ne fait pas partie du territoire du collectif « Pays Salonais »."
    ]


def test_pledges_filter_by_pact_municipality_department_collective_elected_and_measure(api, pact, salon, collective):
    first = PledgeFactory(pact=pact, municipality=salon, collective=collective, election_outcome="elected")
    PledgedMeasureFactory(pledge=first, measure=pact.measures.get(code="01"))
    second = PledgeFactory(pact=pact, municipality=salon, collective=collective, election_outcome="not_elected")
    PledgedMeasureFactory(pledge=second, measure=pact.measures.get(code="02"))
    PledgeFactory()  # another pact, municipality, collective

    def ids(**params):
        response = api.get("/api/pledges/", params)
        assert response.status_code == 200
        return sorted(item["id"] for item in response.json()["results"])

    assert ids(pact=pact.pk) == [first.pk, second.pk]
    assert ids(municipality="13103") == [first.pk, second.pk]
    assert ids(department="13", collective="pays-salonais") == [first.pk, second.pk]
    assert ids(elected="true", municipality="13103") == [first.pk]
    assert ids(elected="false", municipality="13103") == [second.pk]
    assert ids(measure=pact.measures.get(code="02").pk) == [second.pk]


def test_the_municipality_page_links_its_pledges_and_timeline(api, salon):
    body = api.get("/api/municipalities/13103/").json()
    assert body["pledges"].endswith("/api/pledges/?municipality=13103")
    assert body["timeline"].endswith("/api/municipalities/13103/timeline/")


@pytest.mark.parametrize("count", [1, 20])
def test_the_pledge_list_runs_a_constant_number_of_queries(api, django_assert_max_num_queries, pact, collective, count):
    measures = list(pact.measures.filter(kind=Measure.Kind.MEASURE))
    for _ in range(count):
        pledge = PledgeFactory(pact=pact, collective=collective)
        for measure in measures:
            PledgedMeasureFactory(pledge=pledge, measure=measure, level=measure.levels.first())
    with django_assert_max_num_queries(3):
        response = api.get("/api/pledges/", {"page_size": 100})
    assert len(response.json()["results"]) == count
