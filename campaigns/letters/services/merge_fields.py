"""The merge fields of a letter (official, municipality, collective, pledge and its measures'
latest assessments the collective may read), loaded for a chunk in a constant number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from campaigns.advocacy.models import Campaign
from campaigns.collectives.models import Collective, Membership
from campaigns.letters import lettering
from campaigns.letters.models import Interpellation, Letter
from campaigns.pacts.models import Measure, MeasureLevel, Pact
from campaigns.pledges.models import Pledge, PledgedMeasure, counted_pledges
from campaigns.reviews.models import Assessment, AssessmentStatus, ReviewCycle
from campaigns.reviews.selectors import assessments_visible_to_collective
from officials.models import Department, Municipality, Official


def sample_context() -> dict:
    """A believable letter context, to try a template on when it is saved: built by
    ``letter_context`` from unsaved rows, so that it has every merge field a letter has."""
    department = Department(name="Bouches-du-Rhône")
    municipality = Municipality(
        insee_code="13103",
        name="Salon-de-Provence",
        department=department,
        town_hall_address="Place de l'Hôtel de ville",
        town_hall_postal_code="13300",
    )
    collective = Collective(
        name="Collectif du Pays Salonais", contact_email="contact@example.org", postal_address="13300 Salon-de-Provence"
    )
    interpellation = Interpellation(
        collective=collective, campaign=Campaign(title="Mobilités durables", objective="Un plan vélo")
    )
    letter = Letter(
        interpellation=interpellation,
        official=Official(first_name="Élodie", last_name="IMBERT", sex="F"),
        municipality=municipality,
        role="maire",
    )
    measure = Measure(code="03", title="Sobriété et efficacité énergétique")
    item = PledgedMeasure(measure=measure, level=MeasureLevel(measure=measure, rank=2))
    pledge = Pledge(
        list_name="Salon en transition", pact=Pact(name="Pacte pour la Transition 2020"), signed_on=dt.date(2020, 2, 12)
    )
    pledge.items = [item]
    assessment = Assessment(
        pledged_measure=item,
        status=AssessmentStatus.IN_PROGRESS,
        progress=25,
        evidence="Étude lancée",
        cycle=ReviewCycle(name="Bilan de mi-mandat 2023"),
    )
    signatory = Membership(user=get_user_model()(first_name="Camille", last_name="Martin"), title="co-présidente")
    # Unsaved rows have no primary key: the batch keys them by None, as it would by their ids.
    batch = LetterBatch(
        letters=[letter],
        pledges={municipality.pk: pledge},
        assessments={collective.pk: {item.pk: assessment}},
        signatories={collective.pk: [_signatory(signatory)]},
    )
    return letter_context(letter, batch)


@dataclass
class LetterBatch:
    """What a chunk of letters needs, loaded in a constant number of queries."""

    letters: list[Letter]
    pledges: dict[str, Pledge]
    # {collective id: {pledged measure id: assessment}}: what each letter's collective may read.
    assessments: dict[int, dict[int, Assessment]]
    signatories: dict[int, list[dict]]


def batch_load(letter_ids: list[int], *, status: str | None = None) -> LetterBatch:
    letters = Letter.objects.filter(pk__in=letter_ids)
    if status is not None:
        letters = letters.filter(status=status)
    letters = list(
        letters.select_related(
            "official",
            "municipality__department",
            "interpellation__collective",
            "interpellation__campaign",
            "interpellation__template",
            "interpellation__created_by",
        ).order_by("pk")
    )
    return batch_of(letters)


def batch_of(letters: list[Letter]) -> LetterBatch:
    """The merge fields' data of ``letters`` (saved or not), in a constant number of queries."""
    pledges = _pledges_of({letter.municipality_id for letter in letters if letter.municipality_id})
    collectives = {letter.interpellation.collective_id for letter in letters}
    return LetterBatch(letters, pledges, _latest_assessments(pledges.values(), collectives), _signatories(collectives))


