"""Benchmark of the officials imports at the real size of the open-data files.

Generates an INSEE communes file (COG) and an RNE municipal councillors file in the
published formats, then, for each database backend, on a fresh database: migrates,
imports the communes, times a full import of the councillors file and a re-import of
the same unchanged file. Each import runs as ``manage.py`` in its own process, so the
figures are those of the command a member of staff runs, start-up included.

    .venv/bin/python bench/import_officials.py [--rows N] [--communes N] [--backend sqlite|postgres|both]

See bench/README.md.
"""

from __future__ import annotations

import abc
import argparse
import csv
import datetime as dt
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
DEPARTMENTS_FILE = ROOT / "officials" / "data" / "reference" / "v_departement.csv"
SEED = 20260315

COG_HEADER = ["TYPECOM", "COM", "REG", "DEP", "CTCD", "ARR", "TNCC", "NCC", "NCCENR", "LIBELLE", "CAN", "COMPARENT"]
# Exact header of elus-conseillers-municipaux-cm.csv (tests/data holds a sample).
RNE_HEADER = [
    "Code du département",
    "Libellé du département",
    "Code de la collectivité à statut particulier",
    "Libellé de la collectivité à statut particulier",
    "Code de la commune",
    "Libellé de la commune",
    "Nom de l'élu",
    "Prénom de l'élu",
    "Code sexe",
    "Date de naissance",
    "Code de la catégorie socio-professionnelle",
    "Libellé de la catégorie socio-professionnelle",
    "Date de début du mandat",
    "Libellé de la fonction",
    "Date de début de la fonction",
    "Code nationalité",
]

# Share of communes per population band and the size of their council (code électoral,
# art. L2121-2), roughly as in France: most communes are small, a few are large.
COUNCIL_SIZES = [
    (0.10, 7),  # under 100 inhabitants
    (0.40, 11),  # 100 to 499
    (0.28, 15),  # 500 to 1,499
    (0.07, 19),  # 1,500 to 2,499
    (0.05, 23),  # 2,500 to 3,499
    (0.027, 27),  # 3,500 to 4,999
    (0.031, 29),  # 5,000 to 9,999
    (0.015, 33),  # 10,000 to 19,999
    (0.007, 35),
    (0.004, 39),
    (0.003, 43),
    (0.002, 49),
    (0.001, 55),
    (0.0004, 61),
    (0.0002, 69),
]
# Overseas départements have a three-character code and few communes.
OVERSEAS_COMMUNES = {"971": 32, "972": 34, "973": 22, "974": 24, "976": 17}


def words(text: str) -> list[str]:
    """Split a word list; "_" stands for a space inside a name ("LE_GALL")."""
    return [word.replace("_", " ") for word in text.split()]


