"""`.ci/run`: lint first, and a lint failure fails the run before any test.

The script runs with stand-ins for `make`, `pg_isready` and `redis-cli` on PATH, so
what it asks of them is recorded without running the suite inside the suite.
"""

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_ci(tmp_path: Path, *, lint_exit: int) -> tuple[subprocess.CompletedProcess, list[str]]:
    bin_dir, calls = tmp_path / "bin", tmp_path / "calls"
    bin_dir.mkdir()
    stand_ins = {
        "make": f'echo "make $*" >>{calls}\nif [ "$1" = lint ]; then exit {lint_exit}; fi\nexit 0\n',
        "pg_isready": "exit 0\n",
        "redis-cli": "echo PONG\n",
    }
    for name, body in stand_ins.items():
        path = bin_dir / name
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    result = subprocess.run(["bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
    return result, calls.read_text().splitlines() if calls.exists() else []


def test_ci_lints_before_running_the_tests(tmp_path):
    result, calls = run_ci(tmp_path, lint_exit=0)

    assert result.returncode == 0, result.stdout + result.stderr
    assert calls[0] == "make lint"
    assert calls[1:] == ["make test", "make fuzz", "make test"]  # services mode, the fuzzer, embedded mode


def test_ci_fails_and_runs_no_test_when_lint_fails(tmp_path):
    result, calls = run_ci(tmp_path, lint_exit=1)

    assert result.returncode != 0
    assert calls == ["make lint"]
