"""Reference data and a small believable demo: the Pays Salonais collective, its pledges,
a campaign on sustainable mobility and its actions, initiatives on the map. Every step is
idempotent."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction

from campaigns.advocacy.models import Action, Campaign
from campaigns.collectives.models import Collective, Membership
from campaigns.gatherings.demo import load_demo_gatherings
from campaigns.initiatives.models import Initiative
from campaigns.initiatives.services import initiative_create, initiative_validate
from campaigns.pacts.loader import load_pact, read_pact_file
from campaigns.pacts.models import Measure, Pact
from campaigns.pledges.models import Pledge
from campaigns.pledges.services import PledgedMeasureInput, pledge_create
from campaigns.reviews.models import AssessmentStatus, ReviewCycle
from campaigns.reviews.services import (
    AssessmentInput,
    assessments_save,
    cycle_close,
    cycle_create,
    cycle_publish,
    pledged_measures_in_scope,
)
from officials.models import Mandate, Municipality, Official

DATA_DIR = Path(__file__).resolve().parent / "data"
PACT_2020 = "Pacte pour la Transition 2020"

TERRITORY = ["13103", "13069", "13051", "13044", "13035", "13063"]
PLEDGES = [
    # municipality, list, outcome, signed on, measure codes
    ("13103", "Salon en transition", Pledge.Outcome.ELECTED, dt.date(2020, 2, 12),
     ["01", "03", "08", "10", "12", "15", "17", "20", "24", "28"]),
    ("13051", "Lançon demain", Pledge.Outcome.ELECTED, dt.date(2020, 2, 20),
     ["01", "02", "03", "04", "08", "11", "13", "19", "21", "28", "30"]),
    ("13069", "Pélissanne écologique et solidaire", Pledge.Outcome.NOT_ELECTED, dt.date(2020, 2, 5),
     ["03", "05", "08", "09", "14", "16", "18", "22", "26", "28"]),
]  # fmt: skip


def load_reference_pact() -> Pact:
    data = read_pact_file(DATA_DIR / "pacte-2020.csv", DATA_DIR / "themes-2023.csv")
    return load_pact(
        data,
        name=PACT_2020,
        year=2020,
        min_measures=10,
        description="3 principes transversaux et 32 mesures ; une liste signataire s'engage sur les principes "
        "et au moins 10 mesures, chacune à un niveau d'ambition.",
    ).pact


@transaction.atomic
def load_demo(*, by=None) -> Collective:
    pact = load_reference_pact()
    collective, _created = Collective.objects.get_or_create(
        slug="pays-salonais",
        defaults={
            "name": "Collectif Pacte pour la Transition du Pays Salonais",
            "description": "Habitant·es du Pays Salonais qui suivent les engagements pris par les listes municipales.",
            "contact_email": "contact@pacte-pays-salonais.example.org",
            "postal_address": "Maison de la vie associative\n55 rue Lafayette\n13300 Salon-de-Provence",
        },
    )
    collective.territory.add(*Municipality.objects.filter(insee_code__in=TERRITORY))
    if by is not None:
        Membership.objects.get_or_create(
            user=by, collective=collective, defaults={"role": Membership.Role.COORDINATOR, "signs_letters": True}
        )

    measures = {measure.code: measure for measure in pact.measures.prefetch_related("levels")}
    principles = [measure for measure in measures.values() if measure.kind == Measure.Kind.PRINCIPLE]
    for insee, list_name, outcome, signed_on, codes in PLEDGES:
        municipality = Municipality.objects.get(insee_code=insee)
        if Pledge.objects.filter(pact=pact, municipality=municipality, list_name=list_name).exists():
            continue
        mayor = Official.objects.filter(
            mandates__municipality=municipality, mandates__role=Mandate.Role.MAYOR, mandates__end_date__isnull=True
        ).first()
        items = [PledgedMeasureInput(measure=principle) for principle in principles]
        for code in codes:
            measure = measures[code]
            levels = list(measure.levels.all())
            items.append(PledgedMeasureInput(measure=measure, level=levels[-1] if levels else None))
        pledge_create(
            pact=pact,
            municipality=municipality,
            list_name=list_name,
            measures=items,
            by=by,
            collective=collective,
            head_of_list=mayor if outcome == Pledge.Outcome.ELECTED else None,
            signed_on=signed_on,
            election_outcome=outcome,
        )

    salon = Municipality.objects.get(insee_code="13103")
    mayor = Official.objects.filter(mandates__municipality=salon, mandates__role=Mandate.Role.MAYOR).first()
    campaign, created = Campaign.objects.get_or_create(
        collective=collective,
        title="Mobilités durables au Pays Salonais",
        defaults={
            "objective": "Obtenir un plan vélo communal et des pistes cyclables sécurisées vers les écoles d'ici 2027.",
            "start_date": dt.date(2026, 9, 1),
            "status": Campaign.Status.IN_PROGRESS,
        },
    )
    if created:
        campaign.municipalities.add(salon, *Municipality.objects.filter(insee_code__in=["13051", "13069"]))
        campaign.measures.add(measures["03"], measures["28"])
        if mayor:
            campaign.officials.add(mayor)
    actions = [
        (Action.Kind.LETTER, dt.date(2026, 9, 15), "Courrier au maire sur le plan vélo", Action.Outcome.SUCCESS,
         "Réponse écrite reçue : un plan vélo sera présenté au conseil de décembre."),
        (Action.Kind.MEETING, dt.date(2026, 10, 8), "Rendez-vous avec la maire et l'adjoint aux mobilités",
         Action.Outcome.PARTIAL, "Accord sur un comptage des vélos ; pas d'engagement sur le budget."),
        (Action.Kind.COUNCIL_QUESTION, dt.date(2026, 11, 5), "Question en conseil municipal sur les pistes cyclables",
         Action.Outcome.PENDING, ""),
    ]  # fmt: skip
    for kind, date, title, outcome, note in actions:
        action, created = Action.objects.get_or_create(
            collective=collective,
            title=title,
            defaults={
                "campaign": campaign,
                "kind": kind,
                "date": date,
                "municipality": salon,
                "outcome": outcome,
                "outcome_note": note,
                "created_by": by,
            },
        )
        if created:
            action.measures.add(measures["03"])
            if mayor:
                action.officials.add(mayor)
    load_demo_reviews(pact, by=by)
    load_demo_gatherings(collective=collective, pact=pact, by=by)
    load_demo_initiatives(pact, collective, by=by)
    return collective


# (name, opens, closes, published, statuses cycled over the pledged measures)
CYCLES = [
    ("Bilan de mi-mandat 2023", dt.date(2023, 3, 1), dt.date(2023, 6, 30), True,
     [AssessmentStatus.DONE, AssessmentStatus.IN_PROGRESS, AssessmentStatus.NOT_STARTED, AssessmentStatus.PARTIAL,
      AssessmentStatus.NOT_STARTED, AssessmentStatus.NOT_MEASURABLE, AssessmentStatus.IN_PROGRESS]),
    ("Bilan de fin de mandat 2026", dt.date(2026, 9, 1), dt.date(2026, 12, 15), False,
     [AssessmentStatus.DONE, AssessmentStatus.PARTIAL, AssessmentStatus.IN_PROGRESS, AssessmentStatus.DONE,
      AssessmentStatus.NOT_ASSESSED, AssessmentStatus.ABANDONED]),
]  # fmt: skip
EVIDENCE = {
    AssessmentStatus.DONE: "Délibération adoptée en conseil municipal ; budget voté.",
    AssessmentStatus.PARTIAL: "Premières réalisations visibles, mais en deçà du niveau signé.",
    AssessmentStatus.IN_PROGRESS: "Étude lancée, calendrier annoncé en commission.",
    AssessmentStatus.NOT_STARTED: "Aucune décision ni annonce relevée.",
    AssessmentStatus.ABANDONED: "Projet retiré de l'ordre du jour.",
}


def load_demo_reviews(pact: Pact, *, by=None) -> None:
    """A published mid-mandate review (2023) and an open end-of-mandate one (2026)."""
    for name, opens_on, closes_on, published, statuses in CYCLES:
        if ReviewCycle.objects.filter(name=name).exists():
            continue
        cycle = cycle_create(pact=pact, name=name, opens_on=opens_on, closes_on=closes_on)
        pledged = pledged_measures_in_scope(pact).select_related("pledge", "measure").order_by("pk")
        items = [
            AssessmentInput(
                pledged_measure=pledged_measure,
                status=statuses[index % len(statuses)],
                evidence=EVIDENCE.get(statuses[index % len(statuses)], ""),
            )
            for index, pledged_measure in enumerate(pledged)
        ]
        if items:
            items[0].municipality_reply = "La commune précise que le budget 2024 prolonge l'effort engagé."
            items[0].reply_date = closes_on
        assessments_save(cycle=cycle, items=items, by=by)
        if published:
            cycle_close(cycle=cycle)
            cycle_publish(cycle=cycle)


# (id, name, kind, municipality, (longitude, latitude) or None, theme codes, followed by the
# collective, validated)
INITIATIVES = [
    ("velo-ecole", "Vélo-école du Pays salonais", Initiative.Kind.ASSOCIATION, "13103", (5.0957, 43.6398),
     ["mobilites"], True, True),
    ("ressourcerie", "Ressourcerie salonaise", Initiative.Kind.ASSOCIATION, "13103", (5.1082, 43.6331),
     ["consommation-responsable"], True, True),
    ("jardins-lancon", "Jardins partagés de Lançon", Initiative.Kind.PROJECT, "13051", None,
     ["agriculture-alimentation", "cohesion-sociale"], True, True),
    ("covoiturage-pelissanne", "Covoiturage Pélissanne–Salon", Initiative.Kind.PROJECT, "13069", None,
     ["mobilites"], True, False),
    ("calanques", "Parc national des Calanques", Initiative.Kind.LANDMARK, "13055", (5.4506, 43.2121),
     ["environnement-biodiversite"], False, True),
    ("marseille-transition", "Marseille en transition", Initiative.Kind.COLLECTIVE, "13055", (5.3810, 43.2965),
     ["democratie-participation"], False, True),
]  # fmt: skip


def load_demo_initiatives(pact: Pact, collective: Collective, *, by=None) -> None:
    """A few initiatives around Salon-de-Provence and Marseille, one still proposed."""
    themes = {theme.code: theme for theme in pact.themes.all()}
    known = set(Initiative.objects.filter(source="demo").values_list("source_id", flat=True))
    for source_id, name, kind, insee, point, codes, followed, validated in INITIATIVES:
        municipality = Municipality.objects.filter(insee_code=insee).first()
        if source_id in known or municipality is None:
            continue
        longitude, latitude = point or (None, None)
        initiative = initiative_create(
            by=by,
            name=name,
            kind=kind,
            municipality=municipality,
            longitude=longitude,
            latitude=latitude,
            themes=[themes[code] for code in codes if code in themes],
            collective=collective if followed else None,
            source="demo",
            source_id=source_id,
        )
        if validated:
            initiative_validate(initiative=initiative, by=by)
