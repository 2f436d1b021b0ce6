"""Background jobs: the row that tracks a long operation, and /api/jobs/ to follow it."""

import pytest
from rest_framework.test import APIClient

from campaigns.collectives.access import collective_scope
from campaigns.models import Membership
from tasks.jobs import services as jobs
from tasks.jobs.models import Job
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CollectiveFactory, MembershipFactory
from tests.tasks.factories import JobFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def collective():
    return CollectiveFactory(name="Collectif du Pays salonais")


@pytest.fixture
def job(collective):
    return JobFactory(kind="letters", scope=collective_scope(collective.pk), total=4, done=1)


def test_the_creator_follows_the_job(job):
    response = client_for(job.created_by).get(f"/api/jobs/{job.pk}/")

    assert response.status_code == 200
    data = response.json()
    assert (data["kind"], data["status"], data["status_display"]) == ("letters", "queued", "en attente")
    assert (data["done"], data["total"], data["progress"]) == (1, 4, 25.0)


@pytest.mark.parametrize("role", [Membership.Role.MEMBER, Membership.Role.COORDINATOR])
def test_members_of_the_job_s_collective_follow_it(job, collective, role):
    member = MembershipFactory(collective=collective, role=role).user

    assert client_for(member).get(f"/api/jobs/{job.pk}/").status_code == 200
    assert [row["id"] for row in client_for(member).get("/api/jobs/").json()["results"]] == [job.pk]


def test_staff_follow_every_job(job):
    assert client_for(UserFactory(is_staff=True)).get(f"/api/jobs/{job.pk}/").status_code == 200


def test_others_do_not_even_learn_that_the_job_exists(job):
    outsider = MembershipFactory(collective=CollectiveFactory(name="Pays d'Aix")).user

    assert client_for(outsider).get(f"/api/jobs/{job.pk}/").status_code == 404
    assert client_for(UserFactory()).get(f"/api/jobs/{job.pk}/").status_code == 404
    assert client_for(outsider).get("/api/jobs/").json()["results"] == []


def test_anonymous_callers_must_authenticate(api, job):
    assert api.get(f"/api/jobs/{job.pk}/").status_code == 401
    assert api.get("/api/jobs/").status_code == 401


def test_a_job_without_scope_is_its_creator_s(collective):
    job = JobFactory(scope="")
    member = MembershipFactory(collective=collective).user

    assert client_for(member).get(f"/api/jobs/{job.pk}/").status_code == 404
    assert client_for(job.created_by).get(f"/api/jobs/{job.pk}/").status_code == 200


def test_jobs_are_filtered_by_kind_and_status(job):
    other = JobFactory(created_by=job.created_by, kind="import", status=Job.Status.SUCCEEDED)
    client = client_for(job.created_by)

    assert [row["id"] for row in client.get("/api/jobs/", {"kind": "import"}).json()["results"]] == [other.pk]
    assert [row["id"] for row in client.get("/api/jobs/", {"status": "queued"}).json()["results"]] == [job.pk]


def test_a_job_goes_from_queued_to_succeeded_with_its_progress():
    user = UserFactory()
    job = jobs.job_create(kind="letters", by=user, params={"template": 3}, scope="collective:9")
    assert (job.status, job.created_by, job.params) == (Job.Status.QUEUED, user, {"template": 3})
    assert job.scope == "collective:9"

    started = jobs.job_start(job.pk, total=3)
    assert (started.status, started.total) == (Job.Status.RUNNING, 3)
    assert started.started_at is not None
    jobs.job_advance(job.pk)
    jobs.job_advance(job.pk, 2)
    job.refresh_from_db()
    assert job.done == 3

    jobs.job_succeed(job.pk, {"letters": 3})
    job.refresh_from_db()
    assert (job.status, job.result, job.error) == (Job.Status.SUCCEEDED, {"letters": 3}, "")
    assert job.finished_at is not None


def test_a_finished_job_is_not_restarted_by_a_second_delivery_of_its_task():
    job = JobFactory(status=Job.Status.SUCCEEDED, done=3, total=3)

    assert jobs.job_start(job.pk).status == Job.Status.SUCCEEDED


def test_a_failed_job_keeps_its_error():
    job = JobFactory()

    jobs.job_fail(job.pk, "Modèle introuvable")

    job.refresh_from_db()
    assert (job.status, job.error) == (Job.Status.FAILED, "Modèle introuvable")


def test_an_anonymous_creator_is_not_recorded():
    from django.contrib.auth.models import AnonymousUser

    assert jobs.job_create(kind="import", by=AnonymousUser()).created_by is None
