"""Benchmark of the review analytics (campaigns.reviews.analytics) on PostgreSQL at national size.

Builds, on a fresh database, a pact of 3 principles and 32 measures over 8 themes, about
1,000 municipalities across 10 départements, one elected pledge per municipality with the
32 measures and 2 published review cycles: 64,000 assessments with deterministic
pseudo-random statuses and progress. Then, for each grouping of ``analytics.progress`` and
for ``analytics.summary``, times the ORM path side by side with the same aggregation
written as one raw SQL query, checks that both give the same figures, counts the ORM's
queries on this cycle and on a 10-municipality one, and times the HTTP endpoint.

    .venv/bin/python bench/review_analytics.py [--municipalities N] [--repeat N] [--markdown]

Exits with status 1 when a grouping misses its target (median over 200 ms, or over twice
the raw query), or when the query count depends on the size of the data. See bench/README.md.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import math
import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPARTMENTS_FILE = ROOT / "officials" / "data" / "reference" / "v_departement.csv"
THEMES_FILE = ROOT / "campaigns" / "data" / "themes-2023.csv"
DATABASE = "pacte_bench_reviews"
SEED = 20230615

TARGET_MS = 200.0
TARGET_RATIO = 2.0
PRINCIPLES = 3
MEASURES = 32
SUMMARY = "summary"

# Status mix of the first cycle, in percent. The second cycle moves measures forward.
STATUS_MIX = {
    "not_assessed": 8,
    "not_started": 14,
    "in_progress": 26,
    "partial": 22,
    "done": 20,
    "abandoned": 5,
    "not_measurable": 5,
}
NEXT_STEP = {"not_assessed": "in_progress", "not_started": "in_progress", "in_progress": "partial", "partial": "done"}
# Progress refined by the assessor, for some of the measures with these statuses.
REFINED_PROGRESS = {"in_progress": (5, 45), "partial": (30, 85)}


# --- Database and Django set-up ----------------------------------------------------------


def admin(server_url: str, *statements: str) -> list:
    """Run statements on the server's ``postgres`` database (CREATE/DROP DATABASE need autocommit)."""
    import psycopg

    with psycopg.connect(f"{server_url}/postgres", autocommit=True) as connection:
        result = []
        for statement in statements:
            cursor = connection.execute(statement)
            result = cursor.fetchall() if cursor.description else result
        return result


