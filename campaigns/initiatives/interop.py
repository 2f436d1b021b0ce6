"""Initiatives from the tools the movement already uses: a CSV file, or the JSON export of a
GoGoCarto map (``/api/elements.json``), read through a mapping of fields and categories.

A mapping (JSON) names, for each field of an initiative, the column (CSV) or the dotted
path (GoGoCarto: ``geo.latitude``) it comes from, and translates the source's categories
into kinds and theme codes. A row is found again by (source, its identifier): a re-import
updates it instead of adding a copy. Every row is checked first and every error reported
with its line or position; nothing is written while one remains, unless the invalid rows
are to be left out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import ijson
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape

from campaigns.initiatives.models import Initiative
from campaigns.initiatives.services import initiative_create, initiative_update, initiative_validate
from campaigns.pacts.models import Theme
from core.tabular import ImportFileError, RowError, Source, open_binary, open_table
from core.text import fold
from officials.importers.base import ImportReport, ImportRowsInvalid, normalize_insee_code
from officials.models import Municipality

MAX_ROWS = 20_000
FIELDS = ("source_id", "name", "kind", "description", "municipality", "longitude", "latitude", "themes",
          "contact", "email", "links")  # fmt: skip
LIST_SEPARATOR = re.compile(r"\s*[;|]\s*")
# The columns of the project's own CSV (docs/guide.md), and GoGoCarto's element fields.
CSV_MAPPING = {
    "fields": {"source_id": "identifiant", "name": "nom", "kind": "type", "description": "description",
               "municipality": "code_insee", "longitude": "longitude", "latitude": "latitude",
               "themes": "thematiques", "contact": "contact", "email": "courriel", "links": "liens"},
}  # fmt: skip
GOGOCARTO_MAPPING = {
    "fields": {"source_id": "id", "name": "name", "kind": "categories", "description": "description",
               "longitude": "geo.longitude", "latitude": "geo.latitude", "themes": "categories",
               "contact": "telephone", "email": "email", "links": "website"},
}  # fmt: skip


@dataclass
class Mapping:
    fields: dict[str, str]
    kinds: dict[str, str] = field(default_factory=dict)  # source category (folded) → kind
    themes: dict[str, str] = field(default_factory=dict)  # source category (folded) → theme code
    default_kind: str | None = None

    @classmethod
    def load(cls, data: dict | None, default: dict) -> Mapping:
        data = {**default, **(data or {})}
        unknown = set(data["fields"]) - set(FIELDS)
        if unknown or "name" not in data["fields"]:
            raise ImportFileError(
                _("Correspondance : champs inconnus (%(unknown)s) ou « name » absent. Champs possibles : %(fields)s.")
                % {"unknown": ", ".join(sorted(unknown)) or "-", "fields": ", ".join(FIELDS)}
            )
        kinds = {fold(key): value for key, value in data.get("kinds", {}).items()}
        bad = sorted({value for value in kinds.values()} - set(Initiative.Kind.values))
        default_kind = data.get("default_kind")
        if bad or (default_kind and default_kind not in Initiative.Kind.values):
            raise ImportFileError(
                _("Correspondance : type(s) inconnu(s) %(bad)s ; types possibles : %(kinds)s.")
                % {"bad": ", ".join(bad or [default_kind]), "kinds": ", ".join(Initiative.Kind.values)}
            )
        themes = {fold(key): value for key, value in data.get("themes", {}).items()}
        return cls(fields=data["fields"], kinds=kinds, themes=themes, default_kind=default_kind)


def read_mapping(path: str | Path | None) -> dict | None:
    if not path:
        return None
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ImportFileError(_("Correspondance illisible : %(error)s") % {"error": exc}) from exc


class ElementError(RowError):
    def __str__(self) -> str:
        return _("élément n° %(line)s : %(message)s") % {"line": self.line, "message": self.message}


def _dig(record: dict, path: str):
    value = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _values(raw) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list):
        return [str(_dig(item, "name") if isinstance(item, dict) else item).strip() for item in raw if item]
    return [part for part in LIST_SEPARATOR.split(str(raw).strip()) if part]


class Locator:
    """The municipality of a point: the contour that holds it among those whose centroid is
    near, else the nearest centroid (GoGoCarto has no INSEE code)."""

    RADIUS = 0.3  # degrees

    def __call__(self, longitude: float, latitude: float) -> Municipality | None:
        near = list(
            Municipality.objects.filter(
                centroid_longitude__range=(longitude - self.RADIUS, longitude + self.RADIUS),
                centroid_latitude__range=(latitude - self.RADIUS, latitude + self.RADIUS),
            ).select_related("contour")
        )
        point = Point(longitude, latitude)
        for municipality in near:
            contour = getattr(municipality, "contour", None)
            if contour is not None and shape(contour.geometry).contains(point):
                return municipality
        near.sort(key=lambda m: (m.centroid_longitude - longitude) ** 2 + (m.centroid_latitude - latitude) ** 2)
        return near[0] if near else None


def _parse(record: dict, mapping: Mapping, themes: dict[str, Theme], locate: Locator) -> tuple[dict, list[str]]:
    """(fields for the services, problems) of one record."""
    get = {name: _dig(record, path) if "." in path else record.get(path) for name, path in mapping.fields.items()}
    problems, fields = [], {}
    name = str(get.get("name") or "").strip()
    if not name:
        problems.append(_("nom absent."))
    fields["name"] = name[:200]
    fields["source_id"] = str(get.get("source_id") or "").strip()[:100]
    categories = _values(get.get("kind"))
    kinds = [mapping.kinds.get(fold(c), c if c in Initiative.Kind.values else None) for c in categories]
    kind = next((k for k in kinds if k), mapping.default_kind)
    if kind is None:
        problems.append(_("type « %(value)s » sans correspondance.") % {"value": ", ".join(categories) or "-"})
    fields["kind"] = kind
    for text in ("description", "contact"):
        fields[text] = str(get.get(text) or "").strip()
    fields["email"] = str(get.get("email") or "").strip()
    if fields["email"]:
        try:
            EmailValidator()(fields["email"])
        except ValidationError:
            problems.append(_("courriel « %(email)s » invalide.") % {"email": fields["email"][:100]})
    links = _values(get.get("links"))
    for link in links:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError:
            problems.append(_("lien « %(link)s » invalide.") % {"link": link[:100]})
    fields["links"] = links
    point = [get.get("longitude"), get.get("latitude")]
    if any(value not in (None, "") for value in point):
        try:
            fields["longitude"], fields["latitude"] = (float(str(value).replace(",", ".")) for value in point)
        except (TypeError, ValueError):
            problems.append(_("longitude et latitude : deux nombres sont attendus."))
        else:
            if not (-180 <= fields["longitude"] <= 180 and -90 <= fields["latitude"] <= 90):
                problems.append(_("longitude et latitude hors des valeurs WGS 84."))
                del fields["longitude"], fields["latitude"]
    codes = [mapping.themes.get(fold(value), value) for value in _values(get.get("themes"))]
    fields["themes"] = [themes[code] for code in dict.fromkeys(codes) if code in themes]
    code = normalize_insee_code(str(get.get("municipality") or ""))
    municipality = Municipality.objects.filter(pk=code).first() if code else None
    if municipality is None and code:
        problems.append(_("commune « %(code)s » inconnue.") % {"code": code})
    elif municipality is None and "longitude" in fields:
        municipality = locate(fields["longitude"], fields["latitude"])
    if municipality is None and not code:
        problems.append(_("commune introuvable : ni code INSEE, ni point près d'une commune connue."))
    fields["municipality"] = municipality
    return fields, problems


def _records_csv(source: Source, report: ImportReport) -> Iterator[tuple[int, dict]]:
    with open_table(source) as table:
        header = table.header
        for line, row in table:
            yield line, dict(zip(header, row, strict=False))
        report.errors += table.errors


def _records_gogocarto(source: Source) -> Iterator[tuple[int, dict]]:
    """The elements of a GoGoCarto export: ``{"data": [...]}`` or a bare list."""
    with open_binary(source) as stream:
        head = stream.read(1024)
        stream.seek(0)
        prefix = "item" if head.lstrip().startswith(b"[") else "data.item"
        try:
            for position, item in enumerate(ijson.items(stream, prefix, use_float=True), start=1):
                yield position, item if isinstance(item, dict) else {}
        except ijson.JSONError as exc:
            raise ImportFileError(_("Fichier JSON mal formé : %(error)s") % {"error": exc}) from exc


def import_initiatives(
    source: Source,
    *,
    file_format: str,
    source_name: str,
    mapping: dict | None = None,
    by=None,
    validate: bool = False,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    """Create or update initiatives from a CSV file (``file_format="csv"``) or a GoGoCarto
    export (``"gogocarto"``); ``source_name`` keys re-imports. ``validate``: put them on the
    public map at once (as ``by``, who may validate)."""
    default = CSV_MAPPING if file_format == "csv" else GOGOCARTO_MAPPING
    rules = Mapping.load(mapping, default)
    report, parsed, seen, locate = ImportReport(kind="initiatives", dry_run=dry_run), [], set(), Locator()
    records = _records_csv(source, report) if file_format == "csv" else _records_gogocarto(source)
    error_type = RowError if file_format == "csv" else ElementError
    themes = {theme.code: theme for theme in Theme.objects.order_by("pact_id")}
    for position, record in records:
        report.rows += 1
        if report.rows > MAX_ROWS:
            raise ImportFileError(_("Plus de %(max)s initiatives dans le fichier.") % {"max": MAX_ROWS})
        fields, problems = _parse(record, rules, themes, locate)
        if fields["source_id"] and fields["source_id"] in seen:
            problems.append(_("identifiant « %(id)s » déjà vu plus haut.") % {"id": fields["source_id"]})
        seen.add(fields["source_id"])
        if problems:
            report.errors.append(error_type(position, " ".join(problems)))
        else:
            parsed.append((position, fields))
    report.errors.sort(key=lambda error: error.line)
    if report.errors and not skip_invalid:
        raise ImportRowsInvalid(report)
    existing = {row.source_id: row for row in Initiative.objects.filter(source=source_name).exclude(source_id="")}
    with transaction.atomic():
        for position, fields in parsed:
            row = existing.get(fields["source_id"])
            try:
                if row is None:
                    row = initiative_create(by=by, source=source_name, **fields)
                    report.created += 1
                else:
                    initiative_update(initiative=row, by=by, **fields)
                    report.updated += 1
                if validate:
                    initiative_validate(initiative=row, by=by)
            except ValidationError as exc:
                messages = [f"{key} : {' '.join(values)}" for key, values in exc.message_dict.items()]
                raise ImportFileError(str(error_type(position, " ".join(messages)))) from exc
        if dry_run:
            transaction.set_rollback(True)
    return report
