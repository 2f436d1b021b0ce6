"""Répertoire national des élus: mayors (elus-maires-mai.csv) and municipal councillors
(elus-conseillers-municipaux-cm.csv).

The RNE has no identifier of a person. An official is recognised by a digest of the
folded name, first name, birth date and commune, so that the mayors file and the
councillors file meet on the same person and homonyms elsewhere stay apart.

Mandates are keyed on (official, municipality, role). A file owns the roles of its
kind in the communes it lists: a current mandate of those roles and communes that the
file no longer lists is ended (never deleted); communes absent from the file are left
alone, so a département's extract does not end the rest of France.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tabular import ImportFileError, RowError, Source, open_table, parse_date
from core.text import fold
from officials.importers.base import (
    ImportReport,
    ImportRowsInvalid,
    chunked,
    gc_paused,
    insert_rows,
    normalize_insee_code,
    refresh_statistics,
    sqlite_page_cache,
)
from officials.models import Mandate, Municipality, Official

COMMUNE = "Code de la commune"
LAST_NAME = "Nom de l'élu"
FIRST_NAME = "Prénom de l'élu"
SEX = "Code sexe"
BIRTH_DATE = "Date de naissance"
MANDATE_START = "Date de début du mandat"
FUNCTION_LABEL = "Libellé de la fonction"
FUNCTION_START = "Date de début de la fonction"
REQUIRED = [COMMUNE, LAST_NAME, FIRST_NAME, SEX, BIRTH_DATE, MANDATE_START]

MAYORS = "maires"
COUNCILLORS = "conseillers_municipaux"
ROLES_OF_KIND = {
    MAYORS: (Mandate.Role.MAYOR,),
    COUNCILLORS: Mandate.MUNICIPAL_ROLES,
}
SOURCE_OF_KIND = {MAYORS: Mandate.Source.RNE_MAYORS, COUNCILLORS: Mandate.Source.RNE_COUNCILLORS}
RNE_SOURCES = (Mandate.Source.RNE_MAYORS, Mandate.Source.RNE_COUNCILLORS)
SEXES = ("F", "M")
BATCH = 2000
LOOKUP_CHUNK = 900  # under SQLite's historical limit of 999 bound parameters
PROGRESS_STEP = 1000
SCAN_RATIO = 4  # read all known officials when the file names at least a quarter of them
ANALYZE_ABOVE = 10_000  # rows written in bulk beyond which the planner's statistics are refreshed
# Enough to hold the indexes that an import of the whole country fills (see sqlite_page_cache).
SQLITE_CACHE_KIB = 64 * 1024


def identity_key(last_name: str, first_name: str, birth_date: dt.date, insee_code: str) -> str:
    return _digest(fold(last_name), fold(first_name), birth_date, insee_code)


# Copying a prepared hash is cheaper than setting up a new one, and it is done per row.
_BLAKE2B_16 = hashlib.blake2b(digest_size=16)


def _digest(folded_last_name: str, folded_first_name: str, birth_date: dt.date, insee_code: str) -> str:
    folded = f"{folded_last_name}|{folded_first_name}|{birth_date.isoformat()}|{insee_code}"
    digest = _BLAKE2B_16.copy()
    digest.update(folded.encode())
    return digest.hexdigest()


def role_from_label(label: str) -> str:
    """Map a published function label to a role; unknown wordings stay councillors."""
    folded = fold(label)
    if folded == "maire":
        return Mandate.Role.MAYOR
    if "adjoint" in folded:
        return Mandate.Role.DEPUTY_MAYOR
    return Mandate.Role.COUNCILLOR


def detect_kind(header: list[str]) -> str:
    if FUNCTION_LABEL in header:
        return COUNCILLORS
    if FUNCTION_START in header:
        return MAYORS
    raise ImportFileError(
        _(
            "En-tête inattendu (ligne 1) : ni fichier des maires ni fichier des conseillers "
            "municipaux du RNE (colonne « %(label)s » ou « %(start)s » attendue)."
        )
        % {"label": FUNCTION_LABEL, "start": FUNCTION_START}
    )


@dataclass(slots=True)
class _Person:
    last_name: str
    first_name: str
    sex: str
    birth_date: dt.date
    search_name: str


@dataclass(slots=True)
class _Seat:
    line: int
    function_label: str
    start_date: dt.date | None


class _Memo(dict):
    """Results of ``function`` by argument, computed once: a file repeats its first
    names, communes, function labels and dates hundreds of thousands of times, and
    repeated values then share one object in memory."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, key):
        value = self[key] = self.function(key)
        return value


