"""Town halls from the public services directory ("annuaire de l'administration",
Service-public.fr): postal address, e-mail, phone and website of each municipality's town hall.

The national export is one JSON document of tens of thousands of service records (or JSON
lines, one record a line). It is read as a stream (ijson): memory follows the number of
municipalities kept, never the size of the file. Only town halls ("mairie" in ``pivot``)
are read; a municipality's main town hall wins over its annexes and delegated town halls,
which stand in only when it has no main one. Fields a person set by hand
(``Municipality.town_hall_edited``) are never overwritten.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

import ijson
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from core.tabular import ImportFileError, RowError, Source, open_binary
from core.text import fold
from officials.importers.base import ImportReport, ImportRowsInvalid, chunked, normalize_insee_code
from officials.models import INSEE_CODE_PATTERN, TOWN_HALL_FIELDS, Municipality

# A first line longer than this is not one record of a JSON lines file.
MAX_LINE = 1 << 16
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
ADDRESS_LINES = ("complement1", "complement2", "numero_voie", "service_distribution")
SECONDARY_WORDS = ("annexe", "deleguee", "delegue")
FIELDS = (*TOWN_HALL_FIELDS, "town_hall_directory_id")
validate_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class RecordError(RowError):
    """A record of the directory refused: its position in the file (record number, or line
    of a JSON lines file) and its identifier."""

    record_id: str = ""

    def __str__(self) -> str:
        where = _("enregistrement %(number)s") % {"number": self.line}
        if self.record_id:
            where += f" (id « {self.record_id} »)"
        return f"{where} : {self.message}"


class RecordInvalid(ValueError):
    pass


def _records(raw: BinaryIO) -> Iterator[tuple[int, dict]]:
    """(position, record) for each service record, from a JSON document ({"service": [...]}
    or a bare list) or from JSON lines."""
    first = raw.readline(MAX_LINE)
    try:
        record = json.loads(first) if first.endswith(b"\n") or len(first) < MAX_LINE else None
    except ValueError:
        record = None
    if isinstance(record, dict) and "service" not in record:
        raw.seek(0)
        for line, text in enumerate(raw, start=1):
            if not text.strip():
                continue
            try:
                yield line, json.loads(text)
            except ValueError as exc:
                message = _("JSON invalide (ligne %(line)s) : %(error)s") % {"line": line, "error": exc}
                raise ImportFileError(message) from exc
        return
    raw.seek(0)
    head = raw.read(MAX_LINE).lstrip()[:1]
    raw.seek(0)
    prefix = "item" if head == b"[" else "service.item"
    try:
        yield from enumerate(ijson.items(raw, prefix), start=1)
    except ijson.JSONError as exc:
        raise ImportFileError(_("JSON invalide : %(error)s") % {"error": exc}) from exc


def _as_list(value, name: str) -> list:
    """Nested lists are JSON text in some exports: accept both."""
    if value in (None, ""):
        return []
    if isinstance(value, str) and value.lstrip()[:1] in ("[", "{"):
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise RecordInvalid(_("champ « %(name)s » illisible (JSON attendu).") % {"name": name}) from exc
    if isinstance(value, (str, dict)):
        value = [value]
    if not isinstance(value, list):
        raise RecordInvalid(_("champ « %(name)s » inattendu.") % {"name": name})
    return value


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def is_town_hall(record: dict) -> bool:
    pivots = _as_list(record.get("pivot"), "pivot")
    return any(isinstance(pivot, dict) and pivot.get("type_service_local") == "mairie" for pivot in pivots)


def _insee_code(record: dict) -> str:
    code = record.get("code_insee_commune")
    if isinstance(code, list):
        code = code[0] if code else ""
    if not code:
        for pivot in _as_list(record.get("pivot"), "pivot"):
            codes = pivot.get("code_insee_commune") if isinstance(pivot, dict) else None
            if codes:
                code = codes[0] if isinstance(codes, list) else codes
                break
    return normalize_insee_code(_text(code))


def is_main_town_hall(name: str) -> bool:
    """ "Mairie - Salon-de-Provence" is the main town hall; "Mairie annexe …" and
    "Mairie déléguée …" are not."""
    folded = fold(name)
    return folded.startswith("mairie - ") or not any(word in folded for word in SECONDARY_WORDS)


def _address(record: dict) -> tuple[str, str, str]:
    """(street lines, postal code, town) of the postal address, else of the address."""
    addresses = [item for item in _as_list(record.get("adresse"), "adresse") if isinstance(item, dict)]
    if not addresses:
        return "", "", ""
    postal = [item for item in addresses if "postale" in fold(_text(item.get("type_adresse")))]
    chosen = (postal or addresses)[0]
    lines = [_text(chosen.get(name)) for name in ADDRESS_LINES]
    postal_code = _text(chosen.get("code_postal"))
    if postal_code and not POSTAL_CODE.match(postal_code):
        raise RecordInvalid(_("code postal « %(code)s » invalide.") % {"code": postal_code})
    return "\n".join(line for line in lines if line), postal_code, _text(chosen.get("nom_commune"))


def _first_value(items: list) -> str:
    for item in items:
        value = _text(item.get("valeur") if isinstance(item, dict) else item)
        if value:
            return value
    return ""


def _checked(record: dict, name: str, validator, message: str) -> str:
    """The first value of the field ``name``, checked by ``validator``."""
    value = _first_value(_as_list(record.get(name), name))
    if value:
        try:
            validator(value)
        except ValidationError as exc:
            raise RecordInvalid(message % {"value": value}) from exc
    return value


def _values(record: dict) -> dict:
    """The municipality's town hall fields from one record; RecordInvalid says what is wrong."""
    address, postal_code, town = _address(record)
    email = _checked(record, "adresse_courriel", validate_email, _("courriel « %(value)s » invalide."))
    website = _checked(record, "site_internet", validate_url, _("site « %(value)s » invalide."))
    values = {
        "town_hall_address": address,
        "town_hall_postal_code": postal_code,
        "town_hall_town": town,
        "town_hall_email": email,
        "town_hall_phone": _first_value(_as_list(record.get("telephone"), "telephone")),
        "website": website,
        "town_hall_directory_id": _text(str(record.get("id") or "")),
    }
    for name, value in values.items():
        limit = Municipality._meta.get_field(name).max_length
        if limit and len(value) > limit:
            raise RecordInvalid(_("champ « %(name)s » trop long.") % {"name": name})
    return values


