"""Demo gatherings, from two field reports: the first regional gathering of the Pacte's
collectives (Salon-de-Provence, 4–5 March 2023) and a meeting of participation
practitioners (Marseille, 4 October 2022, following one in June). Written through the
services; idempotent (an event already there is left as it is)."""

from __future__ import annotations

import datetime as dt

from campaigns.collectives.models import Collective
from campaigns.gatherings.models import Event, EventResource, Lesson, ProgrammeItem, Proposal
from campaigns.gatherings.services.events import (
    ParticipantInput,
    SpeakerInput,
    event_create,
    programme_item_create,
    resource_create,
)
from campaigns.gatherings.services.experience import action_idea_create, lesson_create, proposal_create
from campaigns.gatherings.services.feedback import feedback_record, survey_set
from campaigns.pacts.models import Pact
from officials.models import Municipality

SALON_TITLE = "Première rencontre régionale des collectifs du Pacte pour la Transition"
MARSEILLE_TITLE = "Rencontre des praticien·nes de la participation"
OTHER_COLLECTIVES = [
    # slug, name, territory
    ("marseille", "Collectif Pacte pour la Transition de Marseille", "13055"),
    ("pays-d-aix", "Collectif Pacte pour la Transition du Pays d'Aix", "13001"),
]

W, T, RT, TALK, SHOW, CONVIVIAL = (ProgrammeItem.Kind.WORKSHOP, ProgrammeItem.Kind.TRAINING,
                                   ProgrammeItem.Kind.ROUND_TABLE, ProgrammeItem.Kind.TALK,
                                   ProgrammeItem.Kind.SHOW, ProgrammeItem.Kind.CONVIVIAL)  # fmt: skip
INFORM_QUESTION = "Comment obtenir que la mairie informe les habitant·es des mesures signées ?"
SALON_PROGRAMME = [
    # day, start, end, kind, title, question, speakers (name, organisation, role)
    (4, "09:30", "12:30", W, "Atelier de partage d'expériences : garder, cesser, créer", "", []),
    (4, "12:30", "14:00", CONVIVIAL, "Repas partagé", "", []),
    (4, "14:00", "17:30", T, "Formation au plaidoyer", "", [
        ("Formatrice", "Association d'éducation populaire", "formatrice au plaidoyer"),
        ("Formateur", "Réseau associatif de la transition", "formateur au plaidoyer")]),
    (4, "20:30", "22:30", SHOW, "Soirée spectacle", "", []),
    (5, "09:30", "11:00", W, "Réflexion commune sur nos questions", INFORM_QUESTION, []),
    (5, "11:15", "12:30", TALK, "Le bilan de mi-mandat", "", []),
    (5, "14:00", "16:00", RT, "Table ronde sur la mobilité durable",
     "Comment développer les mobilités durables dans nos communes ?", [
         ("Association vélo du Pays Salonais", "Association vélo du Pays Salonais", "intervenante"),
         ("Association des usagers des transports", "Association des usagers des transports", "intervenant"),
         ("Député·e de la circonscription", "Assemblée nationale", "député·e")]),
]  # fmt: skip
LESSONS = [
    (Lesson.Kind.KEEP, "Les binômes de suivi par commune, qui connaissent les élu·es et les dossiers."),
    (Lesson.Kind.KEEP, "Les rendez-vous avec les adjoint·es préparés avec une fiche par mesure signée."),
    (Lesson.Kind.STOP, "Les courriers envoyés sans demande de rendez-vous ni date de relance."),
    (Lesson.Kind.STOP, "Les réunions sans compte rendu partagé avec tout le collectif."),
    (Lesson.Kind.START, "Un point d'étape public chaque année sur les mesures signées."),
    (Lesson.Kind.START, "Une formation au plaidoyer pour chaque nouveau membre."),
]
RESOURCES = [
    ("Fiches méthode des ateliers", EventResource.Kind.METHOD_SHEET, "fiches-methode.pdf"),
    ("Fiche AFOM (forces, faiblesses, opportunités, menaces)", EventResource.Kind.TOOL_SHEET, "fiche-afom.pdf"),
    ("Fiche « 3C »", EventResource.Kind.TOOL_SHEET, "fiche-3c.pdf"),
    ("Playlist de la soirée", EventResource.Kind.PLAYLIST, "playlist"),
]
# (score out of 5, words, comment): 12 of 14 recommend (86 %).
FEEDBACK = [
    (5, ["constructive", "inspirante"], "Enfin des échanges entre collectifs !"),
    (5, ["inspirante"], ""), (5, ["conviviale", "constructive"], ""), (4, ["constructive"], ""),
    (4, ["riche"], "La formation au plaidoyer mériterait une journée entière."), (5, ["motivante"], ""),
    (4, ["inspirante", "conviviale"], ""), (5, ["constructive"], ""), (4, [], ""), (5, ["inspirante"], ""),
    (4, ["riche", "constructive"], ""), (5, ["conviviale"], ""), (3, ["dense"], "Trop de sujets en deux jours."),
    (2, [], "Difficile de venir sans voiture."),
]  # fmt: skip
GRID_QUESTION = "Comment renforcer la participation des habitant·es aux projets de la commune ?"
GRID = [
    (Proposal.Kind.WE_COULD, "Partager nos retours d'expérience entre praticien·nes de la participation."),
    (Proposal.Kind.WE_COULD, "Co-animer des ateliers avec les collectifs citoyens."),
    (Proposal.Kind.THEY_COULD, "Les élu·es pourraient associer les habitant·es dès l'amont des projets."),
    (Proposal.Kind.THEY_COULD, "Les services pourraient publier les suites données aux contributions."),
    (Proposal.Kind.WE_NEED, "Un cadre juridique clair pour la commande publique de la participation."),
    (Proposal.Kind.WE_NEED, "Une carte des initiatives, des projets et des personnes qui ont le pouvoir d'agir."),
]
MAP_REQUEST = "Une carte des initiatives : repères territoriaux, projets et personnes qui ont le pouvoir d'agir"