LAST_NAMES = words(
    "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFÈVRE LEROY ROUX "
    "DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MÜLLER LEFEBVRE FAURE "
    "ANDRÉ MERCIER BLANC GUÉRIN BOYER GARNIER CHEVALIER FRANÇOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLÉMENT "
    "MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOËL MEYER "
    "DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIÈRE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GÉRARD "
    "ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX "
    "OLIVIER PHILIPPE BOURGEOIS PIERRE BENOÎT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LÓPEZ JEAN "
    "DUPUY GUILLOT HUBERT BERGER CARPENTIER SÁNCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER "
    "FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRÉ CHARLES RENAULT CHARPENTIER MÉNARD "
    "MAILLARD BARON BERTIN BAILLY HERVÉ SCHNEIDER FERNANDEZ LE_GALL COLLET LÉGER BOUVIER JULIEN PRÉVOST MILLET "
    "PERROT DANIEL LE_ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS RÉMY LE_GOFF PELLETIER LÉVÊQUE PERRIER LEBLANC "
    "BARRÉ LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET ÉTIENNE "
    "GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA_SILVA BOUCHET GAY LEMAÎTRE BÉNARD MARÉCHAL HUMBERT "
    "REYNAUD ANTOINE HOARAU PERRET BARTHÉLEMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER "
    "LAPORTE N'DIAYE O'NEILL D'ALMEIDA KHELIFI NGUYEN TRAORÉ BENALI"
)
FIRST_NAMES = {
    "F": words(
        "Marie Nathalie Isabelle Sylvie Catherine Françoise Martine Christine Valérie Sandrine Sophie Céline "
        "Véronique Stéphanie Chantal Nicole Patricia Anne Hélène Brigitte Élodie Aurélie Émilie Laurence "
        "Monique Claire Virginie Julie Caroline Agnès Béatrice Corinne Delphine Florence Géraldine Inès Léa "
        "Chloé Camille Manon Anaïs Maëlle Noémie Zoé Clémence Mélanie Gaëlle Yasmine Nadia Fatima Joëlle "
        "Marie-Christine Anne-Sophie Marie-Hélène Ginette Bérénice Cécile Annick Odile Solène"
    ),
    "M": words(
        "Jean Philippe Michel Alain Patrick Nicolas Christophe Pierre Christian Éric Frédéric Laurent Stéphane "
        "David Pascal Daniel Sébastien Julien Thierry Olivier Bernard Thomas Alexandre Gérard Didier Dominique "
        "Vincent François Bruno Guillaume Jérôme Jacques Marc Serge André Hervé Gilles René Lucas Hugo Théo "
        "Mathéo Loïc Gaël Noël Benoît Raphaël Joël Cédric Aurélien Clément Jean-Pierre Jean-Luc Jean-François "
        "Jean-Marc Pierre-Yves Moussa Karim Yannick Ludovic Mickaël Grégoire Anthony Arnaud"
    ),
}
PROFESSIONS = [
    ("10", "Agriculteur exploitant"),
    ("21", "Artisan"),
    ("22", "Commerçant et assimilé"),
    ("23", "Chef d'entreprise de 10 salariés ou plus"),
    ("31", "Profession libérale"),
    ("33", "Cadre de la fonction publique"),
    ("34", "Professeur, profession scientifique"),
    ("37", "Cadre administratif et commercial d'entreprise"),
    ("38", "Ingénieur et cadre technique d'entreprise"),
    ("42", "Professeur des écoles, instituteur et assimilé"),
    ("43", "Profession intermédiaire de la santé et du travail social"),
    ("46", "Profession intermédiaire administrative et commerciale des entreprises"),
    ("47", "Technicien"),
    ("48", "Contremaître, agent de maîtrise"),
    ("52", "Employé civil et agent de service de la fonction publique"),
    ("54", "Employé administratif d'entreprise"),
    ("56", "Personnel des services directs aux particuliers"),
    ("62", "Ouvrier qualifié de type industriel"),
    ("69", "Ouvrier agricole"),
    ("71", "Ancien agriculteur exploitant"),
    ("74", "Ancien cadre"),
    ("75", "Ancienne profession intermédiaire"),
    ("77", "Ancien employé"),
    ("84", "Élève, étudiant"),
    ("85", "Personne diverse sans activité professionnelle de moins de 60 ans (sauf retraité)"),
]
ORDINALS = words(
    "Premier Deuxième Troisième Quatrième Cinquième Sixième Septième Huitième Neuvième Dixième Onzième "
    "Douzième Treizième Quatorzième Quinzième Seizième Dix-septième Dix-huitième Dix-neuvième Vingtième"
)
NAME_ROOTS = words(
    "Beaulieu Montagnac Villeneuve Châteauneuf Fontenay Bellegarde Montreuil Mérignac Lavergne Aubigny "
    "Chaumont Rochefort Clairefontaine Bréhal Vézelay Égliseneuve Pontcharra Saulxures Gévrey Ménétrol "
    "Sauveterre Castelnau Roquebrune Mirepoix Lézignan Vallières Préaux Saint-Martin Saint-Étienne "
    "Sainte-Marie Saint-Jean Saint-André Notre-Dame Cernay Bourgueil Montbrison Laguiole Orcières Crécy "
    "Ambérieu Pérignac Gouzon Ussel Mauriac Aïnhoa Lœuilly Plœmeur Kerlouan Landévennec Ploërmel"
)
NAME_SUFFIXES = [
    "", "", "", "", "-sur-Loire", "-sur-Mer", "-en-Provence", "-lès-Bains", "-le-Château", "-d'Aunis",
    "-sous-Bois", "-la-Forêt", "-sur-Saône", "-en-Velay", "-le-Vieux", "-de-Bretagne", "-du-Lac",
]  # fmt: skip
ARTICLES = [("", "0"), ("", "1"), ("Le ", "2"), ("La ", "3"), ("Les ", "4"), ("L'", "5")]


