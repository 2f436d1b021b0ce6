"""Contours of communes and départements from GeoJSON as france-geojson publishes it
(a FeatureCollection whose features carry ``code`` and ``nom``).

The national file is tens of megabytes: features are read one at a time from the stream
(ijson) and written in batches, so that memory stays bounded whatever the file's size.
Each contour is simplified (shapely, topology kept) and rounded to 5 decimals (about a
metre); a municipality also gets its centroid, the point markers and bounding-box
queries use. A code the database does not know is reported and the import goes on: a
contour never creates a municipality.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import ijson
import shapely
from django.db import transaction
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape

from core.cache import MAP, new_generation
from core.tabular import ImportFileError, RowError, Source, open_binary
from officials.importers.base import ImportReport, normalize_insee_code
from officials.models import Department, DepartmentContour, Municipality, MunicipalityContour

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_CONTOURS = DEMO_DIR / "communes-13-bouches-du-rhone.geojson"
DEMO_DEPARTMENT_CONTOURS = DEMO_DIR / "departements-13.geojson"

# Degrees: about 50 m on the ground in France, below what a map of a département shows.
DEFAULT_TOLERANCE = 0.0005
DECIMALS = 5
BATCH_SIZE = 500
SURFACES = {"Polygon", "MultiPolygon"}


class FeatureError(RowError):
    """A refused feature, by its position in the file (GeoJSON has no useful line numbers)."""

    def __str__(self) -> str:
        return _("entité n° %(line)s : %(message)s") % {"line": self.line, "message": self.message}


@dataclass
class Feature:
    position: int
    code: str
    geometry: dict
    centroid: tuple[float, float]


def _rounded(coordinates):
    if coordinates and isinstance(coordinates[0], float | int):
        return [round(float(value), DECIMALS) for value in coordinates]
    return [_rounded(part) for part in coordinates]


def simplify(geometry: dict, tolerance: float) -> tuple[dict, tuple[float, float]]:
    """The simplified GeoJSON geometry and its centroid (longitude, latitude); ValueError
    says what is wrong with the geometry."""
    if not isinstance(geometry, dict) or geometry.get("type") not in SURFACES:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        raise ValueError(_("géométrie « %(kind)s » : un Polygon ou un MultiPolygon est attendu.") % {"kind": kind})
    try:
        surface = shape(geometry)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.ShapelyError) as exc:
        raise ValueError(_("géométrie illisible (%(error)s).") % {"error": exc}) from exc
    if surface.is_empty:
        raise ValueError(_("géométrie vide."))
    minx, miny, maxx, maxy = surface.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise ValueError(_("coordonnées hors des longitudes et latitudes (WGS 84) attendues."))
    if not surface.is_valid:
        surface = shapely.make_valid(surface)
    simplified = surface.simplify(tolerance, preserve_topology=True)
    if simplified.is_empty or simplified.geom_type not in SURFACES:
        simplified = surface
    # The centroid of a crescent or an archipelago may fall outside: a marker must not.
    point = simplified.centroid
    if not simplified.contains(point):
        point = simplified.representative_point()
    result = mapping(simplified)
    return (
        {"type": result["type"], "coordinates": _rounded(result["coordinates"])},
        (round(point.x, DECIMALS), round(point.y, DECIMALS)),
    )


def _features(stream, report: ImportReport, tolerance: float) -> Iterator[Feature]:
    """Features of the stream, checked and simplified; refused ones go to the report."""
    try:
        for position, item in enumerate(ijson.items(stream, "features.item", use_float=True), start=1):
            report.rows += 1
            properties = item.get("properties") if isinstance(item, dict) else None
            raw_code = properties.get("code") if isinstance(properties, dict) else None
            if not isinstance(raw_code, str | int) or not str(raw_code).strip():
                report.errors.append(FeatureError(position, _("propriété « code » absente.")))
                continue
            code = str(raw_code).strip().upper()
            try:
                geometry, centroid = simplify(item.get("geometry"), tolerance)
            except ValueError as exc:
                report.errors.append(FeatureError(position, f"{code} : {exc}"))
                continue
            yield Feature(position, code, geometry, centroid)
    except ijson.JSONError as exc:
        raise ImportFileError(_("Fichier GeoJSON mal formé : %(error)s") % {"error": exc}) from exc


def _save_batch(batch: list[Feature], report: ImportReport, source_name: str, dry_run: bool) -> None:
    municipal = [feature for feature in batch if len(feature.code) >= 4]
    departmental = [feature for feature in batch if len(feature.code) < 4]
    for feature in municipal:
        feature.code = normalize_insee_code(feature.code)
    _save(municipal, Municipality, MunicipalityContour, "municipality", report, source_name, dry_run)
    _save(departmental, Department, DepartmentContour, "department", report, source_name, dry_run)


def _save(features, model, contour_model, owner: str, report, source_name: str, dry_run: bool) -> None:
    if not features:
        return
    codes = {feature.code for feature in features}
    known = set(model.objects.filter(pk__in=codes).values_list("pk", flat=True))
    stored = dict(contour_model.objects.filter(pk__in=codes).values_list("pk", "geometry"))
    if owner == "municipality":
        centroids = {
            code: (lon, lat)
            for code, lon, lat in Municipality.objects.filter(pk__in=codes).values_list(
                "pk", "centroid_longitude", "centroid_latitude"
            )
        }
    contours, moved, seen = [], [], set()
    for feature in features:
        if feature.code not in known:
            message = (
                _("commune %(code)s inconnue (absente du COG importé) : ignorée.")
                if owner == "municipality"
                else _("département %(code)s inconnu : ignoré.")
            )
            report.errors.append(FeatureError(feature.position, message % {"code": feature.code}))
            continue
        if feature.code in seen:
            report.errors.append(
                FeatureError(feature.position, _("%(code)s figure deux fois : ignoré.") % {"code": feature.code})
            )
            continue
        seen.add(feature.code)
        same_centroid = owner != "municipality" or centroids[feature.code] == feature.centroid
        if stored.get(feature.code) == feature.geometry and same_centroid:
            report.unchanged += 1
            continue
        if feature.code in stored:
            report.updated += 1
        else:
            report.created += 1
        contours.append(contour_model(pk=feature.code, geometry=feature.geometry, source=source_name))
        if owner == "municipality":
            longitude, latitude = feature.centroid
            moved.append(Municipality(pk=feature.code, centroid_longitude=longitude, centroid_latitude=latitude))
    if dry_run:
        return
    contour_model.objects.bulk_create(
        contours, update_conflicts=True, unique_fields=[owner], update_fields=["geometry", "source", "updated_at"]
    )
    if moved:
        Municipality.objects.bulk_update(moved, ["centroid_longitude", "centroid_latitude"])


def import_contours(
    source: Source, *, tolerance: float = DEFAULT_TOLERANCE, dry_run: bool = False, source_name: str = ""
) -> ImportReport:
    """Create or update the contours (and municipalities' centroids) a GeoJSON file holds.

    Communes (five-character codes) and départements (two or three) may come in one file
    or apart. Refused features (unknown code, bad geometry) are listed in the report and
    the rest is imported; a file that is not GeoJSON writes nothing.
    """
    report = ImportReport(kind="contours", dry_run=dry_run)
    if isinstance(source, str | os.PathLike):
        source_name = source_name or Path(source).name
    with open_binary(source) as stream, transaction.atomic():
        features = _features(stream, report, tolerance)
        while batch := list(islice(features, BATCH_SIZE)):
            _save_batch(batch, report, source_name[:200], dry_run)
        if report.rows == 0:
            raise ImportFileError(_("Aucune entité GeoJSON (« features ») dans le fichier."))
        if report.changed and not dry_run:
            new_generation(MAP)
    report.errors.sort(key=lambda error: error.line)
    return report
