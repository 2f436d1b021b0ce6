"""The pact calls a level of ambition a "niveau": the shipped interpellation template and the
reference pact's stand-in level said "palier". Only texts still as shipped change; an edited
template or a level typed by staff is kept. Reversal puts back the earlier wording."""

import importlib

from django.db import migrations

wording = importlib.import_module("campaigns.migrations.0016_shipped_templates_collective_name")

NAME, SHIPPED_BODY = wording.REPLACEMENTS[0][0], wording.REPLACEMENTS[0][2]
NEW_BODY = SHIPPED_BODY.replace("(palier {{ measure.level }})", "(niveau {{ measure.level }})")
OLD_LEVEL = "Premier palier (description à compléter depuis la liste officielle)"
NEW_LEVEL = "Premier niveau (description à compléter depuis la liste officielle)"


def replace(apps, *, forward: bool) -> None:
    LetterTemplate = apps.get_model("campaigns", "LetterTemplate")
    MeasureLevel = apps.get_model("campaigns", "MeasureLevel")
    body, level = ((SHIPPED_BODY, NEW_BODY), (OLD_LEVEL, NEW_LEVEL))
    if not forward:
        body, level = body[::-1], level[::-1]
    LetterTemplate.objects.filter(collective=None, name=NAME, body=body[0]).update(body=body[1])
    MeasureLevel.objects.filter(description=level[0]).update(description=level[1])


def rename(apps, schema_editor):
    replace(apps, forward=True)


def restore(apps, schema_editor):
    replace(apps, forward=False)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0020_initiative_events")]

    operations = [migrations.RunPython(rename, restore)]
