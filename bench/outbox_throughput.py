"""Benchmark of the e-mail outbox: 5,000 e-mails through one Celery worker to a local SMTP server.

For each mode, creates a fresh database, starts an SMTP server on loopback (aiosmtpd, the
recorder of the tests) and one worker (``celery -A backend worker``, prefork, 2 processes by
default: what Celery starts on a 2-core machine), then, for each run: inserts 5,000 queued
e-mails (distinct keys and Message-IDs), rings the worker in batches of OUTBOX_BATCH_SIZE and
measures the wall time until the 5,000 messages are at the server. Checks that every row
ends "sent" and that no Message-ID arrived twice; prints the CPU time per e-mail of the
worker and of this process (the SMTP server, mostly).

    .venv/bin/python bench/outbox_throughput.py [--mode services|embedded|both] [--emails N]
        [--runs N] [--concurrency N] [--keep]

services: PostgreSQL (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432, database
pacte_bench_outbox, created afresh and dropped at the end) and Redis (BENCH_REDIS_URL,
default redis://127.0.0.1:6379/12, flushed). embedded: SQLite and the filesystem broker
under var/bench-outbox/. With --mode both (the default) each mode runs in its own process.
Exits with status 1 when a run is under the target (200 e-mails/s) or a check fails.
Figures: docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "pacte_bench_outbox"
EMBEDDED_VAR = ROOT / "var" / "bench-outbox"
TARGET = 200.0  # e-mails per second
RESULT_PREFIX = "RESULT "

BODY = (
    "Madame la Maire,\n\n"
    "Lors des élections municipales, votre liste s'est engagée sur les mesures du Pacte pour la "
    "Transition. À mi-mandat, notre collectif fait le bilan de ces engagements et souhaite "
    "connaître votre appréciation de leur avancement.\n\n"
    "Vous trouverez le détail de notre évaluation sur la page de la commune. Nous restons à "
    "votre disposition pour en parler lors d'un rendez-vous.\n\n"
    "Veuillez agréer, Madame la Maire, l'expression de nos salutations citoyennes.\n\n"
    "Le collectif local\n"
)


def admin(server_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def configure(mode: str) -> dict[str, str]:
    """Environment of this process and of the worker, set before django.setup()."""
    env = {
        "DEBUG": "0",
        "SECRET_KEY": "benchmark-only-secret-key",
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "LOG_LEVEL": "WARNING",
    }
    if mode == "services":
        server = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432").rstrip("/")
        admin(server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}")
        env["DATABASE_URL"] = f"{server}/{DATABASE}"
        env["CELERY_BROKER_URL"] = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
    else:
        shutil.rmtree(EMBEDDED_VAR, ignore_errors=True)
        env["VAR_DIR"] = str(EMBEDDED_VAR)
        env["CELERY_BROKER_URL"] = "filesystem://"
        os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "backend.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from backend.folders import make_local_folders

    make_local_folders()  # as manage.py does: the SQLite and broker folders

    call_command("migrate", verbosity=0, interactive=False)
    if mode == "services":
        import redis

        redis.Redis.from_url(env["CELERY_BROKER_URL"]).flushdb()
    return env


def start_worker(env: dict[str, str], smtp_url: str, log: Path, concurrency: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "backend", "worker", "--pool=prefork"]
    command += [f"--concurrency={concurrency}"]
    command += ["--loglevel=WARNING", "--without-mingle", "--without-gossip", "--without-heartbeat"]
    command += ["--hostname", f"bench-outbox-{os.getpid()}@%h"]
    worker_env = {**os.environ, **env, "EMAIL_URL": smtp_url}
    handle = log.open("w")
    from tests.support.processes import die_with_parent

    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=worker_env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent,
    )
    # Ready when it answers a ping, so that the first run does not time the start-up.
    from backend.celery import app

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Le worker s'est arrêté :\n{log.read_text()[-3000:]}")
        if app.control.ping(timeout=0.5):
            return process
    stop_worker(process)
    raise SystemExit(f"Le worker ne répond pas :\n{log.read_text()[-3000:]}")


def group_cpu_seconds(pgid: int) -> float:
    """CPU time (user + system) of the live processes of a process group, from /proc."""
    ticks = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # fields after the name: state, ppid, pgrp, …, utime (11), stime (12)
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def stop_worker(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def make_emails(run: int, count: int) -> list[int]:
    from email.utils import make_msgid

    from django.conf import settings

    from tasks.outbox.models import OutboundEmail

    OutboundEmail.objects.all().delete()
    rows = [
        OutboundEmail(
            idempotency_key=f"bench:{run}:{index}",
            to=[f"elu{index}@commune{index % 400}.example"],
            subject=f"Bilan de mi-mandat : vos engagements du Pacte (n° {index})",
            body_text=BODY,
            domain=f"commune{index % 400}.example",
            message_id=make_msgid(domain=settings.OUTBOX_MESSAGE_ID_DOMAIN),
        )
        for index in range(count)
    ]
    return [row.pk for row in OutboundEmail.objects.bulk_create(rows, batch_size=1000)]


def one_run(run: int, count: int, server, worker: subprocess.Popen) -> dict:
    from django.conf import settings

    from tasks.outbox import services as outbox
    from tasks.outbox.models import OutboundEmail
    from tests.support.smtp import RecordingHandler

    ids = make_emails(run, count)
    server.stop()
    server.handler = RecordingHandler()
    server.start()
    handler = server.handler
    size = settings.OUTBOX_BATCH_SIZE
    worker_cpu, own_cpu = group_cpu_seconds(worker.pid), time.process_time()
    started = time.perf_counter()
    for start in range(0, len(ids), size):
        if not outbox.ring(ids[start : start + size]):
            raise SystemExit("Le broker ne répond pas.")
    progress, last_change = 0, time.monotonic()
    while handler.accepted_count() < count:
        if handler.accepted_count() != progress:
            progress, last_change = handler.accepted_count(), time.monotonic()
        elif time.monotonic() - last_change > 30:
            raise SystemExit(f"Plus rien n'arrive depuis 30 s : {progress} / {count} courriels reçus.")
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    worker_cpu, own_cpu = group_cpu_seconds(worker.pid) - worker_cpu, time.process_time() - own_cpu
    # The row is marked sent just after the server's 250: give the last one a moment.
    deadline = time.monotonic() + 30
    while OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count() < count:
        if time.monotonic() > deadline:
            break
        time.sleep(0.05)
    sent = OutboundEmail.objects.filter(status=OutboundEmail.Status.SENT).count()
    expected = set(OutboundEmail.objects.values_list("message_id", flat=True))
    duplicates = handler.duplicates()
    return {
        "emails": count,
        "seconds": round(seconds, 3),
        "rate": round(count / seconds, 1),
        "sent_rows": sent,
        "duplicates": len(duplicates),
        "all_at_server": set(handler.accepted) == expected and len(handler.accepted) == count,
        "connections": handler.connections,
        # CPU per e-mail: the worker's processes; this process (mostly the SMTP server).
        "worker_cpu_ms": round(1000 * worker_cpu / count, 2),
        "smtp_cpu_ms": round(1000 * own_cpu / count, 2),
    }


def database_label(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    major, minor = divmod(connection.pg_version, 10000)
    return f"PostgreSQL {major}.{minor}"


def clean_up(mode: str, env: dict[str, str]) -> None:
    """Drop what the benchmark created: its database and broker messages, or its var folder."""
    from django.db import connections

    connections.close_all()
    if mode == "services":
        import redis

        server = env["DATABASE_URL"].rsplit("/", 1)[0]
        admin(server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        redis.Redis.from_url(env["CELERY_BROKER_URL"]).flushdb()
    else:
        shutil.rmtree(EMBEDDED_VAR, ignore_errors=True)


def run_mode(mode: str, count: int, runs: int, concurrency: int, keep: bool = False) -> dict:
    env = configure(mode)
    from django.conf import settings
    from django.db import connection

    from tests.support.smtp import SmtpServer

    server = SmtpServer().start()
    log = ROOT / "var" / f"bench-outbox-worker-{mode}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    worker = start_worker(env, server.url, log, concurrency)
    try:
        results = []
        for run in range(1, runs + 1):
            result = one_run(run, count, server, worker)
            results.append(result)
            print(
                f"  essai {run} : {result['emails']} courriels en {result['seconds']:.2f} s, "
                f"{result['rate']:.0f} courriels/s ; lignes « envoyé » : {result['sent_rows']} ; "
                f"doublons : {result['duplicates']} ; connexions SMTP : {result['connections']} ; "
                f"CPU par courriel : worker {result['worker_cpu_ms']} ms, serveur SMTP {result['smtp_cpu_ms']} ms",
                flush=True,
            )
    finally:
        stop_worker(worker)
        server.stop()
    rates = [result["rate"] for result in results]
    summary = {
        "mode": mode,
        "database": database_label(connection),
        "broker": settings.CELERY_BROKER_URL.split("://")[0],
        "batch_size": settings.OUTBOX_BATCH_SIZE,
        "concurrency": concurrency,
        "runs": results,
        "median_rate": statistics.median(rates),
        "ok": all(
            r["duplicates"] == 0 and r["sent_rows"] == count and r["all_at_server"] and r["rate"] >= TARGET
            for r in results
        ),
    }
    if not keep:
        clean_up(mode, env)
    return summary


def main() -> None:
    # A benchmark stopped by a signal still stops its worker (the finally clauses run).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["services", "embedded", "both"], default="both")
    parser.add_argument("--emails", type=int, default=5000, help="courriels par essai (5 000)")
    parser.add_argument("--runs", type=int, default=3, help="essais par mode ; la médiane est retenue (3)")
    parser.add_argument("--concurrency", type=int, default=2, help="processus du worker (prefork, 2)")
    parser.add_argument("--keep", action="store_true", help="garder la base (ou var/bench-outbox/) à la fin")
    args = parser.parse_args()

    if args.mode == "both":
        print(f"Machine : {os.cpu_count()} cœurs, Python {platform.python_version()}, {platform.platform()}")
        summaries = []
        for mode in ("services", "embedded"):
            command = [sys.executable, __file__, "--mode", mode, "--emails", str(args.emails), "--runs", str(args.runs)]
            command += ["--concurrency", str(args.concurrency)] + (["--keep"] if args.keep else [])
            output = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            for line in output.stdout.splitlines():
                if line.startswith(RESULT_PREFIX):
                    summaries.append(json.loads(line[len(RESULT_PREFIX) :]))
                else:
                    print(line)
            if output.returncode not in (0, 1):
                print(output.stderr[-3000:], file=sys.stderr)
                raise SystemExit(output.returncode)
        print()
        print("| mode | base | broker | courriels | médiane (courriels/s) | essais (courriels/s) | doublons |")
        print("|---|---|---|---:|---:|---|---:|")
        for summary in summaries:
            rates = ", ".join(f"{run['rate']:.0f}" for run in summary["runs"])
            duplicates = sum(run["duplicates"] for run in summary["runs"])
            print(
                f"| {summary['mode']} | {summary['database']} | {summary['broker']} | {args.emails} "
                f"| {summary['median_rate']:.0f} | {rates} | {duplicates} |"
            )
        raise SystemExit(0 if summaries and all(summary["ok"] for summary in summaries) else 1)

    print(f"== {args.mode} ==", flush=True)
    summary = run_mode(args.mode, args.emails, args.runs, args.concurrency, args.keep)
    print(
        f"  médiane : {summary['median_rate']:.0f} courriels/s ({summary['database']}, broker {summary['broker']}, "
        f"lots de {summary['batch_size']}) — objectif {TARGET:.0f}/s : {'atteint' if summary['ok'] else 'MANQUÉ'}"
    )
    print(RESULT_PREFIX + json.dumps(summary), flush=True)
    raise SystemExit(0 if summary["ok"] else 1)


if __name__ == "__main__":
    main()