def _time(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


def _collectives() -> list[Collective]:
    collectives = []
    for slug, name, insee in OTHER_COLLECTIVES:
        collective, _created = Collective.objects.get_or_create(slug=slug, defaults={"name": name})
        collective.territory.add(*Municipality.objects.filter(insee_code=insee))
        collectives.append(collective)
    return collectives


def load_demo_gatherings(*, collective: Collective, pact: Pact, by=None) -> None:
    marseille, aix = _collectives()
    if not Event.objects.filter(title=SALON_TITLE).exists():
        _salon_gathering(collective, [marseille, aix], pact, by)
    if not Event.objects.filter(title=MARSEILLE_TITLE, start_date=dt.date(2022, 10, 4)).exists():
        _practitioners_meeting(marseille, by)


def _salon_gathering(collective: Collective, others: list[Collective], pact: Pact, by) -> None:
    participation = list(pact.themes.filter(code="democratie-participation"))
    event = event_create(
        collective=collective,
        by=by,
        title=SALON_TITLE,
        kind=Event.Kind.REGIONAL_GATHERING,
        start_date=dt.date(2023, 3, 4),
        start_time=_time("09:30"),
        end_date=dt.date(2023, 3, 5),
        end_time=_time("16:00"),
        municipality=Municipality.objects.filter(insee_code="13103").first(),
        venue="Maison de la vie associative",
        address="55 rue Lafayette, 13300 Salon-de-Provence",
        description="Une trentaine de participant·es venu·es d'une quinzaine de collectifs : partage "
        "d'expériences, formation au plaidoyer, soirée spectacle, table ronde sur la mobilité durable, "
        "réflexion commune et bilan de mi-mandat.",
        partners=["Association d'éducation populaire", "Réseau associatif de la transition"],
        co_organisers=others,
        attending_collectives=[collective, *others],
        participants=[ParticipantInput("membres des collectifs", 27), ParticipantInput("intervenant·es", 3)],
    )
    for day, start, end, kind, title, question, speakers in SALON_PROGRAMME:
        programme_item_create(
            event=event,
            by=by,
            date=dt.date(2023, 3, day),
            start_time=_time(start),
            end_time=_time(end),
            kind=kind,
            title=title,
            question=question,
            speakers=[SpeakerInput(name=name, organisation=organisation, role=role)
                      for name, organisation, role in speakers],
        )  # fmt: skip
    for kind, text in LESSONS:
        lesson_create(collective=collective, by=by, event=event, kind=kind, text=text, themes=participation)
    action_idea_create(
        collective=collective,
        by=by,
        event=event,
        title="Faire informer les habitant·es des mesures signées",
        question=INFORM_QUESTION,
        description="Demander ensemble une page municipale et un affichage des engagements pris.",
        interested_collectives=[collective, *others],
        themes=participation,
    )
    action_idea_create(
        collective=collective,
        by=by,
        event=event,
        title="Un bilan de mi-mandat présenté ensemble",
        question="Comment rendre visible le bilan de mi-mandat de toutes les communes ?",
        interested_collectives=[collective],
        themes=participation,
    )
    for title, kind, name in RESOURCES:
        resource_create(event=event, by=by, title=title, kind=kind,
                        url=f"https://pacte-pays-salonais.example.org/rencontre-2023/{name}")  # fmt: skip
    survey = survey_set(event=event, by=by, scale_max=5, recommend_from=4)
    for score, words, comment in FEEDBACK:
        feedback_record(survey=survey, score=score, words=words, comment=comment)


def _practitioners_meeting(collective: Collective, by) -> None:
    marseille = Municipality.objects.filter(insee_code="13055").first()
    june = event_create(
        collective=collective,
        by=by,
        title=f"{MARSEILLE_TITLE} (juin)",
        kind=Event.Kind.PRACTITIONERS_MEETING,
        start_date=dt.date(2022, 6, 21),
        municipality=marseille,
    )
    event = event_create(
        collective=collective,
        by=by,
        title=MARSEILLE_TITLE,
        kind=Event.Kind.PRACTITIONERS_MEETING,
        start_date=dt.date(2022, 10, 4),
        start_time=_time("14:00"),
        end_time=_time("17:30"),
        municipality=marseille,
        follows=june,
        description="Métaplan collectif, puis ateliers sur la grille « ce que nous pourrions faire / ce qu'ils "
        "pourraient faire / ce dont nous avons besoin ».",
        participants=[
            ParticipantInput("agent·es des collectivités", 4),
            ParticipantInput("consultant·es", 10),
            ParticipantInput("salarié·es d'associations", 2),
        ],
        next_subject="Le cadre juridique de la commande publique",
        requests=[MAP_REQUEST],
    )
    programme_item_create(event=event, by=by, date=event.start_date, start_time=_time("14:00"), end_time=_time("15:00"),
                          kind=W, title="Métaplan collectif")  # fmt: skip
    programme_item_create(event=event, by=by, date=event.start_date, start_time=_time("15:15"), end_time=_time("17:00"),
                          kind=W, title="Ateliers : la grille des propositions", question=GRID_QUESTION)  # fmt: skip
    for kind, text in GRID:
        proposal_create(collective=collective, by=by, event=event, question=GRID_QUESTION, kind=kind, text=text)
