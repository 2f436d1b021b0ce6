"""The beat schedule lives in the database (django_celery_beat): migrations install it."""

import pytest
from django_celery_beat.models import PeriodicTask
from kombu.utils.imports import symbol_by_name

from backend.celery import app

pytestmark = pytest.mark.django_db


def test_the_sweeper_runs_every_minute():
    task = PeriodicTask.objects.get(task="tasks.outbox.sweep")

    assert task.name == "Envoi des courriels en attente (balayage)"
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (60, "seconds")


def test_the_review_digests_run_every_morning_in_paris():
    task = PeriodicTask.objects.get(task="tasks.digests.review_digests")

    assert task.enabled
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week) == ("0", "8", "*")
    assert str(crontab.timezone) == "Europe/Paris"


def test_beat_reads_its_schedule_from_the_database():
    """Beat's scheduler, as `celery beat` builds it, follows the rows: a task disabled in the
    admin leaves the schedule."""
    scheduler_class = symbol_by_name(app.conf.beat_scheduler)

    def scheduled() -> set[str]:
        return {entry.task for entry in scheduler_class(app=app, lazy=True).all_as_schedule().values()}

    assert "tasks.outbox.sweep" in scheduled()
    PeriodicTask.objects.filter(task="tasks.outbox.sweep").update(enabled=False)
    assert "tasks.outbox.sweep" not in scheduled()


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()

    for name in PeriodicTask.objects.exclude(task="celery.backend_cleanup").values_list("task", flat=True):
        assert name in app.tasks


def test_letter_work_left_behind_is_taken_up_every_five_minutes():
    task = PeriodicTask.objects.get(task="tasks.letters.resume")

    assert task.name == "Reprise des courriers interrompus"
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (300, "seconds")