def ascii_upper(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.replace("œ", "oe").replace("Œ", "OE"))
    return "".join(c for c in text if not unicodedata.combining(c)).upper().replace("-", " ").replace("'", " ")


# --- File generation ---------------------------------------------------------------------


@dataclass
class Commune:
    code: str
    department: str
    region: str
    name: str
    council_size: int = 0


def read_departments() -> list[tuple[str, str, str]]:
    with open(DEPARTMENTS_FILE, encoding="utf-8", newline="") as handle:
        return [(row["DEP"], row["REG"], row["LIBELLE"]) for row in csv.DictReader(handle)]


def make_communes(rng: random.Random, count: int) -> list[Commune]:
    departments = read_departments()
    overseas = {dep: n for dep, n in OVERSEAS_COMMUNES.items() if any(d[0] == dep for d in departments)}
    mainland = [d for d in departments if d[0] not in overseas]
    overseas_total = min(sum(overseas.values()), count // 10)
    # Mainland départements hold very different numbers of communes (Paris 1, Pas-de-Calais ~890).
    weights = [rng.uniform(0.3, 2.2) for _ in mainland]
    total_weight = sum(weights)
    remaining = count - overseas_total
    counts = {
        dep: min(999, max(1, round(remaining * w / total_weight)))
        for (dep, _r, _l), w in zip(mainland, weights, strict=True)
    }
    # Rounding leaves a few communes too many or too few: settle them on random départements.
    while (diff := remaining - sum(counts.values())) != 0:
        dep = rng.choice(mainland)[0]
        if diff > 0 and counts[dep] < 999:
            counts[dep] += 1
        elif diff < 0 and counts[dep] > 1:
            counts[dep] -= 1
    left = overseas_total
    for dep, n in overseas.items():
        counts[dep] = min(n, left)
        left -= counts[dep]

    communes = []
    for dep, region, _label in departments:
        n = counts.get(dep, 0)
        if not n:
            continue
        width = 5 - len(dep)
        numbers = sorted(rng.sample(range(1, 10**width), n))
        communes.extend(
            Commune(code=f"{dep}{number:0{width}d}", department=dep, region=region, name=commune_name(rng))
            for number in numbers
        )
    return communes


def commune_name(rng: random.Random) -> str:
    article = rng.choices(ARTICLES, weights=[40, 40, 8, 6, 4, 2])[0][0]
    root = rng.choice(NAME_ROOTS)
    if article == "L'" and root[0] not in "AEIOUÉÈÂ":
        article = ""
    return f"{article}{root}{rng.choice(NAME_SUFFIXES)}"


def tncc_of(name: str) -> tuple[str, str]:
    for article, tncc in ARTICLES[2:]:
        if name.startswith(article):
            return tncc, name[len(article) :]
    return "0", name


def write_cog(path: Path, rng: random.Random, communes: list[Commune]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COG_HEADER)
        for commune in communes:
            tncc, bare = tncc_of(commune.name)
            dep = commune.department
            writer.writerow(
                [
                    "COM",
                    commune.code,
                    commune.region,
                    dep,
                    f"{dep}D",
                    f"{dep}{rng.randint(1, 4)}",
                    tncc,
                    ascii_upper(bare),
                    bare,
                    commune.name,
                    f"{dep}{rng.randint(1, 30):02d}",
                    "",
                ]
            )
            # The real file also lists delegated communes, which the import skips.
            if rng.random() < 0.06:
                name = commune_name(rng)
                tncc, bare = tncc_of(name)
                code = commune.code[:-1] + str((int(commune.code[-1]) + 5) % 10)
                writer.writerow(["COMD", code, "", "", "", "", tncc, ascii_upper(bare), bare, name, "", commune.code])


def assign_council_sizes(rng: random.Random, communes: list[Commune], rows: int) -> list[Commune]:
    """Give each commune a council size drawn from the real bands, summing to ``rows``."""
    communes = communes[: max(1, min(len(communes), rows))]
    shares, sizes = zip(*COUNCIL_SIZES, strict=True)
    for commune in communes:
        commune.council_size = rng.choices(sizes, weights=shares)[0]
    total = sum(c.council_size for c in communes)
    # Scale to the wanted number of rows, then settle the rounding one seat at a time.
    for commune in communes:
        commune.council_size = max(1, round(commune.council_size * rows / total))
    total = sum(c.council_size for c in communes)
    while total != rows:
        commune = rng.choice(communes)
        if total < rows:
            commune.council_size += 1
            total += 1
        elif commune.council_size > 1:
            commune.council_size -= 1
            total -= 1
    return communes


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days))


