"""The API sends what its OpenAPI schema says: bodies, status codes and media types."""

import pytest

from campaigns.letters.services.downloads import interpellation_bundle
from campaigns.models import AssessmentStatus
from tests.campaigns.factories import (
    ActionFactory,
    InterpellationFactory,
    LetterFactory,
    LetterTemplateFactory,
    assess,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    make_cycle,
    sign,
    with_pdf,
)
from tests.openapi import assert_conforms, operation

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle(pact, salon, collective, measures):
    pledged = sign(pact, salon, measures[:3], collective=collective)
    cycle = make_cycle(pact)
    assess(cycle, pledged[0], AssessmentStatus.DONE, 100, evidence="Voté en conseil")
    return cycle


def test_the_grid_is_sent_as_the_list_the_schema_describes(as_role, cycle):
    api = as_role("member")
    url = f"/api/review-cycles/{cycle.pk}/municipalities/13103/grid/"

    assert_conforms(api.get(url))
    rows = [{"pledged_measure": row["pledged_measure"], "status": "in_progress"} for row in api.get(url).json()]
    assert_conforms(api.put(url, {"rows": rows}, format="json"))


def test_the_grid_takes_neither_filters_nor_pages(cycle):
    for method in ("get", "put"):
        parameters = operation(method, f"/api/review-cycles/{cycle.pk}/municipalities/13103/grid/")["parameters"]
        assert [p["name"] for p in parameters if p["in"] == "query"] == []


def test_progress_and_its_comparison_match_the_schema(as_role, cycle, pact):
    other = make_cycle(pact, name="Bilan 2023")
    api = as_role("member")
    for by in ("municipality", "measure", "theme", "department"):
        assert_conforms(api.get(f"/api/review-cycles/{cycle.pk}/progress/?by={by}&compare_to={other.pk}"))


def test_a_scorecard_matches_the_schema(as_role, cycle):
    assert_conforms(as_role("member").get(f"/api/municipalities/13103/scorecard/?cycle={cycle.pk}"))


def test_an_import_result_matches_the_schema(as_role, cycle):
    api = as_role("member")
    export = api.get(f"/api/review-cycles/{cycle.pk}/export/")
    response = api.post(f"/api/review-cycles/{cycle.pk}/import/", {"file": _upload(export.content)}, format="multipart")
    assert response.status_code == 200, response.content
    assert_conforms(response)


def _upload(content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("bilan.csv", content, content_type="text/csv")


def test_an_export_answers_accept_text_csv(as_role, cycle):
    response = as_role("member").get(f"/api/review-cycles/{cycle.pk}/export/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert_conforms(response)


def test_a_list_export_answers_accept_text_csv_and_only_the_list(as_role, collective):
    ActionFactory(collective=collective)
    api = as_role("member")

    response = api.get("/api/actions/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert_conforms(response)
    assert "text/csv" not in operation("post", "/api/actions/")["responses"]["201"]["content"]
    assert "format" not in [p["name"] for p in operation("get", "/api/actions/1/").get("parameters", [])]


def test_a_csv_export_refused_answers_in_json(as_role):
    response = as_role("anonymous").get("/api/review-cycles/999/export/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 404
    assert "detail" in response.json()
    assert_conforms(response)


@pytest.fixture
def letter(collective, salon):
    interpellation = InterpellationFactory(collective=collective)
    letter = with_pdf(LetterFactory(interpellation=interpellation, municipality=salon))
    interpellation_bundle(interpellation_id=interpellation.pk)  # the worker's merged PDF and ZIP
    return letter


@pytest.mark.parametrize(
    ("path", "media_type"),
    [("letters/{letter}/pdf/", "application/pdf"), ("interpellations/{interpellation}/pdf/", "application/pdf"),
     ("interpellations/{interpellation}/zip/", "application/zip")],
)  # fmt: skip
def test_letters_files_answer_their_accept_header(as_role, letter, path, media_type):
    url = "/api/" + path.format(letter=letter.pk, interpellation=letter.interpellation_id)
    response = as_role("member").get(url, HTTP_ACCEPT=media_type)
    assert response.status_code == 200
    assert response["Content-Type"] == media_type
    assert_conforms(response)


def test_a_download_not_built_yet_answers_the_409_the_schema_describes(as_role, collective, salon):
    letter = with_pdf(LetterFactory(interpellation=InterpellationFactory(collective=collective), municipality=salon))
    response = as_role("member").get(f"/api/interpellations/{letter.interpellation_id}/zip/")
    assert response.status_code == 409
    assert set(response.json()) == {"detail", "job"}
    assert_conforms(response)


def test_reply_rates_are_sent_as_the_list_the_schema_describes(as_role, letter):
    for by in ("official", "municipality", "campaign"):
        response = as_role("member").get(f"/api/letters/reply-rates/?by={by}")
        assert response.json(), by
        assert_conforms(response)


def test_an_interpellation_answers_202_with_the_body_the_schema_describes(
    as_role, collective, salon, django_capture_on_commit_callbacks
):
    mayor = in_office(salon, email="").official
    template = LetterTemplateFactory(collective=collective)
    with django_capture_on_commit_callbacks(execute=True):
        response = as_role("member").post(
            "/api/interpellations/",
            {"collective": collective.slug, "template": template.pk, "officials": [mayor.pk]},
            format="json",
        )
    assert response.status_code == 202, response.content
    assert_conforms(response)


def test_a_preview_matches_the_schema(as_role, collective, salon):
    mayor = in_office(salon).official
    template = LetterTemplateFactory(collective=collective)
    response = as_role("member").post(
        f"/api/letter-templates/{template.pk}/preview/", {"official": mayor.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert_conforms(response)


def test_a_partial_update_still_sends_every_field(as_role, collective):
    action = ActionFactory(collective=collective, municipality=None)
    response = as_role("member").patch(f"/api/actions/{action.pk}/", {"title": "Réunion publique"}, format="json")
    assert response.status_code == 200
    assert response.json()["municipality_name"] is None
    assert_conforms(response)


@pytest.mark.parametrize(
    ("method", "path", "code", "component"),
    [("get", "/api/review-cycles/1/progress/", "200", "Progress"),
     ("get", "/api/municipalities/13103/scorecard/", "200", "Scorecard"),
     ("post", "/api/review-cycles/1/import/", "200", "ReviewImportReport"),
     ("post", "/api/interpellations/", "202", "InterpellationCreated"),
     ("post", "/api/letter-templates/1/preview/", "200", "TemplatePreviewResult")],
)  # fmt: skip
def test_computed_bodies_are_described_field_by_field(method, path, code, component):
    schema = operation(method, path)["responses"][code]["content"]["application/json"]["schema"]
    assert schema == {"$ref": f"#/components/schemas/{component}"}
