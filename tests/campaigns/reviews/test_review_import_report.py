"""The report of a review CSV import: rows created, updated, unchanged and refused (each
with its line), computed alike for a preview and for the import itself; a confirmed preview
writes exactly what it showed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.models import Assessment, AssessmentChange, AssessmentStatus
from campaigns.reviews import spreadsheet
from tests.campaigns.factories import MembershipFactory, assess, assessment_of, make_cycle, sign
from tests.campaigns.reviews.test_review_csv import csv_of
from tests.openapi import assert_conforms

pytestmark = pytest.mark.django_db

S = AssessmentStatus


@pytest.fixture
def pledged(pact, salon, collective, measures):
    return sign(pact, salon, measures[:3], collective=collective, list_name="Salon en transition")


@pytest.fixture
def cycle(pact, pledged):
    return make_cycle(pact, name="Bilan de mi-mandat 2026")


@pytest.fixture
def late(pact, salon, collective, measures, cycle):
    """Signed after the cycle opened: it has no assessment yet, an import creates it."""
    [late] = sign(pact, salon, measures[3:4], collective=collective, list_name="Salon demain")
    return late


@pytest.fixture
def user(collective):
    return MembershipFactory(collective=collective).user


def source(*rows: str) -> io.BytesIO:
    return io.BytesIO(csv_of(*rows).encode("utf-8"))


FILE = [
    "13103;;Salon en transition;01;;réalisée;;Délibération du 12 mars;https://salon.example/d;;",  # line 2
    "13103;;Salon en transition;02;;non évaluée;;;;;",  # line 3: as it is
    "13103;;Salon en transition;03;;terminée;;;;;",  # line 4
    "13103;;Salon demain;04;;en cours;30;;;;",  # line 5
    "13103;;Salon en transition;02;;non mesurable;20;;;;",  # line 6
]


def test_the_preview_reports_each_row_and_every_error_with_its_line_and_writes_nothing(cycle, pledged, late, user):
    report = spreadsheet.import_preview(cycle=cycle, source=source(*FILE), by=user)

    [updated] = report.updated
    assert (updated.line, updated.pledged_measure, updated.fields) == (
        2,
        pledged[0],
        ["status", "progress", "evidence", "sources"],
    )
    assert (updated.before["status"], updated.after["status"], updated.after["progress"]) == (
        S.NOT_ASSESSED,
        S.DONE,
        100,
    )
    [created] = report.created
    assert (created.line, created.pledged_measure, created.before) == (5, late, None)
    assert (created.after["status"], created.after["progress"]) == (S.IN_PROGRESS, 30)
    assert report.unchanged == 1
    assert [(error.line, error.message) for error in report.errors] == [
        (4, "statut « terminée » inconnu."),
        (6, "cette mesure figure deux fois."),
        (6, "une mesure « non mesurable » n'a pas d'avancement."),
    ]
    assert [assessment_of(cycle, pm).status for pm in pledged] == [S.NOT_ASSESSED] * 3
    assert not Assessment.objects.filter(pledged_measure=late).exists()


def test_a_file_with_errors_is_applied_nowhere_and_its_report_comes_with_the_refusal(cycle, pledged, user):
    with pytest.raises(spreadsheet.ReviewImportInvalid) as refused:
        spreadsheet.import_apply(cycle=cycle, source=source(*FILE[:3]), by=user)

    assert refused.value.messages == ["ligne 4 : statut « terminée » inconnu."]
    assert len(refused.value.report.updated) == 1
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_a_confirmed_preview_writes_what_it_showed(cycle, pledged, late, user):
    rows = [FILE[0], FILE[1], FILE[3]]
    preview = spreadsheet.import_preview(cycle=cycle, source=source(*rows), by=user)

    applied = spreadsheet.import_apply(cycle=cycle, source=source(*rows), by=user, expected=preview.fingerprint())

    assert applied.fingerprint() == preview.fingerprint()
    done = assessment_of(cycle, pledged[0])
    assert (done.status, done.progress, done.sources) == (S.DONE, 100, ["https://salon.example/d"])
    assert (assessment_of(cycle, late).status, assessment_of(cycle, late).progress) == (S.IN_PROGRESS, 30)
    assert AssessmentChange.objects.count() == 2


def test_a_preview_is_not_applied_once_a_row_it_touches_changed(cycle, pledged, user):
    rows = [FILE[0], FILE[1]]
    preview = spreadsheet.import_preview(cycle=cycle, source=source(*rows), by=user)
    # Someone else assesses the measure of line 2 meanwhile.
    assess(cycle, pledged[0], S.PARTIAL, 60)

    with pytest.raises(spreadsheet.ReviewImportStale) as stale:
        spreadsheet.import_apply(cycle=cycle, source=source(*rows), by=user, expected=preview.fingerprint())

    assert (assessment_of(cycle, pledged[0]).status, assessment_of(cycle, pledged[0]).progress) == (S.PARTIAL, 60)
    [updated] = stale.value.report.updated
    assert updated.before["status"] == S.PARTIAL


def test_a_preview_stays_valid_when_only_rows_it_does_not_touch_changed(cycle, pledged, user):
    preview = spreadsheet.import_preview(cycle=cycle, source=source(FILE[0]), by=user)
    assess(cycle, pledged[2], S.PARTIAL)

    spreadsheet.import_apply(cycle=cycle, source=source(FILE[0]), by=user, expected=preview.fingerprint())

    assert assessment_of(cycle, pledged[0]).status == S.DONE


# The API answers the report


def upload(client, cycle, *rows, dry_run=None):
    data = {"file": SimpleUploadedFile("bilan.csv", csv_of(*rows).encode(), "text/csv")}
    if dry_run is not None:
        data["dry_run"] = dry_run
    return client.post(f"/api/review-cycles/{cycle.pk}/import/", data)


def test_the_api_answers_the_rows_it_created_and_updated_as_its_schema_says(as_role, cycle, pledged, late):
    response = upload(as_role("member"), cycle, FILE[0], FILE[1], FILE[3])

    assert response.status_code == 200, response.json()
    assert_conforms(response)
    body = response.json()
    assert (body["dry_run"], body["unchanged"], body["errors"], body["error_count"]) == (False, 1, [], 0)
    [updated] = body["updated"]
    assert {key: updated[key] for key in ("line", "municipality", "list_name", "measure_code", "fields")} == {
        "line": 2,
        "municipality": "13103",
        "list_name": "Salon en transition",
        "measure_code": "01",
        "fields": ["status", "progress", "evidence", "sources"],
    }
    assert (updated["before"]["status"], updated["after"]["status"]) == ("not_assessed", "done")
    assert updated["after"]["sources"] == ["https://salon.example/d"]
    [created] = body["created"]
    assert (created["line"], created["before"], created["after"]["progress"]) == (4, None, 30)
    assert assessment_of(cycle, late).status == S.IN_PROGRESS


def test_a_dry_run_answers_the_report_with_every_error_and_writes_nothing(as_role, cycle, pledged):
    response = upload(as_role("member"), cycle, *FILE[:3], dry_run="true")

    assert response.status_code == 200
    assert_conforms(response)
    body = response.json()
    assert body["dry_run"] is True
    assert [row["line"] for row in body["updated"]] == [2]
    assert (body["errors"], body["error_count"]) == ([{"line": 4, "message": "statut « terminée » inconnu."}], 1)
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED
    assert not AssessmentChange.objects.exists()


def test_a_dry_run_also_reads_from_the_query_string(as_role, cycle, pledged):
    client = as_role("member")
    data = {"file": SimpleUploadedFile("bilan.csv", csv_of(FILE[0]).encode(), "text/csv")}

    response = client.post(f"/api/review-cycles/{cycle.pk}/import/?dry_run=1", data)

    assert response.status_code == 200
    assert response.json()["dry_run"] is True
    assert assessment_of(cycle, pledged[0]).status == S.NOT_ASSESSED


def test_a_refused_import_still_answers_its_errors_as_documented(as_role, cycle, pledged):
    response = upload(as_role("member"), cycle, *FILE[:3])

    assert response.status_code == 400
    assert_conforms(response)
    assert response.json() == {"file": ["ligne 4 : statut « terminée » inconnu."], "error_count": 1}
