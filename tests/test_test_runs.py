"""Two `make test` runs in one checkout at the same time: each has its own SQLite test
database, which a worker process (another connection, opening the file by its path) sees."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# A test of each run: write a row, wait until the other run is as far, then read the row
# back through a new connection to the file, as a worker started by the test would.
HOLDING_TEST = """
import os, sqlite3, time
from pathlib import Path

from accounts.models import User


def test_my_row_is_in_the_file_a_worker_opens(transactional_db):
    from django.db import connection

    me, flags = os.environ["RUN_NAME"], Path(os.environ["RUN_FLAGS"])
    User.objects.create(username=me)
    (flags / me).touch()
    deadline = time.monotonic() + 120
    while len(list(flags.iterdir())) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    with sqlite3.connect(connection.settings_dict["NAME"]) as other:
        names = [row[0] for row in other.execute("SELECT username FROM accounts_user")]
    assert names == [me]
"""


def test_two_runs_at_once_do_not_share_their_sqlite_test_database(tmp_path):
    test_file, flags = tmp_path / "holding_test.py", tmp_path / "flags"
    test_file.write_text(HOLDING_TEST)
    # The suite's own set-up of the test database, for a test file outside the suite's folder.
    (tmp_path / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    flags.mkdir()
    command = [sys.executable, "-m", "pytest", "-q", "--rootdir", str(ROOT), "-c", str(ROOT / "pyproject.toml")]
    command += ["-p", "no:cacheprovider", "--confcutdir", str(tmp_path), str(test_file)]
    embedded = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REQUIRE_SERVICES")}
    runs = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            # Embedded mode whatever this run's: the SQLite file is what two runs could share.
            env={**embedded, "RUN_NAME": name, "RUN_FLAGS": str(flags)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name in ("premier", "second")
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]

    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output
