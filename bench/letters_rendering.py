"""Benchmark of the interpellation letters' rendering (database → HTML → PDF → storage).

Builds, on a fresh database, a collective with signatories and 500 municipalities, each
with a current mayor and an elected pledge of 10 to 14 measures of the 2020 pact, most of
them assessed: the shipped "Interpellation sur les mesures signées" template then gives
letters of two pages (the script checks one or two). Then measures, in the same run and
on the same letters:

(a) bare: the 500 letter sections (built with ``letter_html`` on their real merge fields,
    untimed) rendered as ONE WeasyPrint document, ``HTML(string=...).write_pdf()``, with
    the project's fetcher so that the stylesheet loads the same way;
(b) pipeline in one process: ``interpellation_create`` with eager tasks, i.e. the letters
    written, every chunk rendered in turn (a warm WeasyPrint), split per letter, stored,
    delivered, the job finished; (a) and (b) alternate;
(c) pipeline on real Celery worker processes (``celery -A backend worker --concurrency 2``,
    prefork), warmed by a small interpellation first: wall time from
    ``interpellation_create`` until the job succeeds, and the peak memory (VmHWM) of the
    pool processes, with a fresh worker for each chunk size;

and, on one chunk, the two ways of cutting it into one PDF per letter (pikepdf, or
``document.copy``) and the cost of a document without HarfBuzz's subset library.

    .venv/bin/python bench/letters_rendering.py [--postgres] [--letters 500] [--repeat 3]
        [--chunk-sizes 25,100] [--quiet-wait 180] [--markdown] [--keep]

SQLite (a temporary file) and the filesystem broker by default; ``--postgres`` uses
postgres://postgres@127.0.0.1:5432/pacte_bench_letters (dropped and recreated) and Redis
database 14 at 127.0.0.1:6379 (flushed), with a queue of the bench's own.

Each figure has its wall time and the CPU time of the processes that did the work; on a
shared machine the script waits for a quiet moment before each measurement and reports
the CPU the rest of the machine took meanwhile. Exits with status 1 when a target is
missed: pipeline per letter over 1.5 times the bare per letter (in CPU), or the workers
at 15 s or more for the batch (wall time, first chunk size). See bench/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import logging
import os
import platform
import random
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"
POSTGRES_DATABASE = "pacte_bench_letters"
# A Redis database of its own (flushed at start), and a queue of its own: other workers of
# the project on the same Redis would otherwise take this bench's tasks.
REDIS_URL = "redis://127.0.0.1:6379/14"
QUEUE = f"bench-letters-{os.getpid()}"
TEMPLATE_NAME = "Interpellation sur les mesures signées"
SEED = 20260315

TARGET_RATIO = 1.5
QUIET_SHARE = 0.15  # of the cores: "quiet" when the rest of the machine uses less
QUIET_SECONDS = 3
TARGET_WALL_SECONDS = 15.0
WORKER_CONCURRENCY = 2
WORKER_READY_TIMEOUT = 120.0
JOB_TIMEOUT = 600.0

FIRST_NAMES = ["Élodie", "Jean-Marc", "Sophie", "Hervé", "Anaïs", "François", "Chloé", "Thierry", "Maëlle", "Benoît"]
LAST_NAMES = ["IMBERT", "MARTIN", "BERNARD", "DUBOIS", "LEFÈVRE", "GARNIER", "FAURE", "ROUSSEL", "MERCIER", "CHEVALIER"]
STREETS = ["Place de l'Hôtel de ville", "1 rue de la Mairie", "Cours Victor Hugo", "12 avenue de la République"]
SIGNATORIES = [
    ("Camille", "Martin", "co-présidente"),
    ("Yanis", "Benali", "co-président"),
    ("Inès", "Roux", "trésorière"),
]
# The reference pact knows ten measure titles; the others are placeholders of about 60
# characters. Letters list their pledged measures by title, so the bench gives those
# measures titles as long as the known ones (about 95 characters on average), in the
# style of the official list: a letter then has the length it would have in real use.
TITLES = [
    "Favoriser l'installation d'agriculteurs et d'agricultrices en bio en préservant le foncier agricole",
    "Proposer une alimentation biologique, locale, de saison et moins carnée dans la restauration collective",
    "Développer une stratégie de réduction des déchets et de réemploi, et sortir du plastique jetable",
    "Donner la priorité aux mobilités actives et partagées : pistes cyclables sécurisées et transports en commun",
    "Réduire la place de la voiture individuelle en ville et apaiser la circulation autour des écoles",
    "Lutter contre la précarité énergétique et accompagner la rénovation thermique des logements",
    "Stopper l'artificialisation des sols et réhabiliter le bâti existant plutôt que de construire",
    "Soutenir le commerce local, l'économie sociale et solidaire et les monnaies locales complémentaires",
    "Garantir l'accès de toutes et tous aux services publics de proximité",
    "Développer des tiers-lieux et des jardins partagés ouverts aux habitant·es de chaque quartier",
    "Protéger la ressource en eau et mettre en place une tarification sociale et progressive de l'eau",
    "Encourager une production d'énergie renouvelable citoyenne et locale",
    "Adopter un plan de sobriété de l'éclairage public respectueux de la biodiversité nocturne",
    "Accueillir dignement les personnes exilées et lutter contre toutes les formes de discrimination",
    "Favoriser l'égalité entre les femmes et les hommes dans les politiques et les services de la commune",
    "Faire de l'école un lieu d'éducation à la transition : cours végétalisées, projets et sorties nature",
    "Réduire l'exposition des habitant·es à la pollution de l'air et au bruit, d'abord près des écoles",
    "Renoncer aux grands projets inutiles et imposés, et réorienter les investissements vers la transition",
    "Soutenir les associations locales et leur donner des moyens stables pour agir",
    "Mettre en place un budget participatif dont une part est réservée aux projets de transition écologique",
    "Favoriser l'accès à un logement digne et abordable, et lutter contre la vacance des logements",
    "Réduire la publicité dans l'espace public, en particulier les écrans numériques et lumineux",
    "Préserver les espaces naturels et planter des arbres pour créer des îlots de fraîcheur",
    "Développer les circuits courts et un approvisionnement local et durable pour les marchés",
    "Accompagner les habitant·es et les entreprises vers la sobriété numérique et le réemploi du matériel",
    "Associer les jeunes aux décisions avec un conseil municipal des jeunes doté d'un budget",
]
# Status mix of the assessments, in percent (the rest of the measures stay unassessed).
STATUS_MIX = {"not_started": 15, "in_progress": 35, "partial": 25, "done": 20, "abandoned": 5}


# --- Environment and Django set-up -------------------------------------------------------


@dataclass
class Setup:
    workdir: Path
    database_url: str
    broker_url: str
    backend: str

    def env(self) -> dict[str, str]:
        """What the bench process and its worker processes share: database, broker, files."""
        return {
            "DEBUG": "1",
            "DJANGO_SETTINGS_MODULE": "backend.settings",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            # The filesystem broker's folders are under VAR_DIR (backend/settings.py).
            "VAR_DIR": str(self.workdir / "var"),
            "MEDIA_ROOT": str(self.workdir / "media"),
            "EMAIL_URL": "locmem://",
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "LOG_LEVEL": "WARNING",
        }


def postgres_admin(*statements: str) -> None:
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


def set_up(postgres: bool) -> Setup:
    workdir = Path(tempfile.mkdtemp(prefix="bench-letters-"))
    if postgres:
        import redis

        postgres_admin(
            f"DROP DATABASE IF EXISTS {POSTGRES_DATABASE} WITH (FORCE)", f"CREATE DATABASE {POSTGRES_DATABASE}"
        )
        redis.Redis.from_url(REDIS_URL).flushdb()
        setup = Setup(workdir, f"{POSTGRES_SERVER}/{POSTGRES_DATABASE}", REDIS_URL, "PostgreSQL + Redis")
    else:
        setup = Setup(workdir, f"sqlite:///{workdir / 'db.sqlite3'}", "filesystem://", "SQLite + filesystem broker")
    # Settings are read from the environment once, at django.setup(): set them first.
    os.environ.update(setup.env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from backend.folders import make_local_folders

    make_local_folders()  # as manage.py does: the SQLite and broker folders

    call_command("migrate", verbosity=0, interactive=False)
    from backend.celery import app

    app.conf.task_default_queue = QUEUE  # the worker below consumes this queue only
    return setup


# --- Data -------------------------------------------------------------------------------


@dataclass
class Dataset:
    collective: object
    template: object
    officials: list  # the 500 mayors, in municipality order
    warm_up: list  # other mayors, for the warm-up interpellations
    user: object
    measures: int
    seconds: float


def build_dataset(rng: random.Random, letters: int, warm_up: int) -> Dataset:
    """Rows as the services and the importers leave them, inserted in bulk."""
    from django.db import transaction

    from accounts.models import User
    from campaigns.demo import load_reference_pact
    from campaigns.models import (
        Assessment,
        Collective,
        LetterTemplate,
        Measure,
        MeasureLevel,
        Membership,
        Pledge,
        PledgedMeasure,
        ReviewCycle,
        ScoringScale,
    )
    from campaigns.reviews.services import DEFAULT_SCALE_NAME
    from core.text import fold
    from officials.models import Department, Mandate, Municipality, Official

    started = time.perf_counter()
    count = letters + warm_up
    with transaction.atomic():
        pact = load_reference_pact()
        measures = list(Measure.objects.filter(pact=pact, kind=Measure.Kind.MEASURE).order_by("position"))
        placeholders = [measure for measure in measures if measure.title_is_placeholder]
        if len(placeholders) > len(TITLES):
            raise SystemExit(f"{len(placeholders)} titres provisoires dans le pacte, {len(TITLES)} au plus")
        for measure, title in zip(placeholders, TITLES, strict=False):
            measure.title = title
        Measure.objects.bulk_update(placeholders, ["title"])
        levels = {}
        for level in MeasureLevel.objects.filter(measure__pact=pact):
            levels.setdefault(level.measure_id, []).append(level)
        department = Department.objects.create(code="13", name="Bouches-du-Rhône")
        municipalities = Municipality.objects.bulk_create(
            Municipality(
                insee_code=f"{13000 + index:05d}",
                name=(name := f"Saint-Martin-de-Bench-{index + 1:03d}"),
                search_name=fold(name),  # bulk_create skips Municipality.save(), which sets it
                department=department,
                population=rng.randint(800, 40_000),
                town_hall_address=rng.choice(STREETS),
                town_hall_postal_code=f"13{rng.randint(0, 999):03d}",
            )
            for index in range(count)
        )
        officials = Official.objects.bulk_create(
            Official(
                first_name=(first := rng.choice(FIRST_NAMES)),
                last_name=(last := rng.choice(LAST_NAMES)),
                sex="F" if FIRST_NAMES.index(first) % 2 == 0 else "M",
                email=f"maire{index}@mairie-bench.fr",
                search_name=fold(f"{last} {first}"),
            )
            for index in range(count)
        )
        Mandate.objects.bulk_create(
            Mandate(
                official=official, municipality=municipality, role=Mandate.Role.MAYOR, start_date=dt.date(2020, 7, 3)
            )
            for official, municipality in zip(officials, municipalities, strict=True)
        )
        collective = Collective.objects.create(
            name="Collectif Transition Bench",
            slug="collectif-transition-bench",
            contact_email="contact@collectif-bench.org",
            website="https://collectif-bench.org",
            postal_address="Maison des associations\n2 rue des Lilas\n13300 Salon-de-Provence",
        )
        collective.territory.add(*municipalities)  # interpellations write to its territory only
        user = None
        for number, (first, last, title) in enumerate(SIGNATORIES):
            person = User.objects.create_user(username=f"signatory{number}", first_name=first, last_name=last)
            Membership.objects.create(
                user=person,
                collective=collective,
                role=Membership.Role.COORDINATOR,
                title=title,
                signs_letters=True,
            )
            user = user or person
        pledges = Pledge.objects.bulk_create(
            Pledge(
                pact=pact,
                municipality=municipality,
                list_name=f"{municipality.name} en transition",
                collective=collective,
                signed_on=dt.date(2020, 2, rng.randint(1, 28)),
                election_outcome=Pledge.Outcome.ELECTED,
            )
            for municipality in municipalities
        )
        pledged = []
        for pledge in pledges:
            for measure in sorted(rng.sample(measures, rng.randint(10, 14)), key=lambda m: m.position):
                options = levels.get(measure.pk)
                pledged.append(
                    PledgedMeasure(pledge=pledge, measure=measure, level=rng.choice(options) if options else None)
                )
        pledged = PledgedMeasure.objects.bulk_create(pledged, batch_size=2000)
        cycle = ReviewCycle.objects.create(
            pact=pact,
            name="Bilan de mi-mandat 2023",
            opens_on=dt.date(2023, 3, 1),
            closes_on=dt.date(2023, 6, 30),
            status=ReviewCycle.Status.CLOSED,
            is_published=True,
            scale=ScoringScale.objects.get(name=DEFAULT_SCALE_NAME),  # installed by migration 0003
        )
        statuses, weights = zip(*STATUS_MIX.items(), strict=True)
        Assessment.objects.bulk_create(
            (
                Assessment(
                    cycle=cycle,
                    pledged_measure=item,
                    status=(status := rng.choices(statuses, weights=weights)[0]),
                    progress=progress_of(rng, status),
                    evidence="Délibération du conseil municipal",
                )
                for item in pledged
                if rng.random() < 0.8
            ),
            batch_size=2000,
        )
        template = LetterTemplate.objects.get(collective=None, name=TEMPLATE_NAME)  # installed by migration 0005
    return Dataset(
        collective=collective,
        template=template,
        officials=officials[:letters],
        warm_up=officials[letters:],
        user=user,
        measures=len(pledged),
        seconds=time.perf_counter() - started,
    )


def progress_of(rng: random.Random, status: str) -> int:
    """Progress in percent, as an assessor would refine it."""
    ranges = {"not_started": (0, 0), "in_progress": (10, 45), "partial": (40, 85), "done": (100, 100)}
    return rng.randint(*ranges.get(status, (0, 0)))


# --- Measuring on a shared machine --------------------------------------------------------


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy since boot, all cores together."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


class Meter:
    """Wall time, our CPU time (``own_cpu``) and the rest of the machine's CPU time over a
    block: other processes slow a measurement down, and this says by how much."""

    def __init__(self, own_cpu):
        self.own_cpu = own_cpu

    def __enter__(self) -> Meter:
        self.started, self.cpu_before, self.busy_before = time.perf_counter(), self.own_cpu(), machine_busy()
        return self

    def __exit__(self, *exc) -> None:
        self.seconds = time.perf_counter() - self.started
        self.cpu = self.own_cpu() - self.cpu_before
        self.rest = max(0.0, machine_busy() - self.busy_before - self.cpu)


def wait_until_quiet(limit: float) -> None:
    """Wait (at most ``limit`` seconds) until the rest of the machine has used less than
    QUIET_SHARE of its cores for QUIET_SECONDS in a row, so that the next measurement is
    not of someone else's work."""
    started = time.perf_counter()
    quiet = 0
    while quiet < QUIET_SECONDS and time.perf_counter() - started < limit:
        busy = machine_busy()
        time.sleep(1)
        quiet = quiet + 1 if machine_busy() - busy < QUIET_SHARE * (os.cpu_count() or 1) else 0
    waited = time.perf_counter() - started
    if waited > QUIET_SECONDS + 1:
        state = "calme" if quiet >= QUIET_SECONDS else "toujours occupée"
        print(f"    (attendu {waited:.0f} s que la machine se calme : {state})", flush=True)


