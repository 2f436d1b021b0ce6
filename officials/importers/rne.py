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
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from officials.importers.base import (
    ImportFileError,
    ImportReport,
    ImportRowsInvalid,
    RowError,
    Source,
    chunked,
    normalize_insee_code,
    open_table,
    parse_date,
)
from officials.models import Mandate, Municipality, Official
from officials.text import fold

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
BATCH = 2000
LOOKUP_CHUNK = 900  # under SQLite's historical limit of 999 bound parameters


def identity_key(last_name: str, first_name: str, birth_date: dt.date, insee_code: str) -> str:
    folded = f"{fold(last_name)}|{fold(first_name)}|{birth_date.isoformat()}|{insee_code}"
    return hashlib.blake2b(folded.encode(), digest_size=16).hexdigest()


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
    line: int


@dataclass(slots=True)
class _Seat:
    line: int
    function_label: str
    start_date: dt.date | None


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
    known_communes = set(Municipality.objects.values_list("insee_code", flat=True))
    persons: dict[str, _Person] = {}
    seats: dict[tuple[str, str, str], _Seat] = {}
    communes_in_file: set[str] = set()
    communes_with_errors: set[str] = set()
    bar = _progress(progress)

    with open_table(source) as table:
        kind = detect_kind(table.header)
        report = ImportReport(kind=kind, dry_run=dry_run)
        col = table.index(REQUIRED, optional=(FUNCTION_LABEL, FUNCTION_START))
        i_commune, i_last, i_first, i_sex, i_birth, i_start = (col[name] for name in REQUIRED)
        i_label, i_function_start = col.get(FUNCTION_LABEL), col.get(FUNCTION_START)
        width = len(table.header)
        errors = report.errors
        for line, row in table:
            report.rows += 1
            if bar is not None:
                bar.update()
            if len(row) < width:
                errors.append(RowError(line, _("%(found)s colonnes au lieu de %(expected)s.") % {"found": len(row), "expected": width}))
                continue
            insee = normalize_insee_code(row[i_commune])
            communes_in_file.add(insee)
            last_name, first_name = row[i_last].strip(), row[i_first].strip()
            sex = row[i_sex].strip().upper()
            problems = []
            if insee not in known_communes:
                problems.append(_("commune « %(code)s » inconnue (importez d'abord le COG).") % {"code": insee})
            if not last_name or not first_name:
                problems.append(_("nom ou prénom manquant."))
            if sex not in ("F", "M"):
                problems.append(_("code sexe « %(sex)s » invalide (F ou M attendu).") % {"sex": sex})
            dates = {}
            for name, index in ((BIRTH_DATE, i_birth), (MANDATE_START, i_start), (FUNCTION_START, i_function_start)):
                value = row[index].strip() if index is not None else ""
                if not value:
                    dates[name] = None
                    continue
                try:
                    dates[name] = parse_date(value)
                except ValueError:
                    problems.append(
                        _("date « %(value)s » invalide dans la colonne « %(column)s » (AAAA-MM-JJ ou JJ/MM/AAAA).")
                        % {"value": value, "column": name}
                    )
            if not problems and dates[BIRTH_DATE] is None:
                problems.append(_("date de naissance manquante."))
            if problems:
                errors.append(RowError(line, " ".join(problems)))
                communes_with_errors.add(insee)
                continue

            if kind == MAYORS:
                role, label = Mandate.Role.MAYOR, _("Maire")
            else:
                label = row[i_label].strip()
                role = role_from_label(label)
            key = identity_key(last_name, first_name, dates[BIRTH_DATE], insee)
            seat_key = (key, insee, role)
            if seat_key in seats:
                errors.append(
                    RowError(line, _("même élu·e et même fonction qu'à la ligne %(line)s.") % {"line": seats[seat_key].line})
                )
                communes_with_errors.add(insee)
                continue
            persons.setdefault(key, _Person(last_name, first_name, sex, dates[BIRTH_DATE], line))
            start = dates[FUNCTION_START] if role != Mandate.Role.COUNCILLOR and dates[FUNCTION_START] else dates[MANDATE_START]
            seats[seat_key] = _Seat(line, label, start)
    if bar is not None:
        bar.close()

    if errors and not skip_invalid:
        raise ImportRowsInvalid(report)

    plan = _plan(kind, persons, seats, communes_in_file - communes_with_errors, as_of, report)
    if not dry_run:
        _apply(kind, plan, as_of)
    return report


