"""The beat task that takes up letter work left behind (tasks.letters.resume), every five
minutes, installed like the rest of the default schedule (0002)."""

import importlib

from django.db import migrations

SCHEDULE = [("Reprise des courriers interrompus", "tasks.letters.resume", "interval", 300)]
default_schedule = importlib.import_module("tasks.migrations.0002_default_schedule")


def install(apps, schema_editor):
    default_schedule.install_schedule(apps, SCHEDULE)


def uninstall(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [("tasks", "0003_job_progressed_at"), ("django_celery_beat", "0019_alter_periodictasks_options")]

    operations = [migrations.RunPython(install, uninstall)]