def write_councillors(path: Path, rng: random.Random, communes: list[Commune]) -> int:
    labels = dict((dep, label) for dep, _r, label in read_departments())
    election = dt.date(2026, 3, 15)
    rows = 0
    # UTF-8 with a BOM, ";" separated: as published on data.gouv.fr.
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(RNE_HEADER)
        for commune in communes:
            dep = commune.department
            special = ("20R", "Collectivité de Corse") if dep in ("2A", "2B") else ("", "")
            # Most councils sit from the general election; a few from a by-election.
            mandate_start = (
                election if rng.random() < 0.97 else random_date(rng, dt.date(2026, 4, 1), dt.date(2026, 10, 1))
            )
            function_start = mandate_start + dt.timedelta(days=rng.randint(5, 12))
            size = commune.council_size
            deputies = 0 if size < 3 else min(size - 1, max(1, round(size * rng.uniform(0.12, 0.3))))
            seen = set()
            for seat in range(size):
                while True:
                    sex = rng.choice("FM")
                    last, first = rng.choice(LAST_NAMES), rng.choice(FIRST_NAMES[sex])
                    if rng.random() < 0.03:  # compound surnames
                        last = f"{last}-{rng.choice(LAST_NAMES)}"
                    birth = random_date(rng, dt.date(1940, 1, 1), dt.date(2008, 3, 1))
                    # A person is listed once per commune: the importer rejects duplicates.
                    identity = (ascii_upper(last), ascii_upper(first), birth)
                    if identity not in seen:
                        seen.add(identity)
                        break
                if seat == 0:
                    label, started = "Maire", function_start.isoformat()
                elif seat <= deputies:
                    ordinal = ORDINALS[seat - 1] if seat <= len(ORDINALS) else f"{seat}e"
                    label, started = f"{ordinal} adjoint au maire", function_start.isoformat()
                else:
                    label, started = "", ""
                profession = rng.choice(PROFESSIONS)
                writer.writerow(
                    [
                        dep,
                        labels[dep],
                        *special,
                        commune.code,
                        commune.name,
                        last,
                        first,
                        sex,
                        birth.isoformat(),
                        *profession,
                        mandate_start.isoformat(),
                        label,
                        started,
                        "FR",
                    ]
                )
                rows += 1
    return rows


def generate(rows: int, communes_count: int) -> tuple[Path, Path, int, int]:
    OUT.mkdir(parents=True, exist_ok=True)
    cog_path = OUT / f"v_commune_bench_{communes_count}.csv"
    rne_path = OUT / f"elus-conseillers-municipaux-cm_bench_{rows}_{communes_count}.csv"
    rng = random.Random(SEED)
    communes = make_communes(rng, communes_count)
    write_cog(cog_path, rng, communes)
    with_council = assign_council_sizes(rng, communes, rows)
    written = write_councillors(rne_path, rng, with_council)
    return cog_path, rne_path, len(communes), written


# --- Running the imports -----------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    cpu_seconds: float
    peak_mb: float
    output: str


@dataclass
class Phase:
    runs: list[Run] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return statistics.median(run.seconds for run in self.runs)

    @property
    def cpu_seconds(self) -> float:
        return statistics.median(run.cpu_seconds for run in self.runs)

    @property
    def peak_mb(self) -> float:
        return max(run.peak_mb for run in self.runs)


