"""The shipped templates name the collective as it writes its name: "Le collectif {{
collective.name }}" printed "Le collectif Collectif Pacte pour la Transition du Pays
Salonais" for the many collectives whose name starts with "Collectif". The letters now
speak as "Nous, <name>, …". Only shared templates still as shipped change; an edited one
is kept. Reversal puts back the earlier wording where the new one is still there."""

import importlib

from django.db import migrations

compact = importlib.import_module("campaigns.migrations.0006_compact_interpellation_template")

OLD_INTRODUCTION = compact.INTRODUCTION
NEW_INTRODUCTION = OLD_INTRODUCTION.replace(
    "Le collectif {{ collective.name }} suit avec attention", "Nous, {{ collective.name }}, suivons avec attention"
)
MEETING_OLD = "Le collectif {{ collective.name }} souhaiterait vous rencontrer"
MEETING_NEW = "Nous, {{ collective.name }}, souhaiterions vous rencontrer"
FOLLOW_UP_OLD = "Le collectif {{ collective.name }} reste très attaché au dialogue"
FOLLOW_UP_NEW = "Nous restons très attaché·es au dialogue"
FREE_OLD = "Le collectif {{ collective.name }} souhaite attirer votre attention sur …"
FREE_NEW = "Nous, {{ collective.name }}, souhaitons attirer votre attention sur …"

# (template name, body as shipped, body now)
REPLACEMENTS = [
    (
        compact.NAME,
        compact.COMPACT_BODY,
        compact.COMPACT_BODY.replace(OLD_INTRODUCTION, NEW_INTRODUCTION, 1),
    ),
]


def _shipped(apps):
    """The three other shared templates as 0005 installed them."""
    defaults = importlib.import_module("campaigns.migrations.0005_default_letter_templates")
    pairs = {"meeting_request": (MEETING_OLD, MEETING_NEW), "follow_up": (FOLLOW_UP_OLD, FOLLOW_UP_NEW),
             "free": (FREE_OLD, FREE_NEW)}  # fmt: skip
    rows = list(REPLACEMENTS)
    for template in defaults.TEMPLATES:
        if template["kind"] in pairs:
            old, new = pairs[template["kind"]]
            rows.append((template["name"], template["body"], template["body"].replace(old, new, 1)))
    return rows


def replace(apps, *, forward: bool) -> None:
    LetterTemplate = apps.get_model("campaigns", "LetterTemplate")
    for name, old, new in _shipped(apps):
        before, after = (old, new) if forward else (new, old)
        LetterTemplate.objects.filter(collective=None, name=name, body=before).update(body=after)


def rename(apps, schema_editor):
    replace(apps, forward=True)


def restore(apps, schema_editor):
    replace(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0015_reference_pact_known_titles")]

    operations = [migrations.RunPython(rename, restore)]
