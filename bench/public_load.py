"""Load benchmark of the public pages and the map API, anonymous, at national size.

Builds, on a fresh database (SQLite file under bench/out/, or PostgreSQL with --postgres),
the départements, 35,000 municipalities with centroids (those of the Bouches-du-Rhône with
contours of 64 points), a pact of 32 measures over 8 themes, 1,000 municipalities with an
elected list's pledge assessed in one published cycle (32,000 assessments), validated
initiatives and public actions; all by bulk_create. Then serves the project with gunicorn
(gunicorn.conf.py, DEBUG=0, 2 sync workers, a file or Redis cache shared by them) in a
second process, and measures, with a load generator in a third process (a bounded asyncio
client of the standard library: loopback only, a fixed number of requests and a time
limit), each of

    /carte/?departement=13    /communes/<insee>/    /api/map/?department=13

after a warm-up request: requests per second and 95th percentile latency, median over the
repeats. Every request must answer 200.

    .venv/bin/python bench/public_load.py [--municipalities N] [--scored N] [--requests N]
        [--concurrency N] [--repeat N] [--postgres] [--cache-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "public_load"
DEPARTMENTS_FILE = ROOT / "officials" / "data" / "reference" / "v_departement.csv"
SEED = 20230304
HOST = "127.0.0.1"
TIME_LIMIT = 60.0  # seconds per measured run, whatever the number of requests
POSTGRES_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
POSTGRES_DATABASE = "pacte_bench_public"


# --- Load generator (run in its own process: `public_load.py --client URL N C`) ----------


async def _fetch(path: str, port: int) -> tuple[int, float, int]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\nAccept: */*\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()  # gunicorn's sync workers close after each answer
    writer.close()
    status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/") else 0
    return status, time.perf_counter() - started, len(data)


async def _load(path: str, port: int, count: int, concurrency: int) -> dict:
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    sizes: list[int] = []
    deadline = time.perf_counter() + TIME_LIMIT
    remaining = count

    async def worker():
        nonlocal remaining
        while remaining > 0 and time.perf_counter() < deadline:
            remaining -= 1
            status, latency, size = await _fetch(path, port)
            statuses[status] = statuses.get(status, 0) + 1
            latencies.append(latency)
            sizes.append(size)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies),
        "seconds": elapsed,
        "rps": len(latencies) / elapsed,
        "p50_ms": 1000 * latencies[len(latencies) // 2],
        "p95_ms": 1000 * latencies[min(len(latencies) - 1, math.ceil(0.95 * len(latencies)) - 1)],
        "statuses": statuses,
        "bytes": statistics.median(sizes),
    }


def client_main(path: str, port: int, count: int, concurrency: int) -> None:
    print(json.dumps(asyncio.run(_load(path, port, count, concurrency))))


def measure(path: str, port: int, count: int, concurrency: int) -> dict:
    """One run of the load generator in another process."""
    command = [sys.executable, __file__, "--client", path, str(port), str(count), str(concurrency)]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=TIME_LIMIT + 60)
    return json.loads(output.stdout)


# --- Data --------------------------------------------------------------------------------


def environment(args) -> dict:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-a-secret-bench-only-not-a-secret",
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": str(OUT / "static"),
        "VAR_DIR": str(OUT / "var"),
        "CACHE_URL": args.cache_url or f"file://{OUT / 'cache'}",
        "DATABASE_URL": f"{POSTGRES_URL}/{POSTGRES_DATABASE}"
        if args.postgres
        else f"sqlite:///{OUT / 'public_load.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "backend.settings",
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CELERY_TASK_ALWAYS_EAGER", None)
    return env


def fresh_database(args) -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "var").mkdir(parents=True)
    if args.postgres:
        import psycopg

        with psycopg.connect(f"{POSTGRES_URL}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)")
            connection.execute(f"CREATE DATABASE {POSTGRES_DATABASE}")


def ring(longitude: float, latitude: float, radius: float, points: int = 64) -> list[list[float]]:
    coordinates = [
        [
            round(longitude + radius * math.cos(2 * math.pi * k / points), 5),
            round(latitude + 0.7 * radius * math.sin(2 * math.pi * k / points), 5),
        ]
        for k in range(points)
    ]
    return [*coordinates, coordinates[0]]


def build(args) -> dict:
    """Fill the database; returns what the measures ask for. Runs in this process."""
    import csv

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from campaigns.models import (
        Action,
        Assessment,
        AssessmentStatus,
        Collective,
        Initiative,
        Measure,
        Pact,
        Pledge,
        PledgedMeasure,
        ReviewCycle,
        ScoringScale,
        Theme,
    )
    from campaigns.reviews.services import DEFAULT_SCALE_NAME
    from officials.models import Department, Municipality, MunicipalityContour

    call_command("migrate", verbosity=0)
    randomizer = random.Random(SEED)
    started = time.perf_counter()
    with transaction.atomic():
        with DEPARTMENTS_FILE.open(encoding="utf-8") as file:
            departments = Department.objects.bulk_create(
                [
                    Department(code=row["DEP"], name=row["LIBELLE"], region_code=row["REG"])
                    for row in csv.DictReader(file)
                ]
            )
        # The Bouches-du-Rhône as it is (119 communes), the rest spread over the other
        # départements of metropolitan France, numbered in each (INSEE codes are unique).
        others = [
            department.code for department in departments if len(department.code) == 2 and department.code != "13"
        ]
        numbers = dict.fromkeys(others, 0)
        municipalities = []
        for index in range(args.municipalities):
            if index < 119:
                department, code = "13", f"13{index + 1:03d}"
                longitude, latitude = 4.3 + 1.4 * randomizer.random(), 43.2 + 0.7 * randomizer.random()
            else:
                department = others[index % len(others)]
                numbers[department] += 1
                code = f"{department}{numbers[department]:03d}"
                longitude, latitude = -4.5 + 12.5 * randomizer.random(), 42.5 + 8.5 * randomizer.random()
            municipalities.append(
                Municipality(
                    insee_code=code,
                    name=f"Commune {index}",
                    search_name=f"commune {index}",
                    department_id=department,
                    population=randomizer.randint(100, 50_000),
                    centroid_longitude=longitude,
                    centroid_latitude=latitude,
                )
            )
        Municipality.objects.bulk_create(municipalities, batch_size=2000)
        MunicipalityContour.objects.bulk_create(
            [
                MunicipalityContour(
                    municipality=municipality,
                    geometry={
                        "type": "Polygon",
                        "coordinates": [ring(municipality.centroid_longitude, municipality.centroid_latitude, 0.03)],
                    },
                )
                for municipality in municipalities
                if municipality.department_id == "13"
            ]
        )
        pact = Pact.objects.create(name="Pacte pour la Transition 2020", year=2020)
        themes = Theme.objects.bulk_create(
            [Theme(pact=pact, code=f"theme-{k}", name=f"Thématique {k}", position=k) for k in range(8)]
        )
        measures = Measure.objects.bulk_create(
            [
                Measure(
                    pact=pact,
                    kind=Measure.Kind.MEASURE,
                    code=f"{k + 1:02d}",
                    title=f"Mesure {k + 1}",
                    theme=themes[k % 8],
                    position=k,
                )
                for k in range(32)
            ]
        )
        collective = Collective.objects.create(name="Collectif national", slug="national")
        # Scored: 60 communes of the Bouches-du-Rhône, the rest across France.
        scored = municipalities[:60] + randomizer.sample(municipalities[119:], args.scored - 60)
        pledges = Pledge.objects.bulk_create(
            [
                Pledge(
                    pact=pact,
                    municipality=municipality,
                    collective=collective,
                    list_name=f"Liste {municipality.name}",
                    election_outcome=Pledge.Outcome.ELECTED,
                )
                for municipality in scored
            ]
        )
        pledged = PledgedMeasure.objects.bulk_create(
            [PledgedMeasure(pledge=pledge, measure=measure) for pledge in pledges for measure in measures],
            batch_size=5000,
        )
        cycle = ReviewCycle.objects.create(
            pact=pact,
            name="Bilan de mi-mandat 2023",
            opens_on="2023-01-01",
            closes_on="2023-06-30",
            is_published=True,
            scale=ScoringScale.objects.get(name=DEFAULT_SCALE_NAME),
        )
        statuses = [AssessmentStatus.DONE, AssessmentStatus.PARTIAL, AssessmentStatus.IN_PROGRESS]
        statuses += [AssessmentStatus.NOT_STARTED]
        Assessment.objects.bulk_create(
            [
                Assessment(
                    cycle=cycle,
                    pledged_measure=row,
                    status=randomizer.choice(statuses),
                    evidence="Délibération du conseil municipal et article de presse.",
                    sources=["https://www.example.org/deliberation"],
                )
                for row in pledged
            ],
            batch_size=5000,
        )
        Initiative.objects.bulk_create(
            [
                Initiative(
                    name=f"Initiative {k}",
                    kind=randomizer.choice(Initiative.Kind.values),
                    municipality=municipalities[k % 119] if k < 40 else randomizer.choice(municipalities),
                    status=Initiative.Status.VALIDATED,
                )
                for k in range(2000)
            ]
        )
        Action.objects.bulk_create(
            [
                Action(
                    collective=collective,
                    kind=Action.Kind.MEETING,
                    date="2023-03-04",
                    title=f"Rendez-vous {k}",
                    municipality=randomizer.choice(scored),
                    is_public=True,
                )
                for k in range(3000)
            ]
        )
    return {"built_seconds": time.perf_counter() - started, "commune": scored[0].insee_code}


# --- Server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def serve(env: dict, port: int) -> subprocess.Popen:
    log = (OUT / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "backend.wsgi", "-b", f"{HOST}:{port}", "-w", "2"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"gunicorn did not start; see {OUT / 'gunicorn.log'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--municipalities", type=int, default=35_000)
    parser.add_argument("--scored", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=400, help="requests per run and address")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help=f"PostgreSQL at {POSTGRES_URL} (BENCH_POSTGRES_URL)")
    parser.add_argument("--cache-url", default="", help="default: a file cache under bench/out/")
    args = parser.parse_args()

    fresh_database(args)
    env = environment(args)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    facts = build(args)
    print(f"data built in {facts['built_seconds']:.1f} s ({args.municipalities} municipalities, {args.scored} scored)")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    addresses = ["/carte/?departement=13", f"/communes/{facts['commune']}/", "/api/map/?department=13"]
    port = free_port()
    server = serve(env, port)
    try:
        print(f"load: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
        results = {}
        for address in addresses:
            warm = measure(address, port, 1, 1)
            if warm["statuses"] != {"200": 1}:
                raise SystemExit(f"{address} answered {warm['statuses']}; see {OUT / 'gunicorn.log'}")
            runs = [measure(address, port, args.requests, args.concurrency) for _ in range(args.repeat)]
            failed = [run["statuses"] for run in runs if set(run["statuses"]) != {"200"}]
            if failed:
                raise SystemExit(f"{address}: answers other than 200: {failed}")
            results[address] = runs
            print(
                f"{address:40} {statistics.median(r['rps'] for r in runs):7.1f} req/s  "
                f"p95 {statistics.median(r['p95_ms'] for r in runs):7.1f} ms  "
                f"p50 {statistics.median(r['p50_ms'] for r in runs):6.1f} ms  "
                f"{runs[0]['bytes'] / 1024:6.1f} KiB  "
                f"({args.repeat} runs of {runs[0]['requests']} requests, {args.concurrency} at once)"
            )
        print(f"load after: {os.getloadavg()[0]:.2f} (1 min)")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--client":
        client_main(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        main()
