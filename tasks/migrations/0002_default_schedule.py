"""Default beat schedule, in the database so that staff can change it in the admin."""

from django.db import migrations

SCHEDULE = [
    # name, task, kind, value
    ("Envoi des courriels en attente (balayage)", "tasks.outbox.sweep", "interval", 60),
    ("Rappel des évaluations avant la clôture d'un bilan", "tasks.digests.review_digests", "crontab", "0 8 * * *"),
    ("Relances des courriers sans réponse", "tasks.letters.send_reminders", "crontab", "0 9 * * *"),
]


def install(apps, schema_editor):
    install_schedule(apps, SCHEDULE)


def install_schedule(apps, schedule):
    """Create the periodic tasks of ``schedule`` that do not exist (later migrations add theirs)."""
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    for name, task, kind, value in schedule:
        if PeriodicTask.objects.filter(name=name).exists():
            continue  # staff may have changed it: leave it be
        if kind == "interval":
            interval, _ = IntervalSchedule.objects.get_or_create(every=value, period="seconds")
            PeriodicTask.objects.create(name=name, task=task, interval=interval)
        else:
            minute, hour, day_of_month, month_of_year, day_of_week = value.split()
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_month=day_of_month,
                month_of_year=month_of_year,
                day_of_week=day_of_week,
                timezone="Europe/Paris",
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab)


def uninstall(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=[name for name, *_ in SCHEDULE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tasks", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
