"""INSEE Code officiel géographique: communes (v_commune_AAAA.csv) and their départements."""

from __future__ import annotations

import re
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from core.cache import MAP, new_generation
from core.tabular import ImportFileError, RowError, Source, open_table
from core.text import fold
from officials.importers.base import ImportReport, ImportRowsInvalid, normalize_insee_code
from officials.models import INSEE_CODE_PATTERN, Department, Municipality

REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
DEFAULT_DEPARTMENTS = REFERENCE_DIR / "v_departement.csv"
DEFAULT_REGIONS = REFERENCE_DIR / "v_region.csv"

# TYPECOM values: communes and municipal arrondissements have councils or sectors we
# follow; associated and delegated communes do not elect their own council.
KEPT_KINDS = {"COM", "ARM"}
IGNORED_KINDS = {"COMA", "COMD"}
FIELDS = ("name", "search_name", "kind", "department_id", "parent_id")


def _read_departments(departments: Source, regions: Source) -> dict[str, Department]:
    with open_table(regions) as table:
        col = table.index(["REG", "LIBELLE"])
        region_names = {row[col["REG"]].strip(): row[col["LIBELLE"]].strip() for _line, row in table}
    result = {}
    with open_table(departments) as table:
        col = table.index(["DEP", "REG", "LIBELLE"])
        for line, row in table:
            code, region = row[col["DEP"]].strip(), row[col["REG"]].strip()
            if region not in region_names:
                raise ImportFileError(
                    _("Départements, ligne %(line)s : région « %(region)s » inconnue.")
                    % {"line": line, "region": region}
                )
            result[code] = Department(
                code=code, name=row[col["LIBELLE"]].strip(), region_code=region, region_name=region_names[region]
            )
    return result


def import_cog(
    source: Source,
    *,
    departments: Source = DEFAULT_DEPARTMENTS,
    regions: Source = DEFAULT_REGIONS,
    dry_run: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    """Create or update départements and municipalities from an INSEE communes file.

    Communes are never deleted: a commune that disappears (merger) keeps its history.
    """
    report = ImportReport(kind="cog", dry_run=dry_run)
    known_departments = _read_departments(departments, regions)
    parsed: dict[str, dict] = {}
    with open_table(source) as table:
        col = table.index(["TYPECOM", "COM", "DEP", "LIBELLE"], optional=("COMPARENT",))
        arrondissements = []
        for line, row in table:
            report.rows += 1
            kind = row[col["TYPECOM"]].strip()
            code = normalize_insee_code(row[col["COM"]])
            name = row[col["LIBELLE"]].strip()
            if kind in IGNORED_KINDS:
                report.skipped += 1
                continue
            if kind not in KEPT_KINDS:
                report.errors.append(RowError(line, _("type de commune « %(kind)s » inconnu.") % {"kind": kind}))
                continue
            if not re.match(INSEE_CODE_PATTERN, code) or not name:
                report.errors.append(RowError(line, _("code INSEE « %(code)s » ou nom invalide.") % {"code": code}))
                continue
            if code in parsed:
                report.errors.append(
                    RowError(line, _("la commune %(code)s figure deux fois dans le fichier.") % {"code": code})
                )
                continue
            entry = {"name": name, "search_name": fold(name), "kind": kind, "parent_id": None, "line": line}
            if kind == "ARM":
                entry["parent_id"] = normalize_insee_code(row[col["COMPARENT"]]) if "COMPARENT" in col else ""
                arrondissements.append(code)
            else:
                department = row[col["DEP"]].strip()
                if department not in known_departments:
                    report.errors.append(RowError(line, _("département « %(dep)s » inconnu.") % {"dep": department}))
                    continue
                entry["department_id"] = department
            parsed[code] = entry
        report.errors += table.errors
        report.rows += len(table.errors)

    existing = {
        code: values
        for code, *values in Municipality.objects.values_list("insee_code", *FIELDS).iterator(chunk_size=5000)
    }
    # Arrondissements carry no département in the file: they take their parent's.
    for code in arrondissements:
        entry = parsed[code]
        parent = parsed.get(entry["parent_id"])
        parent_department = parent.get("department_id") if parent else None
        if parent_department is None and entry["parent_id"] in existing:
            parent_department = existing[entry["parent_id"]][FIELDS.index("department_id")]
        if parent_department is None:
            report.errors.append(
                RowError(
                    entry["line"],
                    _("commune parente « %(parent)s » de l'arrondissement %(code)s inconnue.")
                    % {"parent": entry["parent_id"], "code": code},
                )
            )
            del parsed[code]
            continue
        entry["department_id"] = parent_department

    report.errors.sort(key=lambda error: error.line)
    if report.errors and not skip_invalid:
        raise ImportRowsInvalid(report)

    to_create, to_update = [], []
    for code, entry in parsed.items():
        values = [entry[name] for name in FIELDS]
        if code not in existing:
            to_create.append(Municipality(insee_code=code, **{name: entry[name] for name in FIELDS}))
        elif existing[code] != values:
            to_update.append(Municipality(insee_code=code, **{name: entry[name] for name in FIELDS}))
        else:
            report.unchanged += 1
    report.created, report.updated = len(to_create), len(to_update)
    if dry_run:
        return report

    with transaction.atomic():
        Department.objects.bulk_create(
            known_departments.values(),
            update_conflicts=True,
            unique_fields=["code"],
            update_fields=["name", "region_code", "region_name"],
        )
        # Parents first: arrondissements point to them.
        to_create.sort(key=lambda municipality: municipality.kind != Municipality.Kind.COMMUNE)
        Municipality.objects.bulk_create(to_create, batch_size=2000)
        Municipality.objects.bulk_update(to_update, FIELDS, batch_size=1000)
        if to_create or to_update:
            new_generation(MAP)  # names on the map
    return report