def _function(label: str) -> tuple[str, str]:
    label = label.strip()
    return label, role_from_label(label)


def _problems(insee, known_communes, last_name, first_name, sex, date_texts) -> list[str]:
    """Why a row is rejected, every reason in the order of the columns."""
    problems = []
    if insee not in known_communes:
        problems.append(_("commune « %(code)s » inconnue (importez d'abord le COG).") % {"code": insee})
    if not last_name or not first_name:
        problems.append(_("nom ou prénom manquant."))
    if sex not in SEXES:
        problems.append(_("code sexe « %(sex)s » invalide (F ou M attendu).") % {"sex": sex})
    birth_date = None
    for name, value in date_texts:
        if not value:
            continue
        try:
            parsed = parse_date(value)
        except ValueError:
            problems.append(
                _("date « %(value)s » invalide dans la colonne « %(column)s » (AAAA-MM-JJ ou JJ/MM/AAAA).")
                % {"value": value, "column": name}
            )
            continue
        if name == BIRTH_DATE:
            birth_date = parsed
    if not problems and birth_date is None:
        problems.append(_("date de naissance manquante."))
    return problems


def _progress(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(unit=_(" lignes"), unit_scale=True, file=sys.stderr, disable=not sys.stderr.isatty())


def import_rne(
    source: Source,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    as_of: dt.date | None = None,
    progress: bool = False,
) -> ImportReport:
    """Create or update officials and their mandates from an RNE file (mayors or councillors)."""
    as_of = as_of or timezone.localdate()
    with gc_paused(), sqlite_page_cache(SQLITE_CACHE_KIB):
        report, persons, seats, communes_to_close = _read(source, dry_run=dry_run, progress=progress)
        if report.errors and not skip_invalid:
            raise ImportRowsInvalid(report)
        plan = _plan(report.kind, persons, seats, communes_to_close, report)
        if not dry_run:
            _apply(report.kind, plan, persons, as_of)
    return report


def _read(
    source: Source, *, dry_run: bool, progress: bool
) -> tuple[ImportReport, dict[str, _Person], dict[tuple[str, str, str], _Seat], set[str]]:
    """Check every row and gather the file's officials and seats, keyed on their identity."""
    known_communes = set(Municipality.objects.values_list("insee_code", flat=True))
    persons: dict[str, _Person] = {}
    seats: dict[tuple[str, str, str], _Seat] = {}
    communes_in_file: set[str] = set()
    communes_with_errors: set[str] = set()
    bar = _progress(progress)
    # This loop runs once per row of a file of half a million rows: it keeps to few
    # operations per valid row and leaves the wording of errors to _problems().
    insee_codes = _Memo(normalize_insee_code)
    folded = _Memo(fold)
    dates = _Memo(parse_date)
    functions = _Memo(_function)
    councillor = Mandate.Role.COUNCILLOR

    with open_table(source) as table:
        kind = detect_kind(table.header)
        report = ImportReport(kind=kind, dry_run=dry_run)
        col = table.index(REQUIRED, optional=(FUNCTION_LABEL, FUNCTION_START))
        i_commune, i_last, i_first, i_sex, i_birth, i_start = (col[name] for name in REQUIRED)
        i_label, i_function_start = col.get(FUNCTION_LABEL), col.get(FUNCTION_START)
        mayor = (_("Maire"), Mandate.Role.MAYOR) if kind == MAYORS else None
        width = len(table.header)
        errors = report.errors
        rows = 0
        for line, row in table:
            rows += 1
            if bar is not None and not rows % PROGRESS_STEP:
                bar.update(PROGRESS_STEP)
            if len(row) < width:
                message = _("%(found)s colonnes au lieu de %(expected)s.") % {"found": len(row), "expected": width}
                errors.append(RowError(line, message))
                continue
            insee = insee_codes[row[i_commune]]
            communes_in_file.add(insee)
            last_name, first_name = row[i_last].strip(), row[i_first].strip()
            sex = row[i_sex].strip().upper()
            birth_text, start_text = row[i_birth].strip(), row[i_start].strip()
            function_start_text = row[i_function_start].strip() if i_function_start is not None else ""
            try:
                if insee not in known_communes or not last_name or not first_name or sex not in SEXES:
                    raise ValueError
                birth_date = dates[birth_text]  # required: an empty one fails here too
                start = dates[start_text] if start_text else None
                function_start = dates[function_start_text] if function_start_text else None
            except ValueError:
                texts = ((BIRTH_DATE, birth_text), (MANDATE_START, start_text), (FUNCTION_START, function_start_text))
                problems = _problems(insee, known_communes, last_name, first_name, sex, texts)
                errors.append(RowError(line, " ".join(problems)))
                communes_with_errors.add(insee)
                continue

            label, role = mayor or functions[row[i_label]]
            folded_last_name, folded_first_name = folded[last_name], folded[first_name]
            key = _digest(folded_last_name, folded_first_name, birth_date, insee)
            seat_key = (key, insee, role)
            if seat_key in seats:
                message = _("même élu·e et même fonction qu'à la ligne %(line)s.") % {"line": seats[seat_key].line}
                errors.append(RowError(line, message))
                communes_with_errors.add(insee)
                continue
            if key not in persons:
                # Folding "name first name" whole gives the same as joining the folded parts.
                search_name = f"{folded_last_name} {folded_first_name}".strip()
                persons[key] = _Person(last_name, first_name, sex, birth_date, search_name)
            if role != councillor and function_start:
                start = function_start
            seats[seat_key] = _Seat(line, label, start)
        if table.errors:
            errors += table.errors
            errors.sort(key=lambda error: error.line)
        for row in table.refused_rows:  # its commune's mandates are left as they are
            if len(row) > i_commune:
                communes_with_errors.add(insee_codes[row[i_commune].replace("\x00", "")])
        report.rows = rows + len(table.errors)
    if bar is not None:
        bar.update(rows % PROGRESS_STEP)
        bar.close()
    return report, persons, seats, communes_in_file - communes_with_errors


@dataclass
class _Plan:
    new_official_keys: list[str]
    changed_officials: list[Official]
    official_ids: dict[str, int]
    new_seats: dict[tuple[str, str, str], _Seat]
    changed_mandates: list[Mandate]
    ended_ids: list[int]


def _known_officials(keys: set[str]) -> Iterator[tuple[int, str, str, str, str]]:
    """pk, identity key, name, first name and sex of the known officials among ``keys``.

    Looking keys up costs a query per 900 of them: when they are a good part of the
    known officials (a first import of the whole country), one pass over the table is faster.
    """
    columns = ("pk", "identity_key", "last_name", "first_name", "sex")
    known = Official.objects.filter(identity_key__isnull=False)
    if len(keys) > LOOKUP_CHUNK and len(keys) * SCAN_RATIO >= known.count():
        for row in known.values_list(*columns).iterator(chunk_size=10_000):
            if row[1] in keys:
                yield row
    else:
        for chunk in chunked(list(keys), LOOKUP_CHUNK):
            yield from Official.objects.filter(identity_key__in=chunk).values_list(*columns)


def _plan(kind, persons, seats, communes_to_close, report) -> _Plan:
    """Compare the file with the database. Consumes ``seats``: what is left is new."""
    official_ids: dict[str, int] = {}
    changed_officials = []

    def meet(pk, key, last_name, first_name, sex):
        official_ids[key] = pk
        person = persons[key]
        if (last_name, first_name, sex) != (person.last_name, person.first_name, person.sex):
            changed_officials.append(
                Official(
                    pk=pk,
                    last_name=person.last_name,
                    first_name=person.first_name,
                    sex=person.sex,
                    search_name=person.search_name,
                )
            )

    # Walk the current RNE mandates of the file's roles in the file's communes: each is
    # either still listed (maybe changed) or to be ended. What is left in `seats` is new.
    # The walk meets the officials who hold these mandates on the way.
    listed = len(seats)
    changed_mandates, ended_ids = [], []
    source = SOURCE_OF_KIND[kind]
    communes = sorted({insee for _key, insee, _role in seats} | communes_to_close)
    columns = ("pk", "function_label", "start_date", "municipality_id", "role", "official_id")
    official_columns = ("official__identity_key", "official__last_name", "official__first_name", "official__sex")
    for chunk in chunked(communes, LOOKUP_CHUNK):
        rows = (
            Mandate.objects.current()
            .filter(municipality_id__in=chunk, role__in=ROLES_OF_KIND[kind], source__in=RNE_SOURCES)
            .order_by()  # no need of the model's ordering: spares a sort per chunk
            .values_list(*columns, *official_columns)
        )
        for pk, label, start, insee, role, official_id, key, last_name, first_name, sex in rows.iterator(
            chunk_size=5000
        ):
            if key not in official_ids and key in persons:
                meet(official_id, key, last_name, first_name, sex)
            seat = seats.pop((key, insee, role), None)
            if seat is None:
                if insee in communes_to_close:
                    ended_ids.append(pk)
                continue
            # The source follows the last file that changed the mandate; the mayors file
            # and the councillors file agreeing on a mayor is no change.
            if label != seat.function_label or start != seat.start_date:
                changed_mandates.append(
                    Mandate(pk=pk, function_label=seat.function_label, start_date=seat.start_date, source=source)
                )

    # The others are new, or known without a current mandate here. New ones keep the
    # file's order, so that the mandates of a commune point to neighbouring rows.
    new_official_keys = [key for key in persons if key not in official_ids]
    if new_official_keys:
        for row in _known_officials(set(new_official_keys)):
            meet(*row)
        new_official_keys = [key for key in new_official_keys if key not in official_ids]

    report.officials_created, report.officials_updated = len(new_official_keys), len(changed_officials)
    report.created, report.updated = len(seats), len(changed_mandates)
    report.ended = len(ended_ids)
    report.unchanged = listed - len(seats) - len(changed_mandates)
    return _Plan(new_official_keys, changed_officials, official_ids, seats, changed_mandates, ended_ids)


def _apply(kind: str, plan: _Plan, persons: dict[str, _Person], as_of: dt.date) -> None:
    source = SOURCE_OF_KIND[kind]
    now = timezone.now()
    official_ids = plan.official_ids
    with transaction.atomic():
        if plan.new_official_keys:
            last_pk = Official.objects.aggregate(last=Max("pk"))["last"] or 0
            fields = ["identity_key", "last_name", "first_name", "sex", "birth_date", "search_name"]
            insert_rows(
                Official,
                [*fields, "created_at", "updated_at"],
                (
                    (key, p.last_name, p.first_name, p.sex, p.birth_date, p.search_name, now, now)
                    for key, p in ((key, persons[key]) for key in plan.new_official_keys)
                ),
            )
            # Bulk loading returns no ids: read back those of the rows just written, which
            # come after every existing one; look up by key any that would not.
            written = Official.objects.filter(pk__gt=last_pk).values_list("identity_key", "pk")
            for key, pk in written.iterator(chunk_size=10_000):
                if key in persons:
                    official_ids[key] = pk
            missing = [key for key in plan.new_official_keys if key not in official_ids]
            for chunk in chunked(missing, LOOKUP_CHUNK):
                official_ids.update(Official.objects.filter(identity_key__in=chunk).values_list("identity_key", "pk"))
        for official in plan.changed_officials:
            official.updated_at = now
        Official.objects.bulk_update(
            plan.changed_officials, ["last_name", "first_name", "sex", "search_name", "updated_at"], batch_size=BATCH
        )

        for chunk in chunked(plan.ended_ids, LOOKUP_CHUNK):
            # A mandate cannot end before it started: a file dated before a start keeps it valid.
            Mandate.objects.filter(pk__in=chunk, start_date__gt=as_of).update(end_date=F("start_date"), updated_at=now)
            Mandate.objects.filter(pk__in=chunk, end_date__isnull=True).update(end_date=as_of, updated_at=now)
        for mandate in plan.changed_mandates:
            mandate.updated_at = now
        Mandate.objects.bulk_update(
            plan.changed_mandates, ["function_label", "start_date", "source", "updated_at"], batch_size=BATCH
        )
        if plan.new_seats:
            insert_rows(
                Mandate,
                ["official", "municipality", "role", "function_label", "start_date", "source", "updated_at"],
                (
                    (official_ids[key], insee, role, seat.function_label, seat.start_date, source, now)
                    for (key, insee, role), seat in plan.new_seats.items()
                ),
            )
        if len(plan.new_official_keys) + len(plan.new_seats) >= ANALYZE_ABOVE:
            refresh_statistics(Official, Mandate)