def set_up_django(server_url: str) -> None:
    admin(server_url, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)", f"CREATE DATABASE {DATABASE}")
    # Settings are read from the environment once, at django.setup(): set them first.
    os.environ["DATABASE_URL"] = f"{server_url}/{DATABASE}"
    os.environ["DEBUG"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from backend.folders import make_local_folders

    make_local_folders()  # as manage.py does: the SQLite and broker folders

    call_command("migrate", verbosity=0, interactive=False)


# --- Data -------------------------------------------------------------------------------


@dataclass
class Dataset:
    cycles: list  # the big cycles, oldest first
    small_cycle: object  # a cycle of a 10-municipality pact, for the query counts
    municipalities: int
    assessments: int
    seconds: float


def read_departments(count: int) -> list[tuple[str, str]]:
    with open(DEPARTMENTS_FILE, encoding="utf-8", newline="") as handle:
        return [(row["DEP"], row["LIBELLE"]) for row in csv.DictReader(handle)][:count]


def make_municipalities(rng: random.Random, count: int, departments: int) -> list:
    from core.text import fold
    from officials.models import Department, Municipality

    chosen = read_departments(departments)
    Department.objects.bulk_create([Department(code=code, name=name) for code, name in chosen])
    # Départements of very different sizes, as in France, so that groups are uneven.
    weights = [rng.uniform(0.4, 1.8) for _ in chosen]
    codes = rng.choices([code for code, _name in chosen], weights=weights, k=count - len(chosen))
    codes += [code for code, _name in chosen]  # every département has at least one municipality
    numbers = {code: iter(rng.sample(range(1, 1000), codes.count(code))) for code, _name in chosen}
    rows = []
    for index, code in enumerate(sorted(codes)):
        name = f"Commune {index + 1:04d}"
        rows.append(
            Municipality(
                insee_code=f"{code}{next(numbers[code]):03d}",
                name=name,
                search_name=fold(name),  # bulk_create skips Municipality.save(), which sets it
                department_id=code,
                population=rng.randint(80, 60_000),
            )
        )
    return Municipality.objects.bulk_create(rows, batch_size=2000)


def make_pact(name: str) -> tuple:
    from campaigns.models import Measure, Pact, Theme

    pact = Pact.objects.create(name=name, year=2020, min_measures=10)
    with open(THEMES_FILE, encoding="utf-8", newline="") as handle:
        themes = Theme.objects.bulk_create(
            Theme(pact=pact, code=row["code"], name=row["title"], position=position)
            for position, row in enumerate(csv.DictReader(handle))
        )
    principles = [
        Measure(pact=pact, kind=Measure.Kind.PRINCIPLE, code=chr(ord("A") + i), title=f"Principe {i + 1}", position=i)
        for i in range(PRINCIPLES)
    ]
    measures = [
        Measure(
            pact=pact,
            code=f"{i + 1:02d}",
            title=f"Mesure {i + 1:02d}",
            theme=themes[i % len(themes)],
            position=PRINCIPLES + i,
        )
        for i in range(MEASURES)
    ]
    Measure.objects.bulk_create(principles + measures)
    return pact, measures


def make_pledges(pact, measures: list, municipalities: list) -> list:
    from campaigns.models import Pledge, PledgedMeasure

    pledges = Pledge.objects.bulk_create(
        Pledge(
            pact=pact,
            municipality=municipality,
            list_name=f"Liste citoyenne de {municipality.name}",
            signed_on=dt.date(2020, 2, 15),
            election_outcome=Pledge.Outcome.ELECTED,
        )
        for municipality in municipalities
    )
    return PledgedMeasure.objects.bulk_create(
        (PledgedMeasure(pledge=pledge, measure=measure) for pledge in pledges for measure in measures),
        batch_size=5000,
    )


def progress_of(rng: random.Random, status: str) -> int | None:
    from campaigns.models import DEFAULT_PROGRESS

    if status in REFINED_PROGRESS and rng.random() < 0.6:
        return rng.randint(*REFINED_PROGRESS[status])
    return DEFAULT_PROGRESS[status]


def make_cycles(rng: random.Random, pact, pledged: list, names: list[str]) -> list:
    """Cycles with one assessment per pledged measure, inserted in bulk: the rows that
    services.cycle_create and a grid save of every measure would leave, without 64,000
    individual saves (the analytics read only status and progress)."""
    from campaigns.models import Assessment, ReviewCycle, ScoringScale
    from campaigns.reviews.services import DEFAULT_SCALE_NAME

    scale = ScoringScale.objects.get(name=DEFAULT_SCALE_NAME)  # installed by migration 0003
    statuses, weights = zip(*STATUS_MIX.items(), strict=True)
    # Some municipalities move faster than others: each has its own drive.
    drive = {pm.pledge_id: rng.uniform(0.1, 0.7) for pm in pledged}
    current = {pm.pk: rng.choices(statuses, weights=weights)[0] for pm in pledged}
    cycles = []
    for number, name in enumerate(names):
        year = 2023 + 2 * number
        cycle = ReviewCycle.objects.create(
            pact=pact,
            name=name,
            opens_on=dt.date(year, 3, 1),
            closes_on=dt.date(year, 6, 30),
            status=ReviewCycle.Status.CLOSED,
            is_published=True,
            scale=scale,
        )
        if number:
            for pm in pledged:
                if current[pm.pk] in NEXT_STEP and rng.random() < drive[pm.pledge_id]:
                    current[pm.pk] = NEXT_STEP[current[pm.pk]]
        Assessment.objects.bulk_create(
            (
                Assessment(
                    cycle=cycle,
                    pledged_measure_id=pm.pk,
                    status=current[pm.pk],
                    progress=progress_of(rng, current[pm.pk]),
                )
                for pm in pledged
            ),
            batch_size=5000,
        )
        cycles.append(cycle)
    return cycles


def generate(municipality_count: int, departments: int) -> Dataset:
    from django.db import connection, transaction

    from campaigns.models import Assessment

    started = time.perf_counter()
    rng = random.Random(SEED)
    with transaction.atomic():
        municipalities = make_municipalities(rng, municipality_count, departments)
        pact, measures = make_pact("Pacte pour la Transition (banc d'essai)")
        pledged = make_pledges(pact, measures, municipalities)
        cycles = make_cycles(rng, pact, pledged, ["Bilan de mi-mandat 2023", "Bilan de fin de mandat 2025"])
        # A separate pact signed in 10 municipalities: its cycle shows that the number of
        # queries does not grow with the data.
        small_pact, small_measures = make_pact("Pacte témoin (10 communes)")
        small_pledged = make_pledges(small_pact, small_measures, municipalities[:10])
        (small_cycle,) = make_cycles(rng, small_pact, small_pledged, ["Bilan témoin 2023"])
    # Fresh statistics and visibility map, as a production database has after autovacuum;
    # without them the first plans are guessed and autovacuum may start in the middle of a
    # measurement.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return Dataset(
        cycles=cycles,
        small_cycle=small_cycle,
        municipalities=len(municipalities),
        assessments=Assessment.objects.filter(cycle__in=cycles).count(),
        seconds=time.perf_counter() - started,
    )