def manage(env: dict, *args: str, check: bool = True) -> Run:
    """Run ``manage.py`` in its own process; return its wall time and peak resident memory.

    ``os.wait4`` gives the resource usage of that one child, so ``ru_maxrss`` is its own
    peak (Linux: kilobytes), unlike RUSAGE_CHILDREN which keeps the largest child so far.
    """
    with tempfile.TemporaryFile(mode="w+") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read()
    if check and process.returncode != 0:
        sys.exit(f"manage.py {' '.join(args)} a échoué ({process.returncode}) :\n{output}")
    peak_kb = usage.ru_maxrss if sys.platform != "darwin" else usage.ru_maxrss / 1024
    return Run(seconds, usage.ru_utime + usage.ru_stime, peak_kb / 1024, output)


SUMMARY = re.compile(
    r"(?P<rows>\d+) lignes lues.*Mandats : (?P<created>\d+) créés, (?P<updated>\d+) mis à jour, "
    r"(?P<unchanged>\d+) inchangés, (?P<ended>\d+) terminés ; (?P<rejected>\d+) lignes rejetées"
)


def summary(run: Run) -> dict[str, int]:
    match = SUMMARY.search(run.output)
    if not match:
        sys.exit(f"Résumé de l'import introuvable :\n{run.output}")
    return {name: int(value) for name, value in match.groupdict().items()}


def count(env: dict, model: str) -> int:
    run = manage(env, "shell", "-c", f"from officials.models import {model}; print({model}.objects.count())")
    return int(run.output.strip().splitlines()[-1])


class Backend(abc.ABC):
    name = ""

    @abc.abstractmethod
    def fresh(self) -> dict:
        """Create an empty database; return the environment that points manage.py at it."""

    def drop(self) -> None:  # most backends have nothing to drop
        return None

    def describe(self) -> str:
        return self.name


class SQLite(Backend):
    name = "sqlite"

    def __init__(self):
        self.path = Path(tempfile.gettempdir()) / "pacte_bench.sqlite3"

    def fresh(self) -> dict:
        self.drop()
        return {"DATABASE_URL": f"sqlite:///{self.path}"}

    def drop(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)

    def describe(self) -> str:
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (fichier {self.path}, WAL)"


class PostgreSQL(Backend):
    name = "postgres"
    database = "pacte_bench"

    def __init__(self, server_url: str):
        self.server_url = server_url.rstrip("/")

    def _admin(self, *statements: str) -> list:
        import psycopg

        with psycopg.connect(f"{self.server_url}/postgres", autocommit=True) as connection:
            result = []
            for statement in statements:
                cursor = connection.execute(statement)
                result = cursor.fetchall() if cursor.description else result
            return result

    def fresh(self) -> dict:
        self._admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)", f"CREATE DATABASE {self.database}")
        return {"DATABASE_URL": f"{self.server_url}/{self.database}"}

    def drop(self) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {self.database} WITH (FORCE)")

    def describe(self) -> str:
        version = self._admin("SHOW server_version")[0][0]
        return f"PostgreSQL {version} ({self.server_url}/{self.database})"


@dataclass
class Result:
    backend: str
    description: str
    cog: Phase = field(default_factory=Phase)
    full: Phase = field(default_factory=Phase)
    again: Phase = field(default_factory=Phase)


