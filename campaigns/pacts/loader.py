"""Load or update a pact edition (themes, measures, levels) from a CSV or JSON file.

CSV: one row per principle or measure, columns ``kind`` (principle/measure), ``code``,
``title``, and optionally ``theme`` (a theme's code or name), ``description`` and
``level_1`` … ``level_N`` (the description of each level of ambition). Themes come from a
separate CSV (``code``, ``title``). JSON: one object with the pact's fields, ``themes`` and
``measures`` (each with ``levels``: a list of descriptions, rank 1 first).

Measures are keyed on (pact, code), themes on (pact, code), levels on (measure, rank):
loading a file again updates in place and never deletes what pledges may point to.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from campaigns.pacts.models import Measure, MeasureLevel, Pact, Theme
from core.tabular import open_table
from core.text import fold
from officials.importers import ImportFileError, RowError

LEVEL_COLUMN = re.compile(r"^level_(\d+)$")


@dataclass
class PactReport:
    pact: Pact | None = None
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    def summary(self) -> str:
        return _("%(pact)s : %(created)s créations, %(updated)s mises à jour, %(unchanged)s inchangées.") % {
            "pact": self.pact,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class PactFileInvalid(Exception):
    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


def _read_themes_csv(path) -> list[dict]:
    with open_table(path) as table:
        col = table.index(["code", "title"])
        return [
            {"code": row[col["code"]].strip(), "name": row[col["title"]].strip(), "line": line} for line, row in table
        ]


def _read_measures_csv(path) -> list[dict]:
    measures = []
    with open_table(path) as table:
        col = table.index(["kind", "code", "title"], optional=("theme", "description"))
        levels = sorted(
            (int(match.group(1)), i) for i, name in enumerate(table.header) if (match := LEVEL_COLUMN.match(name))
        )
        for line, row in table:
            measures.append(
                {
                    "line": line,
                    "kind": row[col["kind"]].strip(),
                    "code": row[col["code"]].strip(),
                    "title": row[col["title"]].strip(),
                    "theme": row[col["theme"]].strip() if "theme" in col else "",
                    "description": row[col["description"]].strip() if "description" in col else "",
                    "levels": {rank: row[i].strip() for rank, i in levels if i < len(row) and row[i].strip()},
                }
            )
    return measures


def read_pact_file(path: str | Path, themes_path: str | Path | None = None) -> dict:
    """Read a pact file into one dict (the JSON shape), with line numbers for CSV rows."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except OSError as exc:
            raise ImportFileError(_("Fichier illisible : %(error)s") % {"error": exc.strerror or exc}) from exc
        except json.JSONDecodeError as exc:
            raise ImportFileError(
                _("JSON invalide (ligne %(line)s) : %(error)s") % {"line": exc.lineno, "error": exc.msg}
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("measures"), list):
            raise ImportFileError(_("JSON inattendu : un objet avec une liste « measures » est attendu."))
        for index, measure in enumerate(data["measures"], start=1):
            measure.setdefault("line", index)
            levels = measure.get("levels") or []
            measure["levels"] = {rank: text for rank, text in enumerate(levels, start=1)}
        for index, theme in enumerate(data.get("themes") or [], start=1):
            theme.setdefault("line", index)
    else:
        data = {"measures": _read_measures_csv(path), "themes": []}
    if themes_path:
        data["themes"] = _read_themes_csv(themes_path)
    return data


def load_pact(data: dict, *, name: str = "", year: int | None = None, **options) -> PactReport:
    """Create or update a pact from ``read_pact_file`` data; all or nothing."""
    report = PactReport()
    name = name or data.get("name", "")
    year = year or data.get("year")
    if not name or not year:
        raise ImportFileError(_("Le nom et l'année du pacte sont requis (--name, --year, ou dans le fichier JSON)."))
    pact_fields = {
        "year": year,
        "description": options.get("description") or data.get("description", ""),
        "min_measures": options.get("min_measures") or data.get("min_measures", 10),
        "principles_required": options.get("principles_required", data.get("principles_required", True)),
    }
    themes, measures = data.get("themes") or [], data["measures"]
    _validate(themes, measures, report)
    if report.errors:
        raise PactFileInvalid(report.errors)

    with transaction.atomic():
        pact, created = Pact.objects.get_or_create(name=name, defaults=pact_fields)
        if created:
            report.created += 1
        else:
            _update(pact, pact_fields, report)
        report.pact = pact
        theme_by_key = {}
        for position, row in enumerate(themes):
            code = row.get("code") or slugify(row["name"])
            theme = _upsert(Theme, {"pact": pact, "code": code}, {"name": row["name"], "position": position}, report)
            theme_by_key[fold(code)] = theme_by_key[fold(theme.name)] = theme
        for theme in pact.themes.all():
            theme_by_key.setdefault(fold(theme.code), theme)
            theme_by_key.setdefault(fold(theme.name), theme)
        for position, row in enumerate(measures):
            theme = None
            if row.get("theme"):
                theme = theme_by_key.get(fold(row["theme"]))
                if theme is None:
                    report.errors.append(
                        RowError(row["line"], _("thématique « %(theme)s » inconnue.") % {"theme": row["theme"]})
                    )
                    continue
            measure = _upsert(
                Measure,
                {"pact": pact, "code": row["code"]},
                {
                    "kind": row["kind"],
                    "title": row["title"],
                    "description": row.get("description", ""),
                    "theme": theme,
                    "position": position,
                },
                report,
            )
            for rank, description in sorted(row["levels"].items()):
                _upsert(MeasureLevel, {"measure": measure, "rank": rank}, {"description": description}, report)
        if report.errors:
            transaction.set_rollback(True)
            raise PactFileInvalid(report.errors)
    return report


def _validate(themes, measures, report) -> None:
    kinds = set(Measure.Kind.values)
    seen = {}
    for row in measures:
        line = row["line"]
        if row.get("kind") not in kinds:
            report.errors.append(
                RowError(line, _("type « %(kind)s » inconnu (principle ou measure).") % {"kind": row.get("kind")})
            )
        if not row.get("code") or not row.get("title"):
            report.errors.append(RowError(line, _("code ou intitulé manquant.")))
        elif row["code"] in seen:
            report.errors.append(
                RowError(
                    line,
                    _("code « %(code)s » déjà vu ligne %(other)s.") % {"code": row["code"], "other": seen[row["code"]]},
                )
            )
        else:
            seen[row["code"]] = line
    for row in themes:
        if not row.get("name"):
            report.errors.append(RowError(row["line"], _("thématique sans nom.")))


def _update(instance, values: dict, report: PactReport) -> None:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.save(update_fields=changed)
        report.updated += 1
    else:
        report.unchanged += 1


def _upsert(model, keys: dict, values: dict, report: PactReport):
    instance = model.objects.filter(**keys).first()
    if instance is None:
        report.created += 1
        return model.objects.create(**keys, **values)
    _update(instance, values, report)
    return instance
