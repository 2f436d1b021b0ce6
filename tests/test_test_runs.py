"""Two `make test` runs at the same time never share a test database: in embedded mode each
has its own SQLite file, which a worker process (another connection, opening the file by its
path) sees; in services mode each has its own PostgreSQL database, dropped at its end, and
those that dead runs left are dropped by the next run (tests/support/databases.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.support import databases

ROOT = Path(__file__).resolve().parent.parent

# A test of each run: write a row, say which database it has, wait until the other run is as
# far, then read the rows back through a new connection, as a worker started by the test would.
HOLDING_TEST = """
import os, time
from pathlib import Path

from django.db import connection, connections

from accounts.models import User


def test_my_row_is_in_the_database_a_worker_opens(transactional_db):
    me, flags = os.environ["RUN_NAME"], Path(os.environ["RUN_FLAGS"])
    User.objects.create(username=me)
    (flags / me).write_text(connection.settings_dict["NAME"])
    deadline = time.monotonic() + 120
    while len(list(flags.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT username FROM accounts_user")
            names = [row[0] for row in cursor.fetchall()]
    finally:
        other.close()
    assert names == [me]
"""


def run_twice_at_once(tmp_path, env) -> list[str]:
    """Run the holding test in two processes at once; returns the names of their databases."""
    test_file, flags = tmp_path / "holding_test.py", tmp_path / "flags"
    test_file.write_text(HOLDING_TEST)
    # The suite's own set-up of the test database, for a test file outside the suite's folder.
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    flags.mkdir()
    command = [sys.executable, "-m", "pytest", "-q", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml")]
    command += ["-p", "no:cacheprovider", "--confcutdir", str(tmp_path), str(test_file)]
    runs = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            env={**env, "RUN_NAME": name, "RUN_FLAGS": str(flags)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in ("premier", "second")
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]

    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output
    return [(flags / name).read_text() for name in ("premier", "second")]


def test_two_embedded_runs_at_once_do_not_share_their_sqlite_test_database(tmp_path):
    # Embedded mode whatever this run's: the SQLite file is what two runs could share.
    embedded = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REQUIRE_SERVICES")}

    first, second = run_twice_at_once(tmp_path, embedded)

    assert first != second
    assert not Path(first).exists() and not Path(second).exists()  # removed at the end of each run


@pytest.mark.services
@pytest.mark.django_db
def test_two_runs_in_this_suites_mode_have_their_own_database_and_drop_dead_runs_ones(tmp_path, requires_services):
    """In services mode, on PostgreSQL; in embedded mode the same holds of the SQLite files."""
    if requires_services:
        assert connection.vendor == "postgresql"
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        params = connection.get_connection_params()
        configured = connection.settings_dict["NAME"].partition("_run_")[0]  # this run's base name
        stale, live = f"{configured}_run_5ea1ed00", f"{configured}_run_a11fe000"
        with databases.connect_maintenance(params) as server:
            for name in (stale, live):
                server.execute(f'CREATE DATABASE "{name}"')
        held = databases.claim(params, live)  # as a run that is still going holds its own

    try:
        first, second = run_twice_at_once(tmp_path, dict(os.environ))
        if postgresql:
            with databases.connect_maintenance(params) as server:
                query = "SELECT datname FROM pg_database WHERE datname LIKE %s"
                remaining = {name for (name,) in server.execute(query, (databases.stale_pattern(configured),))}
    finally:
        if postgresql:
            held.close()
            databases.drop_stale(params, configured)

    assert first != second
    if postgresql:
        assert first.startswith(f"{configured}_run_") and second.startswith(f"{configured}_run_")
        # The runs dropped their own and the dead run's, and left the live runs' (this one's too).
        assert remaining == {live, connection.settings_dict["NAME"]}
    else:
        assert not Path(first).exists() and not Path(second).exists()
