"""Beat rows and queued messages hold task names: moving a task module must not rename them."""

from backend.celery import app

REGISTERED = {
    "tasks.digests.review_digests",
    "tasks.letters.bundle_letters",
    "tasks.letters.render_letters",
    "tasks.letters.resume",
    "tasks.letters.send_reminders",
    "tasks.outbox.send",
    "tasks.outbox.sweep",
    "tasks.scorecards.render_scorecard",
}


def test_the_project_registers_its_tasks_under_their_historic_names():
    app.loader.import_default_modules()
    assert {name for name in app.tasks if not name.startswith("celery.")} == REGISTERED
