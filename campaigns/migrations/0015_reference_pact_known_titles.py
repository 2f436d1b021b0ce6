"""The reference pact takes what is now known of the 2020 edition: the short titles of the
principles (their long wording becomes their description), the subjects of measures 05, 07,
11 and 15 with their themes, and level 1 of measures 07 and 15.

Only rows still as shipped change: a title someone edited is kept, a description or theme
someone set too, and an existing level 1 is left alone. Reversal puts back the shipped
titles where they are still the new ones (themes, descriptions and levels stay: they were
unknown, not wrong).
"""

from django.db import migrations

PACT = "Pacte pour la Transition 2020"
# (code, title as shipped, title now known, theme, description, level 1)
KNOWN = [
    ('A', 'Sensibiliser et former à la transition les élu·es, les agent·es, les jeunes, les habitant·es et les acteurs économiques',
     'Sensibilisation et formation à la transition',
     '', 'Sensibiliser et former à la transition les élu·es, les agent·es, les jeunes, les habitant·es et les acteurs économiques',
     ''),
    ('B', 'Co-construire les politiques locales avec les habitant·es, les agent·es et les acteurs locaux, y compris la mise en œuvre et le suivi du Pacte',
     'Co-construction des politiques locales',
     '', 'Co-construire les politiques locales avec les habitant·es, les agent·es et les acteurs locaux, y compris la mise en œuvre et le suivi du Pacte',
     ''),
    ('C', "Intégrer les impacts à long terme et l'urgence climatique et sociale dans les arbitrages de la commune et de ses groupements",
     "Intégration des impacts à long terme et de l'urgence climatique et sociale",
     '', "Intégrer les impacts à long terme et l'urgence climatique et sociale dans les arbitrages de la commune et de ses groupements",
     ''),
    ('05', 'Mesure 05 (intitulé à compléter depuis la liste officielle)',
     'Soutenir des filières agricoles paysannes, biologiques et locales qui rémunèrent justement les agriculteurs et agricultrices',
     'agriculture et alimentation', '',
     ''),
    ('07', 'Mesure 07 (intitulé à compléter depuis la liste officielle)',
     'Une restauration collective biologique, locale, équitable et moins carnée',
     'agriculture et alimentation', '',
     'Au moins la moitié de produits bio et locaux, équitables ou sous signe de qualité, et un repas végétarien (ou une alternative végétarienne) chaque semaine'),
    ('08', 'Préserver et développer les trames verte, bleue et noire pour redonner sa place au vivant',
     'Préserver et développer les trames vertes, bleues et noires pour redonner sa place au vivant sur le territoire',
     'environnement et biodiversité', '',
     ''),
    ('11', 'Mesure 11 (intitulé à compléter depuis la liste officielle)',
     'Une démarche de territoire à énergie positive ou de plan climat citoyen ambitieuse : réduire les consommations, développer les énergies renouvelables, notamment citoyennes',
     'transition énergétique', '',
     ''),
    ('15', 'Mesure 15 (intitulé à compléter depuis la liste officielle)',
     "Donner la priorité à la marche et au vélo dans l'espace public",
     'mobilités', '',
     'Modérer la vitesse automobile sur une partie au moins de la commune (zones 30, zones de rencontre), généraliser les doubles sens cyclables et les cédez-le-passage cyclistes aux feux, et installer assez de stationnements vélo (commerces, arrêts de bus, services publics, écoles)'),
]  # fmt: skip


def forward(apps, schema_editor):
    Measure = apps.get_model("campaigns", "Measure")
    MeasureLevel = apps.get_model("campaigns", "MeasureLevel")
    Theme = apps.get_model("campaigns", "Theme")
    for code, shipped, title, theme, description, level in KNOWN:
        measure = Measure.objects.filter(pact__name=PACT, code=code, title=shipped).first()
        if measure is None:
            continue
        measure.title = title
        if description and not measure.description:
            measure.description = description
        if theme and measure.theme_id is None:
            measure.theme = Theme.objects.filter(pact_id=measure.pact_id, name=theme).first()
        measure.save(update_fields=["title", "description", "theme"])
        if level:
            MeasureLevel.objects.get_or_create(measure=measure, rank=1, defaults={"description": level})


def backward(apps, schema_editor):
    Measure = apps.get_model("campaigns", "Measure")
    for code, shipped, title, *_known in KNOWN:
        Measure.objects.filter(pact__name=PACT, code=code, title=title).update(title=shipped)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0014_paper_letters_to_post")]

    operations = [migrations.RunPython(forward, backward)]