# --- The same aggregation in raw SQL ----------------------------------------------------


def raw_query(by: str, weights: dict[str, float]) -> tuple[str, list]:
    """The aggregation of analytics.progress (or summary) as one hand-written query.

    Same joins as the ORM (inner joins along non-null foreign keys, a left join to the
    optional theme), COUNT FILTER per status, weights of the scale inlined as parameters.
    """
    from campaigns.models import Assessment, AssessmentStatus, Measure, Pledge, PledgedMeasure, Theme
    from officials.models import Department, Municipality

    tables = {
        "a": Assessment._meta.db_table,
        "pm": PledgedMeasure._meta.db_table,
        "p": Pledge._meta.db_table,
        "m": Municipality._meta.db_table,
        "d": Department._meta.db_table,
        "me": Measure._meta.db_table,
        "t": Theme._meta.db_table,
    }
    joins = {
        "municipality": "JOIN {m} m ON m.insee_code = p.municipality_id",
        "measure": "JOIN {me} me ON me.id = pm.measure_id",
        "theme": "JOIN {me} me ON me.id = pm.measure_id LEFT JOIN {t} t ON t.id = me.theme_id",
        "department": "JOIN {m} m ON m.insee_code = p.municipality_id JOIN {d} d ON d.code = m.department_id",
        SUMMARY: "",
    }[by]
    grouped = {
        "municipality": {"key": "p.municipality_id", "label": "m.name"},
        "measure": {"key": "pm.measure_id", "label": "me.title", "code": "me.code"},
        "theme": {"key": "me.theme_id", "label": "t.name"},
        "department": {"key": "m.department_id", "label": "d.name"},
        SUMMARY: {},
    }[by]
    columns = [f"{expression} AS {alias}" for alias, expression in grouped.items()]
    params: list = []
    for status in AssessmentStatus.values:
        columns.append(f"COUNT(*) FILTER (WHERE a.status = %s) AS count_{status}")
        params.append(status)
    counted = ", ".join(["%s"] * len(weights))
    cases = " ".join(["WHEN %s THEN %s"] * len(weights))
    columns += [
        "COUNT(*) AS total",
        "COUNT(DISTINCT p.municipality_id) AS municipalities",
        "AVG(a.progress::float8) AS average_progress",
        f"SUM(CASE a.status {cases} ELSE 0 END) FILTER (WHERE a.status IN ({counted})) AS weighted",
        f"COUNT(*) FILTER (WHERE a.status IN ({counted})) AS counted",
    ]
    for status, weight in weights.items():
        params += [status, weight]
    params += list(weights) * 2
    sql = (
        f"SELECT {', '.join(columns)} FROM {{a}} a "
        "JOIN {pm} pm ON pm.id = a.pledged_measure_id JOIN {p} p ON p.id = pm.pledge_id "
        f"{joins} WHERE a.cycle_id = %s"
    )
    if grouped:
        sql += f" GROUP BY {', '.join(grouped.values())} ORDER BY key"
    return sql.format(**tables), params


def run_raw(sql: str, params: list, cycle_id: int) -> tuple[list[str], list[tuple]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, cycle_id])
        return [column.name for column in cursor.description], cursor.fetchall()


# --- Checks -----------------------------------------------------------------------------


