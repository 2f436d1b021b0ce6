"""enqueue(): a broker that cannot take the message means "later", never an error for the
caller; after a failure, the broker is left alone a few seconds. The broker here is Celery's
filesystem transport in a temporary folder, in both modes: it needs no server."""

import pytest

from tasks import dispatch
from tests.support.processes import use_broker


@pytest.fixture
def broker_folders(settings, tmp_path, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(dispatch, "_paused_until", 0.0)
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(tmp_path / "control"),
        "processed_folder": str(tmp_path / "processed"),
    }
    missing = {**options, "data_folder_out": str(tmp_path / "missing")}
    return folder, options, missing


def test_a_message_goes_to_the_broker(broker_folders):
    folder, options, _missing = broker_folders

    with use_broker("filesystem://", options):
        assert dispatch.enqueue("tasks.outbox.send", [[1, 2]]) is True

    (message,) = folder.glob("*.msg")
    assert "tasks.outbox.send" in message.read_text()


def test_a_broker_that_fails_makes_the_call_return_false_and_is_left_alone_a_moment(broker_folders, monkeypatch):
    folder, options, missing = broker_folders

    with use_broker("filesystem://", missing):
        assert dispatch.enqueue("tasks.outbox.send", [[1]]) is False
    with use_broker("filesystem://", options):
        assert dispatch.enqueue("tasks.outbox.send", [[2]]) is False  # not even tried
        assert list(folder.glob("*.msg")) == []

        monkeypatch.setattr(dispatch, "_paused_until", 0.0)  # the pause is over
        assert dispatch.enqueue("tasks.outbox.send", [[3]]) is True
    assert len(list(folder.glob("*.msg"))) == 1


def test_eager_mode_runs_the_task_inline(settings, db):
    settings.CELERY_TASK_ALWAYS_EAGER = True

    assert dispatch.enqueue("tasks.outbox.sweep", []) is True