# --- (a) Bare WeasyPrint ----------------------------------------------------------------


def letter_sections(dataset: Dataset) -> list[str]:
    """The letters' HTML sections, from their real merge fields (untimed)."""
    from campaigns.letters.services.merge_fields import preview_context
    from campaigns.letters.services.rendering import letter_html
    from campaigns.models import Interpellation, Letter
    from officials.models import Mandate

    interpellation = Interpellation(collective=dataset.collective, template=dataset.template)
    mandates = {m.official_id: m for m in Mandate.objects.filter(official__in=dataset.officials)}
    sections = []
    for official in dataset.officials:
        mandate = mandates[official.pk]
        letter = Letter(
            interpellation=interpellation, official=official, municipality=mandate.municipality, role=mandate.role
        )
        _subject, section = letter_html(dataset.template, preview_context(letter))
        sections.append(section)
    return sections


def bare_html(sections: list[str]) -> str:
    """One document of every letter, each on new pages: what html_sections_to_pdfs builds."""
    from campaigns.letters.services.rendering import LETTER_CSS

    body = "".join(f'<div class="pdf-section">{section}</div>' for section in sections)
    return (
        f"<!DOCTYPE html><html lang='fr'><head><meta charset='utf-8'>{LETTER_CSS}"
        "<style>.pdf-section + .pdf-section { break-before: page; }</style></head>"
        f"<body>{body}</body></html>"
    )