@dataclass
class _Plan:
    new_officials: list[Official]
    changed_officials: list[Official]
    official_ids: dict[str, int]
    new_seats: list[tuple[str, str, str, _Seat]]
    changed_mandates: list[Mandate]
    ended_ids: list[int]


def _plan(kind, persons, seats, communes_to_close, as_of, report) -> _Plan:
    official_ids: dict[str, int] = {}
    changed_officials = []
    keys = list(persons)
    for chunk in chunked(keys, LOOKUP_CHUNK):
        for pk, key, last_name, first_name, sex in Official.objects.filter(identity_key__in=chunk).values_list(
            "pk", "identity_key", "last_name", "first_name", "sex"
        ):
            official_ids[key] = pk
            person = persons[key]
            if (last_name, first_name, sex) != (person.last_name, person.first_name, person.sex):
                changed_officials.append(
                    Official(
                        pk=pk,
                        last_name=person.last_name,
                        first_name=person.first_name,
                        sex=person.sex,
                        search_name=fold(f"{person.last_name} {person.first_name}"),
                    )
                )
    new_officials = [
        Official(
            identity_key=key,
            last_name=person.last_name,
            first_name=person.first_name,
            sex=person.sex,
            birth_date=person.birth_date,
            search_name=fold(f"{person.last_name} {person.first_name}"),
        )
        for key, person in persons.items()
        if key not in official_ids
    ]

    # Walk the current RNE mandates of the file's roles in the file's communes: each is
    # either still listed (maybe changed) or to be ended. What is left in `pending` is new.
    pending = dict(seats)
    changed_mandates, ended_ids = [], []
    source = SOURCE_OF_KIND[kind]
    communes = sorted({insee for _key, insee, _role in seats} | communes_to_close)
    for chunk in chunked(communes, LOOKUP_CHUNK):
        rows = (
            Mandate.objects.current()
            .filter(municipality_id__in=chunk, role__in=ROLES_OF_KIND[kind], source__in=RNE_SOURCES)
            .values_list("pk", "official__identity_key", "municipality_id", "role", "function_label", "start_date")
        )
        for pk, key, insee, role, label, start in rows.iterator(chunk_size=5000):
            seat = pending.pop((key, insee, role), None)
            if seat is None:
                if insee in communes_to_close:
                    ended_ids.append(pk)
                continue
            # The source follows the last file that changed the mandate; the mayors file
            # and the councillors file agreeing on a mayor is no change.
            if (label, start) != (seat.function_label, seat.start_date):
                changed_mandates.append(
                    Mandate(pk=pk, function_label=seat.function_label, start_date=seat.start_date, source=source)
                )
    new_seats = [(key, insee, role, seat) for (key, insee, role), seat in pending.items()]

    report.officials_created, report.officials_updated = len(new_officials), len(changed_officials)
    report.created, report.updated = len(new_seats), len(changed_mandates)
    report.ended = len(ended_ids)
    report.unchanged = len(seats) - len(new_seats) - len(changed_mandates)
    return _Plan(new_officials, changed_officials, official_ids, new_seats, changed_mandates, ended_ids)


def _apply(kind: str, plan: _Plan, as_of: dt.date) -> None:
    source = SOURCE_OF_KIND[kind]
    now = timezone.now()
    with transaction.atomic():
        for official in plan.new_officials:
            official.created_at = official.updated_at = now
        created = Official.objects.bulk_create(plan.new_officials, batch_size=BATCH)
        for official in created:
            plan.official_ids[official.identity_key] = official.pk
        if any(official.pk is None for official in created):  # backends that return no ids
            keys = [official.identity_key for official in created]
            for chunk in chunked(keys, LOOKUP_CHUNK):
                plan.official_ids.update(
                    Official.objects.filter(identity_key__in=chunk).values_list("identity_key", "pk")
                )
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
        Mandate.objects.bulk_create(
            (
                Mandate(
                    official_id=plan.official_ids[key],
                    municipality_id=insee,
                    role=role,
                    function_label=seat.function_label,
                    start_date=seat.start_date,
                    source=source,
                    updated_at=now,
                )
                for key, insee, role, seat in plan.new_seats
            ),
            batch_size=BATCH,
        )