def shape_raw(columns: list[str], row: tuple) -> dict:
    from campaigns.models import AssessmentStatus

    values = dict(zip(columns, row, strict=True))
    # Python floats reach PostgreSQL as numeric literals (client-side binding): the sum is a Decimal.
    counted, weighted = values["counted"], float(values["weighted"] or 0)
    return {
        "key": values.get("key"),
        "label": values.get("label"),
        "counts": {status: values[f"count_{status}"] for status in AssessmentStatus.values},
        "total": values["total"],
        "municipalities": values["municipalities"],
        "assessed": counted,
        "average_progress": values["average_progress"],
        "score": 10 * weighted / counted if counted else None,
    }


def close(a: float | None, b: float | None, tolerance: float) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and abs(a - b) <= tolerance)


def check_agree(by: str, orm: list[dict], raw: list[dict]) -> None:
    """Stop the benchmark if the ORM and the raw query disagree: a fast wrong answer is no answer."""
    orm_by_key, raw_by_key = {row.get("key"): row for row in orm}, {row.get("key"): row for row in raw}
    problems = []
    if len(orm_by_key) != len(orm) or orm_by_key.keys() != raw_by_key.keys():
        problems.append(f"groupes différents : ORM {len(orm)}, SQL brut {len(raw)}")
    for key in orm_by_key.keys() & raw_by_key.keys():
        mine, theirs = orm_by_key[key], raw_by_key[key]
        for name in ("counts", "total", "municipalities", "assessed"):
            if mine[name] != theirs[name]:
                problems.append(f"{key} : {name} {mine[name]} ≠ {theirs[name]}")
        named_by_orm = by == "theme" and key is None  # the ORM labels the theme-less group
        if by != SUMMARY and not named_by_orm and mine["label"] != theirs["label"]:
            problems.append(f"{key} : libellé {mine['label']!r} ≠ {theirs['label']!r}")
        # The ORM rounds the score to 2 decimals and the average progress to 1.
        if not close(mine["score"], theirs["score"], 0.01):
            problems.append(f"{key} : note {mine['score']} ≠ {theirs['score']}")
        if not close(mine["average_progress"], theirs["average_progress"], 0.05 + 1e-9):
            problems.append(f"{key} : avancement {mine['average_progress']} ≠ {theirs['average_progress']}")
    if problems:
        sys.exit(
            f"ÉCHEC {by} : l'ORM et le SQL brut ne donnent pas le même résultat :\n  " + "\n  ".join(problems[:20])
        )


# --- Measurements -----------------------------------------------------------------------


@dataclass
class Timing:
    seconds: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.seconds)

    @property
    def p95_ms(self) -> float:
        ordered = sorted(self.seconds)  # nearest rank
        return 1000 * ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


@dataclass
class Result:
    by: str
    groups: int
    orm: Timing
    raw: Timing
    queries: int  # ORM queries on the big cycle
    small_queries: int  # ... and on the 10-municipality cycle

    @property
    def ratio(self) -> float:
        return self.orm.median_ms / self.raw.median_ms

    @property
    def ok(self) -> bool:
        return self.orm.median_ms <= TARGET_MS and self.ratio <= TARGET_RATIO and self.queries == self.small_queries


@dataclass
class Endpoint:
    label: str
    http: Timing
    analytics: Timing  # the analytics calls the view makes, timed in turns with the requests
    queries: int
    groups: int

    @property
    def overhead_ms(self) -> float:
        """What the view adds: cycle lookup, permissions, JSON rendering of the groups."""
        return self.http.median_ms - self.analytics.median_ms


def interleaved(orm: Callable, raw: Callable, warmup: int, repeat: int) -> tuple[Timing, Timing]:
    """Time both calls in turns, swapping which goes first, so that a slower moment of the
    machine (or a warmer cache for the second call) weighs on both alike."""
    for _ in range(warmup):
        orm()
        raw()
    timings = {orm: Timing(), raw: Timing()}
    for round_number in range(repeat):
        for call in (orm, raw) if round_number % 2 == 0 else (raw, orm):
            started = time.perf_counter()
            call()
            timings[call].seconds.append(time.perf_counter() - started)
    return timings[orm], timings[raw]


