from django.db import migrations

DEFAULT_SCALE = "Barème citoyen"
# réalisée = 1, partiellement réalisée = 0.5, the rest 0; non évaluée and non mesurable
# stay out of the average.
WEIGHTS = [
    ("done", "1", True),
    ("partial", "0.5", True),
    ("in_progress", "0", True),
    ("not_started", "0", True),
    ("abandoned", "0", True),
    ("not_measurable", "0", False),
    ("not_assessed", "0", False),
]


def install(apps, schema_editor):
    ScoringScale = apps.get_model("campaigns", "ScoringScale")
    StatusWeight = apps.get_model("campaigns", "StatusWeight")
    scale, _created = ScoringScale.objects.get_or_create(
        name=DEFAULT_SCALE,
        defaults={
            "description": "Réalisée = 1, partiellement réalisée = 0,5, autres statuts = 0 ; "
            "« non évaluée » et « non mesurable » ne comptent pas dans la moyenne. Note sur 10."
        },
    )
    for status, weight, counted in WEIGHTS:
        StatusWeight.objects.get_or_create(scale=scale, status=status, defaults={"weight": weight, "counted": counted})


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0002_reviews")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
