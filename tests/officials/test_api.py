import datetime as dt

import pytest

from officials.models import Mandate
from tests.officials.factories import DepartmentFactory, MandateFactory, MunicipalityFactory, OfficialFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def salon():
    return MunicipalityFactory(insee_code="13103", name="Salon-de-Provence")


@pytest.fixture
def lancon():
    return MunicipalityFactory(insee_code="13051", name="Lançon-Provence")


def names(response):
    assert response.status_code == 200, response.content
    return [item["name"] if "name" in item else item["last_name"] for item in response.json()["results"]]


def test_municipalities_are_searched_without_accents_or_case(api, salon, lancon):
    assert names(api.get("/api/municipalities/", {"search": "LANCON"})) == ["Lançon-Provence"]
    assert names(api.get("/api/municipalities/", {"search": "çon-pro"})) == ["Lançon-Provence"]


def test_municipalities_filter_by_department_and_insee_codes(api, salon, lancon):
    MunicipalityFactory(insee_code="83137", name="Toulon", department=DepartmentFactory(code="83", name="Var"))

    assert names(api.get("/api/municipalities/", {"department": "83"})) == ["Toulon"]
    assert names(api.get("/api/municipalities/", {"insee_code": "13103,83137"})) == ["Salon-de-Provence", "Toulon"]


def test_a_municipality_shows_its_current_mandates_mayor_first(api, salon):
    MandateFactory(municipality=salon, official__last_name="CONSEILLERE", role=Mandate.Role.COUNCILLOR)
    MandateFactory(municipality=salon, official__last_name="MAIRE", role=Mandate.Role.MAYOR)
    MandateFactory(
        municipality=salon,
        official__last_name="ANCIENNE",
        role=Mandate.Role.MAYOR,
        start_date=dt.date(2020, 7, 4),
        end_date=dt.date(2026, 3, 1),
    )

    response = api.get("/api/municipalities/13103/")

    assert response.status_code == 200
    mandates = response.json()["current_mandates"]
    assert [m["official"]["last_name"] for m in mandates] == ["MAIRE", "CONSEILLERE"]
    assert mandates[0]["role_display"] == "maire"


def test_an_unknown_insee_code_is_a_404(api):
    assert api.get("/api/municipalities/99999/").status_code == 404


def test_officials_filter_by_municipality_role_and_current(api, salon, lancon):
    MandateFactory(municipality=salon, official__last_name="MAIRE", role=Mandate.Role.MAYOR)
    MandateFactory(municipality=lancon, official__last_name="AUTRE", role=Mandate.Role.MAYOR)
    MandateFactory(municipality=salon, official__last_name="PARTIE", end_date=dt.date(2026, 6, 1))

    assert names(api.get("/api/officials/", {"municipality": "13103", "role": "maire"})) == ["MAIRE"]
    assert names(api.get("/api/officials/", {"municipality": "13103", "current": "false"})) == ["PARTIE"]
    assert names(api.get("/api/officials/", {"role": "maire", "current": "true", "ordering": "last_name"})) == [
        "AUTRE",
        "MAIRE",
    ]


def test_the_birth_date_is_never_public_and_the_email_only_for_signed_in_users(api, user_api, salon):
    official = MandateFactory(municipality=salon).official

    public = api.get(f"/api/officials/{official.pk}/").json()
    assert "birth_date" not in public and "email" not in public
    signed_in = user_api.get(f"/api/officials/{official.pk}/").json()
    assert signed_in["email"] == official.email and "birth_date" not in signed_in
    assert signed_in["mandates"][0]["municipality_name"] == "Salon-de-Provence"


@pytest.mark.parametrize(
    ("url", "payload"),
    [
        ("/api/departments/", {"code": "84", "name": "Vaucluse"}),
        ("/api/municipalities/", {"insee_code": "84007", "name": "Avignon", "department": "13"}),
        ("/api/officials/", {"first_name": "Anne", "last_name": "NOUVELLE", "sex": "F"}),
    ],
)
def test_anonymous_and_volunteers_read_but_only_staff_write(api, user_api, staff_api, url, payload):
    DepartmentFactory()
    assert api.post(url, payload, format="json").status_code == 401
    assert user_api.post(url, payload, format="json").status_code == 403
    assert staff_api.post(url, payload, format="json").status_code == 201


def test_staff_can_end_a_mandate(staff_api, salon):
    mandate = MandateFactory(municipality=salon)
    response = staff_api.patch(f"/api/mandates/{mandate.pk}/", {"end_date": "2026-11-01"}, format="json")
    assert response.status_code == 200
    mandate.refresh_from_db()
    assert mandate.end_date == dt.date(2026, 11, 1)


def test_a_mandate_cannot_end_before_it_starts(staff_api, salon):
    mandate = MandateFactory(municipality=salon, start_date=dt.date(2026, 3, 15))
    response = staff_api.patch(f"/api/mandates/{mandate.pk}/", {"end_date": "2020-01-01"}, format="json")
    assert response.status_code == 400
    assert "précède" in str(response.json())


@pytest.mark.parametrize("size", [1, 30])
def test_lists_run_a_constant_number_of_queries(api, django_assert_max_num_queries, salon, size):
    for _ in range(size):
        official = OfficialFactory()
        MandateFactory(official=official, municipality=salon)
        MandateFactory(
            official=official,
            municipality=MunicipalityFactory(),
            start_date=dt.date(2020, 7, 4),
            end_date=dt.date(2026, 3, 1),
        )
        MunicipalityFactory()

    for url in ["/api/officials/", "/api/municipalities/", "/api/mandates/", "/api/departments/"]:
        with django_assert_max_num_queries(3):
            assert api.get(url, {"page_size": 100}).status_code == 200
    with django_assert_max_num_queries(3):
        assert api.get("/api/municipalities/13103/").status_code == 200


def test_pages_have_a_size_bound(api):
    for _ in range(3):
        MunicipalityFactory()
    body = api.get("/api/municipalities/", {"page_size": 2}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"]