@dataclass
class BareRun:
    seconds: float
    cpu: float
    pages: int
    size: int
    rest: float = 0.0  # CPU seconds of the rest of the machine meanwhile


def bare_render(html: str) -> BareRun:
    """One WeasyPrint render of ``html``: wall and CPU time, pages, bytes."""
    import weasyprint

    from tasks.pdf import STATIC_SCHEME, url_fetcher

    with Meter(time.process_time) as meter:
        document = weasyprint.HTML(string=html, url_fetcher=url_fetcher(), base_url=STATIC_SCHEME).render()
        pdf = document.write_pdf()
    return BareRun(meter.seconds, meter.cpu, len(document.pages), len(pdf), meter.rest)


@dataclass
class SplitCost:
    cut_cpu: float  # the chunk's PDF written once, then cut per letter with pikepdf
    copy_cpu: float  # each letter's pages written as a PDF of their own by WeasyPrint
    cut_bytes: int
    copy_bytes: int


def split_costs(sections: list[str], repeat: int) -> SplitCost:
    """The two ways of getting one PDF per letter out of a rendered chunk, in CPU seconds
    per chunk (medians): tasks.pdf's (write_pdf, then pikepdf) against ``document.copy``."""

    from campaigns.letters.services.rendering import LETTER_CSS
    from tasks import pdf

    document, bounds = pdf.render_sections(sections, head=LETTER_CSS)
    by_cut, by_copy = [], []
    for _ in range(repeat):
        started = time.process_time()
        parts = pdf._split(document.write_pdf(), bounds)
        by_cut.append(time.process_time() - started)
        started = time.process_time()
        copies = [document.copy(document.pages[a:b]).write_pdf() for a, b in itertools.pairwise(bounds)]
        by_copy.append(time.process_time() - started)
    return SplitCost(
        median(by_cut), median(by_copy), sum(map(len, parts)) // len(parts), sum(map(len, copies)) // len(copies)
    )