def bench_backend(backend: Backend, cog_path: Path, rne_path: Path, rows: int, repeat: int, debug: bool) -> Result:
    result = Result(backend.name, backend.describe())
    # As in production by default (DEBUG off); --debug for the embedded mode of `make run`.
    settings = {"DEBUG": "1"} if debug else {"DEBUG": "0", "SECRET_KEY": "bench-only-not-a-secret"}
    base_env = {**os.environ, **settings, "PYTHONUNBUFFERED": "1"}
    # A fixed date: the import ends vanished mandates "as of" it; nothing vanishes here.
    as_of = "--as-of=2026-11-01"
    for round_number in range(1, repeat + 1):
        env = {**base_env, **backend.fresh()}
        manage(env, "migrate", "--noinput")
        result.cog.runs.append(manage(env, "import_cog", str(cog_path)))

        full = manage(env, "import_rne", str(rne_path), as_of)
        report = summary(full)
        mandates, officials = count(env, "Mandate"), count(env, "Official")
        if report["rows"] != rows or report["created"] != rows or report["rejected"] or mandates != rows:
            sys.exit(
                f"{backend.name} : import complet incorrect ({report}, {mandates} mandats en base).\n{full.output}"
            )
        result.full.runs.append(full)

        again = manage(env, "import_rne", str(rne_path), as_of)
        report = summary(again)
        if report["created"] or report["updated"] or report["ended"] or report["unchanged"] != rows:
            sys.exit(f"{backend.name} : le second import a changé des mandats ({report}).\n{again.output}")
        if count(env, "Mandate") != mandates or count(env, "Official") != officials:
            sys.exit(f"{backend.name} : le second import a changé le nombre de lignes en base.")
        result.again.runs.append(again)
        print(
            f"  {backend.name} tour {round_number}/{repeat} : COG {result.cog.runs[-1].seconds:.1f} s, "
            f"import complet {full.seconds:.1f} s ({full.peak_mb:.0f} Mo), "
            f"réimport {again.seconds:.1f} s ({again.peak_mb:.0f} Mo) ; "
            f"{mandates} mandats, {officials} élu·es en base ; charge {load()}",
            flush=True,
        )
    backend.drop()
    return result


def load() -> str:
    """Load average over 1, 5 and 15 minutes: other work on the machine slows the figures."""
    return " / ".join(f"{value:.1f}" for value in os.getloadavg())


def print_table(results: list[Result], rows: int, communes: int) -> None:
    print()
    print(f"{'backend':<10} {'phase':<22} {'médiane s':>10} {'CPU s':>7} {'pic Mo':>8} {'lignes/s':>10}")
    for result in results:
        for label, phase, lines in (
            ("import COG", result.cog, communes),
            ("import complet RNE", result.full, rows),
            ("réimport RNE", result.again, rows),
        ):
            rate = lines / phase.seconds
            print(
                f"{result.backend:<10} {label:<22} {phase.seconds:>10.1f} {phase.cpu_seconds:>7.1f} "
                f"{phase.peak_mb:>8.0f} {rate:>10,.0f}"
            )
    print()
    for result in results:
        print(
            f"{result.backend} : réimport / import complet = {result.again.seconds / result.full.seconds:.2f} "
            f"(import complet {result.full.seconds:.1f} s, réimport {result.again.seconds:.1f} s ; "
            f"mesures : {', '.join(f'{r.seconds:.1f}' for r in result.full.runs)} / "
            f"{', '.join(f'{r.seconds:.1f}' for r in result.again.runs)} s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=486_000, help="lignes du fichier des conseillers (486 000)")
    parser.add_argument("--communes", type=int, default=35_000, help="communes du fichier COG (35 000)")
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--repeat", type=int, default=3, help="mesures par backend ; la médiane est affichée")
    parser.add_argument("--debug", action="store_true", help="lancer manage.py avec DEBUG=1 (mode embarqué)")
    parser.add_argument(
        "--postgres-url",
        default=os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432"),
        help="serveur PostgreSQL ; la base pacte_bench y est supprimée et recréée",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    cog_path, rne_path, communes, rows = generate(args.rows, args.communes)
    size_mb = rne_path.stat().st_size / 1e6
    print(
        f"Fichiers générés en {time.perf_counter() - started:.1f} s : {cog_path.name} ({communes} communes), "
        f"{rne_path.name} ({rows} lignes, {size_mb:.0f} Mo)"
    )
    print(f"Machine : {os.cpu_count()} cœurs, Python {platform.python_version()}, {platform.platform()}")
    print(f"DEBUG={'1' if args.debug else '0'} ; charge au départ {load()} ; {' '.join(sys.argv)}")

    backends: list[Backend] = []
    if args.backend in ("sqlite", "both"):
        backends.append(SQLite())
    if args.backend in ("postgres", "both"):
        backends.append(PostgreSQL(args.postgres_url))
    results = []
    for backend in backends:
        print(f"{backend.describe()} : {args.repeat} tour(s)", flush=True)
        results.append(bench_backend(backend, cog_path, rne_path, rows, args.repeat, args.debug))
    print_table(results, rows, communes)


if __name__ == "__main__":
    main()