def import_townhalls(source: Source, *, dry_run: bool = False, skip_invalid: bool = False) -> ImportReport:
    """Store each known municipality's town hall contact from a directory export.

    Idempotent: a record already stored changes nothing. Records of unknown municipalities
    and malformed records are reported with their position; without ``skip_invalid`` they
    stop the import before anything is written."""
    report = ImportReport(kind="townhalls", dry_run=dry_run)
    known = set(Municipality.objects.values_list("insee_code", flat=True).iterator(chunk_size=5000))
    # {INSEE code: (is main, values)}: one small entry per municipality, whatever the file's size.
    chosen: dict[str, tuple[bool, dict]] = {}
    with open_binary(source) as raw:
        for position, record in _records(raw):
            if not isinstance(record, dict):
                report.rows += 1
                report.errors.append(RecordError(position, _("un objet JSON est attendu.")))
                continue
            record_id = _text(str(record.get("id") or ""))
            try:
                if not is_town_hall(record):
                    continue
                report.rows += 1
                code = _insee_code(record)
                if not re.match(INSEE_CODE_PATTERN, code):
                    raise RecordInvalid(_("code INSEE « %(code)s » invalide.") % {"code": code})
                if code not in known:
                    raise RecordInvalid(_("commune %(code)s inconnue (importez le COG d'abord).") % {"code": code})
                main = is_main_town_hall(_text(record.get("nom")))
                if code in chosen and (chosen[code][0] or not main):
                    report.skipped += 1  # an annex, or a second record of the same rank
                    continue
                chosen[code] = (main, _values(record))
            except RecordInvalid as exc:
                report.errors.append(RecordError(position, str(exc), record_id=record_id))
    if report.errors and not skip_invalid:
        raise ImportRowsInvalid(report)

    to_update = []
    for chunk in chunked(sorted(chosen), 2000):
        for municipality in Municipality.objects.filter(insee_code__in=chunk).only(*FIELDS, "town_hall_edited"):
            edited = set(municipality.town_hall_edited or [])
            values = chosen[municipality.insee_code][1]
            changed = [name for name in FIELDS if name not in edited and getattr(municipality, name) != values[name]]
            if not changed:
                report.unchanged += 1
                continue
            for name in changed:
                setattr(municipality, name, values[name])
            to_update.append(municipality)
    report.updated = len(to_update)
    if not dry_run:
        with transaction.atomic():
            # Field by field: a person's field stays as they wrote it on that row only.
            Municipality.objects.bulk_update(to_update, FIELDS, batch_size=1000)
    return report
