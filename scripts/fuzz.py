"""Fuzz the live API with schemathesis, as an anonymous caller, a member and staff.

Run by ``make fuzz``. It drops and recreates a dedicated PostgreSQL database
(``FUZZ_DATABASE_URL``), migrates it, loads the demo data and one member and one staff
account with API tokens, serves the project with gunicorn on a free loopback port, then
runs schemathesis once per role with the checks of the API contract and bounded,
reproducible examples. It prints the operations and cases run per role and exits non-zero
on any failure.

Staff run last and may delete or change what the other roles read: each ``make fuzz``
starts again from a fresh database, so runs do not depend on each other, and staff keep
every operation (deleting referenced rows is a path the fuzzer must go through).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
CHECKS = "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance"
ROLES = ("anonymous", "member", "staff")


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def recreate_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        sys.exit(f"fuzz: refusing database name {name!r}")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.execute(f"CREATE DATABASE {name}")


def seed(env: dict[str, str]) -> dict[str, str]:
    """Migrate, load the demo and make the accounts; returns {role: token}."""
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v", "0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "setup_demo", "--no-admin"], env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    out = subprocess.run(
        [*manage, "shell", "-c", ACCOUNTS], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    return dict(line.split("=", 1) for line in out.split() if "=" in line)


# The member belongs to the demo collective (Pays Salonais) with the coordinator role, so
# that the fuzzer reaches the writes members and coordinators make.
ACCOUNTS = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from campaigns.models import Collective, Membership

User = get_user_model()
member = User.objects.create_user("fuzz-member", "fuzz-member@example.org", "fuzz-member-password")
Membership.objects.create(user=member, collective=Collective.objects.get(slug="pays-salonais"), role="coordinator")
staff = User.objects.create_user("fuzz-staff", "fuzz-staff@example.org", "fuzz-staff-password", is_staff=True)
print("member=" + Token.objects.create(user=member).key)
print("staff=" + Token.objects.create(user=staff).key)
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("fuzz: the server stopped before answering")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    sys.exit(f"fuzz: no answer from {url}")


def run_role(role: str, schema_url: str, token: str | None, report_dir: Path) -> tuple[int, str, float]:
    command = [
        str(VENV_BIN / "schemathesis"),
        "run",
        schema_url,
        "--checks",
        CHECKS,
        "--max-examples",
        str(env_int("FUZZ_MAX_EXAMPLES", 10)),
        "--seed",
        str(env_int("FUZZ_SEED", 20261201)),
        # No example database between runs: the same seed gives the same cases.
        "--generation-database",
        "none",
        "--phases",
        os.environ.get("FUZZ_PHASES", "examples,coverage,fuzzing"),
        # One worker: hypothesis describing strategies from two threads at once trips a CPython
        # 3.11 bug ("AST constructor recursion depth mismatch"), and two cores are busy enough.
        "--workers",
        os.environ.get("FUZZ_WORKERS", "1"),
        "--request-timeout",
        "30",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(report_dir / f"{role}.xml"),
    ]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    command += os.environ.get("FUZZ_ARGS", "").split()
    started = time.monotonic()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    output = result.stdout + result.stderr
    (report_dir / f"{role}.log").write_text(output, encoding="utf-8")
    return result.returncode, output, elapsed


def main() -> int:
    database_url = os.environ.get("FUZZ_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pacte_fuzz")
    report_dir = Path(os.environ.get("FUZZ_REPORT_DIR", ROOT / "var" / "fuzz"))
    if report_dir.exists():
        shutil.rmtree(report_dir)
    report_dir.mkdir(parents=True)
    var_dir = Path(tempfile.mkdtemp(prefix="pacte-fuzz-"))
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        "VAR_DIR": str(var_dir),
        "CELERY_BROKER_URL": "filesystem://",
        "EMAIL_URL": "locmem://",
        # Rate limits are tested by the suite; here they would turn most writes into 429s
        # and leave the views behind them unfuzzed.
        "THROTTLE_WRITES": "1000000/min",
        "THROTTLE_LOGIN": "1000000/min",
        "THROTTLE_LOGIN_ACCOUNT": "1000000/min",
        "THROTTLE_PASSWORD_RESET": "1000000/min",
        "THROTTLE_PASSWORD_RESET_ACCOUNT": "1000000/min",
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    print(f"fuzz: database {urlsplit(database_url).path.lstrip('/')} (recreated), demo data, accounts")
    started = time.monotonic()
    recreate_database(database_url)
    tokens = seed(env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server_log = open(report_dir / "server.log", "w", encoding="utf-8")  # noqa: SIM115
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "backend.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    failed, figures = [], []
    try:
        wait_until_up(f"{base}/api/schema/", server)
        print(f"fuzz: server on {base} (log: {report_dir / 'server.log'})")
        for role in ROLES:
            code, output, elapsed = run_role(role, f"{base}/api/schema/", tokens.get(role), report_dir)
            print(f"\n== fuzz as {role}: {elapsed:.0f} s, exit {code} (full log: {report_dir / (role + '.log')}) ==")
            print(summary(output))
            figures.append((role, *counts(output), elapsed))
            if code != 0:
                failed.append(role)
                print(failure_report(output))
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
        shutil.rmtree(var_dir, ignore_errors=True)
    print("\nrole        operations   cases   failures   duration")
    for role, operations, cases, failures, elapsed in figures:
        print(f"{role:<11} {operations:>10} {cases:>7} {failures:>10} {elapsed:>8.0f} s")
    print(f"fuzz: {time.monotonic() - started:.0f} s in all (database, demo data, server and the three runs)")
    if failed:
        print(f"fuzz: FAILED as {', '.join(failed)}; reproduce with the curl commands above", file=sys.stderr)
        return 1
    print("fuzz: no failure")
    return 0


def counts(output: str) -> tuple[str, str, str]:
    """Operations tested, test cases generated and failures found."""

    def number(pattern: str, default: str = "?") -> str:
        match = re.search(pattern, output)
        return match.group(1) if match else default

    failures = number(r"(\d+) unique failures?", "0" if re.search(r"\d+ generated, \d+ passed", output) else "?")
    return number(r"Tested: (\d+)"), number(r"(\d+) generated"), failures


def summary(output: str) -> str:
    """The SUMMARY section of schemathesis' output: operations, phases, failures, cases, seed."""
    start = output.rfind("SUMMARY")
    return output[output.find("\n", start) + 1 :].strip() if start >= 0 else output[-2000:]


def failure_report(output: str) -> str:
    """The FAILURES section of schemathesis' output (every failure with its curl command)."""
    start = output.find("FAILURES")
    end = output.find("SUMMARY", start)
    return output[start:end] if start >= 0 else output[-4000:]


if __name__ == "__main__":
    sys.exit(main())