def subset_fallback_costs(sections: list[str], repeat: int) -> dict[int, tuple[float, float]]:
    """CPU seconds of one document of one letter, and of one of ``sections``, with HarfBuzz's
    subset library and without it (WeasyPrint's pure-Python fallback, as on a machine
    without libharfbuzz-subset0): {letters: (with, without)}."""
    import weasyprint.pdf.fonts

    library = weasyprint.pdf.fonts.harfbuzz_subset
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its warning about the fallback, once per font
    costs = {}
    for documents in ([sections[0]], sections):
        html = bare_html(documents)
        timings = {}
        for name, value in (("with", library), ("without", None)):
            weasyprint.pdf.fonts.harfbuzz_subset = value  # what WeasyPrint checks before subsetting
            try:
                bare_render(html)  # untimed: the fallback's first use imports fontTools
                timings[name] = median([bare_render(html).cpu for _ in range(repeat)])
            finally:
                weasyprint.pdf.fonts.harfbuzz_subset = library
        costs[len(documents)] = (timings["with"], timings["without"])
    return costs


# --- (b) and (c) The pipeline -----------------------------------------------------------


@dataclass
class Check:
    letters: int
    ready: int
    stored: int
    pages: list[int]
    job_status: str
    job_done: int

    def problems(self, expected: int) -> list[str]:
        found = []
        if self.letters != expected or self.ready != expected:
            found.append(f"{self.ready}/{self.letters} letters handed over, {expected} expected")
        if self.stored != expected:
            found.append(f"{self.stored} stored PDFs, {expected} expected")
        if self.job_status != "succeeded" or self.job_done != expected:
            found.append(f"job {self.job_status} with {self.job_done} done")
        if self.pages and (min(self.pages) < 1 or max(self.pages) > 2):
            found.append(f"letters of {min(self.pages)} to {max(self.pages)} pages, 1 or 2 expected")
        return found