def _pledges_of(municipalities: set[str]) -> dict[str, Pledge]:
    """The elected list's pledge in each municipality (the latest signed)."""
    if not municipalities:
        return {}
    pledges = {}
    for pledge in (
        Pledge.objects.filter(counted_pledges(), municipality__in=municipalities)
        .select_related("pact")
        .prefetch_related(Prefetch("measures", to_attr="items"), "items__measure", "items__level")
        .order_by("-signed_on", "pk")
    ):
        pledges.setdefault(pledge.municipality_id, pledge)
    return pledges


def _latest_assessments(pledges, collectives: set[int]) -> dict[int, dict[int, Assessment]]:
    """Latest assessment of each pledged measure that each collective may read (the
    assessments API's rule: published cycles, or its own territory): the newest cycle wins."""
    ids = [item.pk for pledge in pledges for item in pledge.items]
    latest = {collective_id: {} for collective_id in collectives}
    if ids:
        for collective_id in collectives:
            for assessment in (
                assessments_visible_to_collective(collective_id=collective_id)
                .filter(pledged_measure__in=ids)
                .exclude(status="not_assessed")
                .select_related("cycle")
                .order_by("cycle__opens_on", "pk")
            ):
                latest[collective_id][assessment.pledged_measure_id] = assessment
    return latest


def _signatories(collectives: set[int]) -> dict[int, list[dict]]:
    signatories = defaultdict(list)
    for membership in (
        Membership.objects.filter(collective__in=collectives, signs_letters=True)
        .select_related("user")
        .order_by("role", "user__last_name")
    ):
        # Letters are signed with a person's full name, never a username: a signatory
        # without one is left out (the readiness check of an interpellation says so).
        if membership.user.get_full_name():
            signatories[membership.collective_id].append(_signatory(membership))
    return signatories


def _signatory(membership: Membership) -> dict:
    return {"name": membership.user.get_full_name(), "title": membership.title}


def preview_context(letter: Letter) -> dict:
    """Merge fields of an unsaved letter (template preview)."""
    return letter_context(letter, batch_of([letter]))


def letter_context(letter: Letter, batch: LetterBatch, *, today: dt.date | None = None) -> dict:
    official, municipality = letter.official, letter.municipality
    collective = letter.interpellation.collective
    campaign = letter.interpellation.campaign
    pledge = batch.pledges.get(letter.municipality_id)
    context = {
        "official": lettering.official_fields(
            first_name=official.first_name,
            last_name=official.last_name,
            sex=official.sex,
            role=letter.role,
            municipality_name=municipality.name if municipality else "",
        ),
        "municipality": {
            "name": municipality.name,
            "insee_code": municipality.insee_code,
            "town_hall_address": municipality.town_hall_address,
            "postal_code": municipality.town_hall_postal_code,
            "town_hall_lines": municipality.town_hall_postal_lines,
            "department": municipality.department.name,
        }
        if municipality
        else None,
        "collective": {
            "name": collective.name,
            "email": collective.contact_email,
            "website": collective.website,
            "address": collective.postal_address,
            "signatories": batch.signatories.get(collective.pk, []),
        },
        "campaign": {"title": campaign.title, "objective": campaign.objective} if campaign else None,
        "pledge": None,
        "today": lettering.french_date(today or timezone.localdate()),
    }
    if pledge is not None:
        measures = []
        for item in pledge.items:
            assessment = batch.assessments.get(collective.pk, {}).get(item.pk)
            measures.append(
                {
                    "code": item.measure.code,
                    "title": item.measure.title,
                    "level": item.level.rank if item.level else None,
                    "local_wording": item.local_wording,
                    "status": assessment.get_status_display() if assessment else "non évaluée",
                    "progress": assessment.progress if assessment else None,
                    "evidence": assessment.evidence if assessment else "",
                    "cycle": assessment.cycle.name if assessment else None,
                }
            )
        context["pledge"] = {
            "list_name": pledge.list_name,
            "pact": pledge.pact.name,
            "signed_on": lettering.french_date(pledge.signed_on) if pledge.signed_on else "",
            "measures": measures,
        }
    return context
