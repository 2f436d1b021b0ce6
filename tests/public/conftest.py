import pytest

from campaigns.models import AssessmentStatus, Measure
from officials.importers import import_contours
from officials.importers.contours import DEMO_CONTOURS
from tests.campaigns.factories import (
    InitiativeFactory,
    ThemeFactory,
    assess,
    default_scale,
    make_cycle,
    make_pact,
    sign,
)
from tests.officials.factories import DepartmentFactory, MunicipalityFactory


@pytest.fixture
def pact(db):
    return make_pact(measures=4, principles=2, min_measures=1, levels=2)


@pytest.fixture
def measures(pact):
    return list(pact.measures.filter(kind=Measure.Kind.MEASURE).order_by("position"))


@pytest.fixture
def territory(db):
    """Salon-de-Provence, Aix-en-Provence and Marseille with their contours (the demo's file)."""
    DepartmentFactory(code="13", name="Bouches-du-Rhône")
    towns = {
        code: MunicipalityFactory(insee_code=code, name=name)
        for code, name in [("13103", "Salon-de-Provence"), ("13001", "Aix-en-Provence"), ("13055", "Marseille")]
    }
    import_contours(DEMO_CONTOURS)
    return towns


@pytest.fixture
def reviewed(territory, pact, measures):
    """Salon signed two measures, assessed in a published cycle (one done, one not started:
    5 out of 10) and in a later cycle not published (both abandoned); Aix signed one, assessed
    only in the unpublished cycle. Two validated initiatives in Salon, one proposed in Aix."""
    mobility = ThemeFactory(pact=pact, code="mobilite", name="Mobilités")
    food = ThemeFactory(pact=pact, code="alimentation", name="Alimentation")
    measures[0].theme, measures[1].theme = mobility, food
    for measure in measures[:2]:
        measure.save(update_fields=["theme"])
    salon, aix = territory["13103"], territory["13001"]
    pledged = sign(pact, salon, measures[:2], list_name="Salon en transition")
    aix_pledged = sign(pact, aix, measures[:1], list_name="Aix demain")
    scale = default_scale()  # installed again when a browser test flushed the tables
    published = make_cycle(pact, name="Bilan de mi-mandat 2023", published=True, scale=scale)
    assess(
        published,
        pledged[0],
        AssessmentStatus.DONE,
        evidence="Deux lignes de bus gratuites.",
        sources=["https://www.salon-de-provence.org/bus", "javascript:alert(1)"],
        municipality_reply="La troisième ligne ouvrira en 2027.",
    )
    assess(published, pledged[1], AssessmentStatus.NOT_STARTED, evidence="Rien encore.")
    hidden = make_cycle(pact, name="Bilan interne 2025", opens_on="2029-01-01", closes_on="2029-06-30", scale=scale)
    assess(hidden, pledged[0], AssessmentStatus.ABANDONED, evidence="Texte d'un bilan non publié")
    assess(hidden, aix_pledged[0], AssessmentStatus.DONE, evidence="Texte d'un bilan non publié")
    bikes = InitiativeFactory(name="Vélo-école", kind="association", municipality=salon)
    bikes.themes.add(mobility)
    InitiativeFactory(name="Ferme du Merle", kind="project", municipality=salon, longitude=5.05, latitude=43.62)
    InitiativeFactory(name="Jardin proposé", kind="project", municipality=aix, status="proposed")
    return {"published": published, "hidden": hidden, "salon": salon, "aix": aix, "pledged": pledged}