HANDED_OVER = ("to_post", "sending", "sent")


def check_interpellation(interpellation) -> Check:
    """Every letter handed over (to post, or to the outbox) with its own stored PDF; the job finished."""
    from django.core.files.storage import default_storage

    from campaigns.models import Letter
    from tasks.jobs.models import Job

    rows = list(Letter.objects.filter(interpellation=interpellation).values_list("status", "pdf", "pages"))
    stored = 0
    for _status, name, _pages in rows:
        if name and default_storage.exists(name):
            with default_storage.open(name, "rb") as handle:
                stored += handle.read(5) == b"%PDF-"
    job = Job.objects.get(pk=interpellation.job_id)
    return Check(
        letters=len(rows),
        ready=sum(status in HANDED_OVER for status, _name, _pages in rows),
        stored=stored,
        pages=[pages for _status, _name, pages in rows],
        job_status=job.status,
        job_done=job.done,
    )


def create(dataset: Dataset, officials: list, *, eager: bool, chunk_size: int):
    from django.test import override_settings

    from campaigns.letters.services.interpellations import interpellation_create

    with override_settings(CELERY_TASK_ALWAYS_EAGER=eager, LETTERS_CHUNK_SIZE=chunk_size):
        return interpellation_create(
            collective=dataset.collective,
            template=dataset.template,
            by=dataset.user,
            officials=officials,
            confirmed=True,
        )


def wait_for_job(job_id: int, timeout: float) -> str:
    """The job's final status. Each look is a query of its own in autocommit, so it sees
    what the workers committed; the connection stays open (a new PostgreSQL connection at
    each look would cost CPU that the workers need)."""
    from tasks.jobs.models import Job

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        status = Job.objects.filter(pk=job_id).values_list("status", flat=True).get()
        if status in (Job.Status.SUCCEEDED, Job.Status.FAILED):
            return status
        time.sleep(0.1)
    return "timeout"


@dataclass
class Run:
    seconds: float  # wall time
    cpu: float  # CPU time of the processes that rendered (this one, or the pool's and this one)
    check: Check
    rest: float = 0.0  # CPU seconds of the rest of the machine meanwhile (database server included)


def pipeline_in_process(dataset: Dataset, chunk_size: int) -> Run:
    with Meter(time.process_time) as meter:
        interpellation, _job = create(dataset, dataset.officials, eager=True, chunk_size=chunk_size)
    return Run(meter.seconds, meter.cpu, check_interpellation(interpellation), meter.rest)


# --- Worker processes -------------------------------------------------------------------


def process_children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        children.extend(int(child) for child in text)
    return children