def fresh_by_pk(pk: int):
    """The cycle as the view gets it (scale joined), so each count starts from the same state."""
    from campaigns.models import ReviewCycle

    return ReviewCycle.objects.select_related("scale").get(pk=pk)


def fresh(cycle):
    return fresh_by_pk(cycle.pk)


def count_queries(call: Callable) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        call()
    return len(context.captured_queries)


def bench_grouping(by: str, cycle, small_cycle, weights: dict, warmup: int, repeat: int) -> Result:
    from campaigns.reviews import analytics

    def orm_of(target):
        if by == SUMMARY:
            return lambda: [analytics.summary(cycle=target)]
        return lambda: analytics.progress(cycle=target, by=by)

    sql, params = raw_query(by, weights)

    def raw_of(target):
        return lambda: run_raw(sql, params, target.pk)

    for target in (cycle, small_cycle):
        columns, rows = raw_of(target)()
        check_agree(by, orm_of(fresh(target))(), [shape_raw(columns, row) for row in rows])
    if count_queries(raw_of(cycle)) != 1:
        sys.exit(f"ÉCHEC {by} : la requête brute devrait être une seule requête.")
    queries = count_queries(orm_of(fresh(cycle)))
    small_queries = count_queries(orm_of(fresh(small_cycle)))
    target = fresh(cycle)
    orm_timing, raw_timing = interleaved(orm_of(target), raw_of(target), warmup, repeat)
    return Result(by, len(orm_of(target)()), orm_timing, raw_timing, queries, small_queries)


def view_analytics(cycle_id: int, by: str, compare_to: int | None) -> Callable:
    """The analytics calls of ReviewCycleViewSet.progress for an anonymous visitor, without HTTP."""
    from django.contrib.auth.models import AnonymousUser

    from campaigns.reviews import analytics
    from campaigns.reviews.selectors import assessments_visible_to

    visible = assessments_visible_to(AnonymousUser())

    def run():
        cycle = fresh_by_pk(cycle_id)
        groups = analytics.progress(cycle=cycle, by=by, assessments=visible)
        analytics.summary(cycle=cycle, assessments=visible)
        if compare_to is not None:
            other = fresh_by_pk(compare_to)
            analytics.compare(groups, analytics.progress(cycle=other, by=by, assessments=visible))
            analytics.summary(cycle=other, assessments=visible)
        return groups

    return run


def bench_endpoint(cycle_id: int, by: str, compare_to: int | None, expected_groups: int, repeat: int) -> Endpoint:
    from django.test import Client

    url = f"/api/review-cycles/{cycle_id}/progress/?by={by}"
    label = by
    if compare_to is not None:
        url += f"&compare_to={compare_to}"
        label += f", compare_to={compare_to}"
    # Anonymous, on a published cycle: the public's view. The host must be allowed.
    client = Client(HTTP_HOST="localhost", HTTP_ACCEPT="application/json")

    def get():
        response = client.get(url)
        if response.status_code != 200:
            sys.exit(f"ÉCHEC {url} : HTTP {response.status_code}\n{response.content[:500]!r}")
        return response

    groups = len(get().json()["groups"])
    if groups != expected_groups:
        sys.exit(f"ÉCHEC {url} : {groups} groupes au lieu de {expected_groups}.")
    http, direct = interleaved(get, view_analytics(cycle_id, by, compare_to), 1, repeat)
    return Endpoint(label, http, direct, count_queries(get), groups)


# --- Report -----------------------------------------------------------------------------


def thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def print_table(results: list[Result], endpoints: list[Endpoint], markdown: bool) -> None:
    head = ["regroupement", "groupes", "ORM méd. ms", "ORM p95 ms", "SQL méd. ms", "SQL p95 ms", "ORM/SQL"]
    head += ["requêtes ORM (gros/10 communes)", "objectif"]
    rows = [
        [
            result.by,
            thousands(result.groups),
            f"{result.orm.median_ms:.1f}",
            f"{result.orm.p95_ms:.1f}",
            f"{result.raw.median_ms:.1f}",
            f"{result.raw.p95_ms:.1f}",
            f"{result.ratio:.2f}",
            f"{result.queries} / {result.small_queries}",
            "OK" if result.ok else "MANQUÉ",
        ]
        for result in results
    ]
    endpoint_head = ["requête HTTP (anonyme)", "groupes", "HTTP méd. ms", "HTTP p95 ms", "analytics seules méd. ms"]
    endpoint_head += ["surcoût de la vue ms", "requêtes SQL"]
    endpoint_rows = [
        [
            endpoint.label,
            thousands(endpoint.groups),
            f"{endpoint.http.median_ms:.1f}",
            f"{endpoint.http.p95_ms:.1f}",
            f"{endpoint.analytics.median_ms:.1f}",
            f"{endpoint.overhead_ms:.1f}",
            str(endpoint.queries),
        ]
        for endpoint in endpoints
    ]
    for table_head, table_rows in ((head, rows), (endpoint_head, endpoint_rows)):
        print()
        if markdown:
            print("| " + " | ".join(table_head) + " |")
            print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(table_head))) + "|")
            for row in table_rows:
                print("| " + " | ".join(row) + " |")
        else:
            widths = [max(len(str(cell)) for cell in column) for column in zip(table_head, *table_rows, strict=True)]
            for row in (table_head, *table_rows):
                print(
                    "  ".join(
                        cell.ljust(w) if i == 0 else cell.rjust(w)
                        for i, (cell, w) in enumerate(zip(row, widths, strict=True))
                    )
                )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, default=1000, help="communes signataires (1 000)")
    parser.add_argument("--departments", type=int, default=10, help="départements (10)")
    parser.add_argument("--repeat", type=int, default=30, help="mesures par regroupement, au moins 15 (30)")
    parser.add_argument("--warmup", type=int, default=3, help="appels de chauffe non mesurés (3)")
    parser.add_argument("--http-repeat", type=int, default=10, help="mesures de chaque requête HTTP (10)")
    parser.add_argument("--markdown", action="store_true", help="tableaux en Markdown, pour docs/performance.md")
    parser.add_argument("--keep", action="store_true", help="garder la base pacte_bench_reviews à la fin")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help=f"serveur PostgreSQL ; la base {DATABASE} y est supprimée et recréée",
    )
    args = parser.parse_args()
    if args.repeat < 15:
        parser.error("--repeat : au moins 15 mesures, sinon le p95 ne veut rien dire")

    server = args.postgres_url.rstrip("/")
    set_up_django(server)
    from django.db import connection

    from campaigns.reviews import analytics

    version = admin(server, "SHOW server_version")[0][0]
    print(f"Machine : {os.cpu_count()} cœurs, Python {platform.python_version()}, {platform.platform()}")
    print(f"PostgreSQL {version}, base {DATABASE}")
    data = generate(args.municipalities, args.departments)
    print(
        f"Données générées en {data.seconds:.1f} s : {thousands(data.municipalities)} communes, {MEASURES} mesures "
        f"signées chacune, {len(data.cycles)} cycles, {thousands(data.assessments)} évaluations",
        flush=True,
    )

    # Other processes on the machine skew wall-clock timings: say how busy it was.
    load_before = os.getloadavg()[0]
    cycle = data.cycles[-1]
    weights = fresh(cycle).scale.weights()
    results = []
    for by in [*analytics.GROUPINGS, SUMMARY]:
        results.append(bench_grouping(by, cycle, data.small_cycle, weights, args.warmup, args.repeat))
        print(f"  {by} : mesuré ({args.repeat} fois)", flush=True)

    groups = {result.by: result.groups for result in results}
    endpoints = [bench_endpoint(cycle.pk, by, None, groups[by], args.http_repeat) for by in analytics.GROUPINGS]
    previous = data.cycles[0]
    endpoints.append(bench_endpoint(cycle.pk, "municipality", previous.pk, groups["municipality"], args.http_repeat))
    print(
        f"Charge de la machine (load average 1 min) : {load_before:.2f} avant les mesures, "
        f"{os.getloadavg()[0]:.2f} après"
    )

    print_table(results, endpoints, args.markdown)
    print(
        f"\nObjectif : médiane ORM ≤ {TARGET_MS:.0f} ms et ≤ {TARGET_RATIO:g} × la requête brute, "
        "même nombre de requêtes quelle que soit la taille des données."
    )
    connection.close()
    if not args.keep:
        admin(server, f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    missed = [result.by for result in results if not result.ok]
    if missed:
        sys.exit(f"Objectif manqué : {', '.join(missed)}")


if __name__ == "__main__":
    main()