def proc_status(pid: int, key: str) -> int:
    """A ``kB`` figure of /proc/<pid>/status, in kB (0 when the process is gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{key}:"):
                return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def maps_mention(pid: int, library: str) -> bool:
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False


class Worker:
    """``celery -A backend worker`` with the bench's environment, in its own session."""

    def __init__(self, setup: Setup, log: Path):
        self.log = log
        self.handle = log.open("ab")
        env = {**os.environ, **setup.env()}
        self.process = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "celery"),
                "-A",
                "backend",
                "worker",
                "--pool",
                "prefork",
                "--concurrency",
                str(WORKER_CONCURRENCY),
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--queues",
                QUEUE,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def children(self) -> list[int]:
        return process_children(self.process.pid) if self.process.poll() is None else []

    def cpu(self) -> float:
        return sum(cpu_seconds(pid) for pid in [self.process.pid, *self.children()])

    def peak_kb(self) -> dict[int, int]:
        """VmHWM of each pool process: its peak resident memory since it started."""
        return {pid: proc_status(pid, "VmHWM") for pid in self.children()}

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), cold (SIGQUIT) if it lingers, SIGKILL last."""
        for sig, grace in ((signal.SIGTERM, 20), (signal.SIGQUIT, 10), (signal.SIGKILL, 10)):
            if self.process.poll() is not None:
                break
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=grace)
            except subprocess.TimeoutExpired:
                continue
        self.handle.close()


@dataclass
class WorkerResult:
    chunk_size: int
    runs: list[Run] = field(default_factory=list)
    peak_kb: dict[int, int] = field(default_factory=dict)
    parent_peak_kb: int = 0
    preloaded: bool = False  # WeasyPrint in the pool processes before their first task
    warm: bool = False
    harfbuzz_subset_loaded: bool = False


def pipeline_on_workers(
    setup: Setup, dataset: Dataset, chunk_size: int, repeat: int, warm_up: list, quiet_wait: float
) -> WorkerResult:
    result = WorkerResult(chunk_size)
    worker = Worker(setup, setup.workdir / f"worker-{chunk_size}.log")
    try:
        deadline = time.perf_counter() + WORKER_READY_TIMEOUT
        while len(worker.children()) < WORKER_CONCURRENCY and time.perf_counter() < deadline:
            time.sleep(0.1)
        result.preloaded = all(maps_mention(pid, "libpango") for pid in worker.children())
        # Warm-up: one-letter chunks, more than pool processes, so that each of them has
        # rendered (fonts loaded, database connection open) before the clock starts.
        _interpellation, job = create(dataset, warm_up, eager=False, chunk_size=1)
        status = wait_for_job(job.pk, WORKER_READY_TIMEOUT)
        if status != "succeeded":
            raise SystemExit(f"warm-up job {status}; see {worker.log}")
        children = worker.children()
        result.warm = len(children) == WORKER_CONCURRENCY and all(maps_mention(pid, "libpango") for pid in children)
        result.harfbuzz_subset_loaded = all(maps_mention(pid, "libharfbuzz-subset") for pid in children)
        for _ in range(repeat):
            wait_until_quiet(quiet_wait)
            with Meter(lambda: worker.cpu() + time.process_time()) as meter:
                interpellation, job = create(dataset, dataset.officials, eager=False, chunk_size=chunk_size)
                status = wait_for_job(job.pk, JOB_TIMEOUT)
            run = Run(meter.seconds, meter.cpu, check_interpellation(interpellation), meter.rest)
            result.runs.append(run)
            print(f"    {WORKER_CONCURRENCY} processus Celery, lots de {chunk_size} : {run.seconds:6.2f} s, "
                  f"CPU {run.cpu:6.2f} s, reste de la machine {run.rest:5.1f} s ({status})", flush=True)  # fmt: skip
        result.peak_kb = worker.peak_kb()
        result.parent_peak_kb = proc_status(worker.process.pid, "VmHWM")
    finally:
        worker.stop()
    return result


# --- Report -----------------------------------------------------------------------------


def versions() -> dict[str, str]:
    import ctypes
    import ctypes.util

    import celery
    import django
    import pikepdf
    import weasyprint

    harfbuzz = "?"
    library = ctypes.util.find_library("harfbuzz")
    if library:
        hb = ctypes.CDLL(library)
        hb.hb_version_string.restype = ctypes.c_char_p
        harfbuzz = hb.hb_version_string().decode()
    return {
        "WeasyPrint": weasyprint.__version__,
        "HarfBuzz": harfbuzz,
        "pikepdf": pikepdf.__version__,
        "Django": django.get_version(),
        "Celery": celery.__version__,
        "Python": platform.python_version(),
    }


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--letters", type=int, default=500, help="courriers du lot (500)")
    parser.add_argument("--repeat", type=int, default=3, help="mesures de chaque chiffre ; la médiane est affichée (3)")
    parser.add_argument("--chunk-sizes", default="25,100", help="tailles de lot des tâches ; la première est la cible")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL et Redis au lieu de SQLite et du disque")
    parser.add_argument("--no-workers", action="store_true", help="sans la mesure sur les processus Celery")
    parser.add_argument("--markdown", action="store_true", help="tableau en Markdown, pour docs/performance.md")
    parser.add_argument(
        "--quiet-wait", type=float, default=180, help="attente maximale d'une machine calme avant chaque mesure (s)"
    )
    parser.add_argument("--keep", action="store_true", help="garder le dossier temporaire (base, PDF, journaux)")
    args = parser.parse_args()
    chunk_sizes = [int(size) for size in args.chunk_sizes.split(",") if size.strip()]
    default_chunk = chunk_sizes[0]

    setup = set_up(args.postgres)
    from tasks.pdf import harfbuzz_subset_available

    print(f"Base et broker : {setup.backend} ; dossier {setup.workdir}", flush=True)
    if not harfbuzz_subset_available():
        print("ATTENTION : libharfbuzz-subset absente, le rendu sera environ 8 fois plus lent.", flush=True)
    loads = []
    try:
        rng = random.Random(SEED)
        dataset = build_dataset(rng, args.letters, 2 * WORKER_CONCURRENCY)
        print(f"Données : {args.letters} communes, {dataset.measures} mesures signées ({dataset.seconds:.1f} s)")

        # Untimed: the letters' HTML, WeasyPrint imported and its fonts loaded, and one
        # small interpellation through the pipeline, so that both sides start warm.
        sections = letter_sections(dataset)
        html = bare_html(sections)
        bare_render(bare_html(sections[:2]))
        create(dataset, dataset.warm_up, eager=True, chunk_size=default_chunk)
        rss_before_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

        bare_runs: list[BareRun] = []
        in_process: list[Run] = []
        bare_peak_kb = 0
        for _ in range(args.repeat):
            # (a) and (b) interleaved: a change in the machine's load weighs on both alike.
            wait_until_quiet(args.quiet_wait)
            loads.append(os.getloadavg()[0])
            bare = bare_render(html)
            bare_runs.append(bare)
            bare_peak_kb = bare_peak_kb or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
            print(
                f"    brut, un document : {bare.seconds:6.2f} s, CPU {bare.cpu:6.2f} s, "
                f"reste de la machine {bare.rest:5.1f} s",
                flush=True,
            )
            wait_until_quiet(args.quiet_wait)
            loads.append(os.getloadavg()[0])
            run = pipeline_in_process(dataset, default_chunk)
            in_process.append(run)
            print(
                f"    chaîne, un processus, lots de {default_chunk} : {run.seconds:6.2f} s, CPU {run.cpu:6.2f} s, "
                f"reste de la machine {run.rest:5.1f} s",
                flush=True,
            )
        split = split_costs(sections[:default_chunk], args.repeat)
        fallback = subset_fallback_costs(sections[:default_chunk], args.repeat)
        in_process_chunks = {}
        for size in chunk_sizes[1:]:
            wait_until_quiet(args.quiet_wait)
            in_process_chunks[size] = run = pipeline_in_process(dataset, size)
            print(
                f"    chaîne, un processus, lots de {size} : {run.seconds:6.2f} s, CPU {run.cpu:6.2f} s, "
                f"reste de la machine {run.rest:5.1f} s",
                flush=True,
            )

        # (c) pipeline on Celery worker processes, a fresh worker per chunk size, so that
        # each pool's peak memory is that of its chunk size.
        on_workers = []
        if not args.no_workers:
            from django.db import connection

            connection.close()  # the worker processes share the database from here on
            for size in chunk_sizes:
                loads.append(os.getloadavg()[0])
                on_workers.append(
                    pipeline_on_workers(setup, dataset, size, args.repeat, dataset.warm_up, args.quiet_wait)
                )
        loads.append(os.getloadavg()[0])
    finally:
        if not args.keep:
            shutil.rmtree(setup.workdir, ignore_errors=True)

    # Checks and targets.
    problems = []
    for run in in_process + list(in_process_chunks.values()) + [r for w in on_workers for r in w.runs]:
        problems += run.check.problems(args.letters)
    letters = args.letters
    bare_wall, bare_cpu = median([r.seconds for r in bare_runs]), median([r.cpu for r in bare_runs])
    chain_wall, chain_cpu = median([r.seconds for r in in_process]), median([r.cpu for r in in_process])
    # The cost of a letter is the CPU it takes: on a shared machine, wall time also
    # counts the other processes' turns. Both ratios are printed; the target is on CPU.
    ratio_cpu, ratio_wall = chain_cpu / bare_cpu, chain_wall / bare_wall
    if ratio_cpu > TARGET_RATIO:
        problems.append(f"pipeline per letter {ratio_cpu:.2f}x the bare per letter in CPU (target {TARGET_RATIO}x)")
    for result in on_workers:
        if not result.warm:
            problems.append(f"the worker pool was not warm for chunks of {result.chunk_size}")
    default_workers = next((w for w in on_workers if w.chunk_size == default_chunk), None)
    if default_workers is not None:
        wall = median([r.seconds for r in default_workers.runs])
        if wall >= TARGET_WALL_SECONDS:
            problems.append(f"workers took {wall:.1f} s for {letters} letters (target < {TARGET_WALL_SECONDS:.0f} s)")

    # Report.
    def per_letter(seconds: float) -> str:
        return f"{seconds / letters * 1000:.1f} ms"

    pages = in_process[0].check.pages
    print()
    print(
        f"{dt.date.today().isoformat()}, {os.cpu_count()} cœurs ({platform.machine()}), "
        + ", ".join(f"{name} {version}" for name, version in versions().items())
    )
    print(
        f"{letters} courriers, {sum(pages)} pages ({pages.count(1)} d'une page, {pages.count(2)} de deux) ; "
        f"{setup.backend} ; médianes de {args.repeat} mesures ; charge de la machine (load average sur 1 min) "
        f"de {min(loads):.1f} à {max(loads):.1f} pendant les mesures"
    )

    def rest(runs) -> str:
        # Cores the rest of the machine kept busy on average: 0 on a quiet machine.
        return f"{median([run.rest / run.seconds for run in runs]):.2f}"

    headers = ("Mesure", "Temps", "CPU", "Par courrier", "CPU par courrier", "Autres (cœurs)", "")
    rows = [
        ("(a) brut : un document WeasyPrint des courriers", f"{bare_wall:.2f} s", f"{bare_cpu:.2f} s",
         per_letter(bare_wall), per_letter(bare_cpu), rest(bare_runs), ""),
        (f"(b) chaîne du projet, un processus, lots de {default_chunk}", f"{chain_wall:.2f} s", f"{chain_cpu:.2f} s",
         per_letter(chain_wall), per_letter(chain_cpu), rest(in_process),
         f"{ratio_cpu:.2f}× le brut en CPU, {ratio_wall:.2f}× en temps (cible ≤ {TARGET_RATIO})"),
    ]  # fmt: skip
    for size, run in in_process_chunks.items():
        rows.append(
            (f"(b) chaîne du projet, un processus, lots de {size} (une mesure)", f"{run.seconds:.2f} s",
             f"{run.cpu:.2f} s", per_letter(run.seconds), per_letter(run.cpu), rest([run]),
             f"{run.cpu / bare_cpu:.2f}× le brut en CPU")
        )  # fmt: skip
    for result in on_workers:
        wall, cpu = median([r.seconds for r in result.runs]), median([r.cpu for r in result.runs])
        peak = max(result.peak_kb.values(), default=0) / 1024
        note = f"{cpu / wall:.2f} cœurs occupés ; pic mémoire {peak:.0f} Mo par processus du pool"
        if result.chunk_size == default_chunk:
            note += f" ; cible < {TARGET_WALL_SECONDS:.0f} s"
        rows.append(
            (f"(c) {WORKER_CONCURRENCY} processus Celery, lots de {result.chunk_size}", f"{wall:.2f} s",
             f"{cpu:.2f} s", per_letter(wall), per_letter(cpu), rest(result.runs), note)
        )  # fmt: skip
    if args.markdown:
        print("| " + " | ".join(headers) + " |")
        print("|" + "---|" * len(headers))
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        widths = [max(len(row[i]) for row in [headers, *rows]) for i in range(len(headers))]
        for row in [headers, *rows]:
            print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
    print()
    print(
        f"Un PDF par courrier, pour un lot de {default_chunk} (CPU par courrier) : écrire le lot puis le découper "
        f"avec pikepdf {split.cut_cpu / default_chunk * 1000:.1f} ms ({split.cut_bytes / 1000:.0f} ko par "
        f"courrier), document.copy(pages).write_pdf() par courrier {split.copy_cpu / default_chunk * 1000:.1f} ms "
        f"({split.copy_bytes / 1000:.0f} ko par courrier)."
    )
    for count, (with_library, without) in fallback.items():
        print(
            f"Document de {count} courrier{'s' if count > 1 else ''} (CPU par courrier) : "
            f"{with_library / count * 1000:.1f} ms avec libharfbuzz-subset, {without / count * 1000:.1f} ms sans "
            f"(repli en Python), soit {without / with_library:.1f}×."
        )
    # No pipeline on this pool can beat WeasyPrint's own work shared out perfectly.
    floor = bare_cpu / WORKER_CONCURRENCY
    print(
        f"Plancher sur {WORKER_CONCURRENCY} cœurs : le CPU du rendu brut partagé parfaitement, {floor:.1f} s pour "
        f"{letters} courriers ({'sous' if floor < TARGET_WALL_SECONDS else 'au-dessus de'} la cible de "
        f"{TARGET_WALL_SECONDS:.0f} s)."
    )
    print(
        f"Mémoire du processus du banc : {rss_before_kb / 1024:.0f} Mo avant le document brut de {letters} "
        f"courriers, {bare_peak_kb / 1024:.0f} Mo après."
    )
    for result in on_workers:
        per_child = ", ".join(f"{kb / 1024:.0f}" for kb in sorted(result.peak_kb.values()))
        print(
            f"Lots de {result.chunk_size} : pic (VmHWM) des processus du pool {per_child} Mo, processus parent "
            f"{result.parent_peak_kb / 1024:.0f} Mo ; WeasyPrint chargé avant la première tâche : "
            f"{'oui' if result.preloaded else 'non'} ; libharfbuzz-subset chargée dans le pool : "
            f"{'oui' if result.harfbuzz_subset_loaded else 'non'}."
        )
    if problems:
        print()
        for problem in dict.fromkeys(problems):
            print(f"ÉCHEC : {problem}")
        sys.exit(1)


if __name__ == "__main__":
    main()
