"""factory_boy factories for every app, with French data."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from core.text import fold
from officials.models import Department, Mandate, Municipality, Official

factory.Faker._DEFAULT_LOCALE = "fr_FR"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"benevole{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("mot-de-passe-solide")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department
        django_get_or_create = ["code"]

    code = "13"
    name = "Bouches-du-Rhône"
    region_code = "93"
    region_name = "Provence-Alpes-Côte d'Azur"


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ["insee_code"]

    # 90000-98999: five characters whatever the sequence, and clear of the codes tests name.
    insee_code = factory.Sequence(lambda n: f"{90000 + n % 9000}")
    name = factory.Faker("city")
    department = factory.SubFactory(DepartmentFactory)
    population = factory.Faker("random_int", min=500, max=150_000)


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    last_name = factory.Faker("last_name")
    first_name = factory.Faker("first_name_female")
    sex = Official.Sex.FEMALE
    birth_date = dt.date(1970, 5, 17)
    email = factory.LazyAttribute(
        lambda official: f"{fold(official.first_name)}.{fold(official.last_name)}@mairie.example".replace(" ", "-")
    )


class MandateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mandate

    official = factory.SubFactory(OfficialFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    role = Mandate.Role.COUNCILLOR
    start_date = dt.date(2026, 3, 15)


# Tracking (campaigns app)

from campaigns.models import (  # noqa: E402 - grouped by app for readability
    Action,
    Campaign,
    Collective,
    Measure,
    MeasureLevel,
    Membership,
    Pact,
    Pledge,
    PledgedMeasure,
    Theme,
)


class PactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pact
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Pacte d'essai {n}")
    year = 2020
    min_measures = 3
    principles_required = True


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    pact = factory.SubFactory(PactFactory)
    code = factory.Sequence(lambda n: f"theme-{n}")
    name = factory.Sequence(lambda n: f"thématique {n}")


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    pact = factory.SubFactory(PactFactory)
    kind = Measure.Kind.MEASURE
    code = factory.Sequence(lambda n: f"{n + 1:02d}")
    title = factory.Sequence(lambda n: f"Mesure d'essai {n}")


class MeasureLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureLevel

    measure = factory.SubFactory(MeasureFactory)
    rank = 1
    description = "Premier palier"


def make_pact(*, measures: int = 4, principles: int = 2, min_measures: int = 3, levels: int = 2) -> Pact:
    """A small pact: principles P1.., measures 01.., each measure with ``levels`` levels."""
    pact = PactFactory(min_measures=min_measures)
    for index in range(principles):
        MeasureFactory(pact=pact, kind=Measure.Kind.PRINCIPLE, code=f"P{index + 1}", position=index)
    for index in range(measures):
        measure = MeasureFactory(pact=pact, code=f"{index + 1:02d}", position=principles + index)
        for rank in range(1, levels + 1):
            MeasureLevelFactory(measure=measure, rank=rank, description=f"Palier {rank}")
    return pact


class CollectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collective
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Collectif {n}")
    slug = factory.Sequence(lambda n: f"collectif-{n}")
    contact_email = factory.LazyAttribute(lambda collective: f"{collective.slug}@example.org")
    postal_address = "1 place de la Mairie\n13300 Salon-de-Provence"

    @factory.post_generation
    def territory(self, create, municipalities, **kwargs):
        if create and municipalities:
            self.territory.add(*municipalities)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    collective = factory.SubFactory(CollectiveFactory)
    role = Membership.Role.MEMBER


class PledgeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pledge

    pact = factory.SubFactory(PactFactory)
    municipality = factory.SubFactory(MunicipalityFactory)
    list_name = factory.Sequence(lambda n: f"Liste citoyenne {n}")
    collective = factory.SubFactory(CollectiveFactory)
    signed_on = dt.date(2026, 2, 10)
    election_outcome = Pledge.Outcome.ELECTED


class PledgedMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgedMeasure

    pledge = factory.SubFactory(PledgeFactory)
    measure = factory.SubFactory(MeasureFactory)


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    collective = factory.SubFactory(CollectiveFactory)
    title = factory.Sequence(lambda n: f"Campagne {n}")
    start_date = dt.date(2026, 9, 1)
    status = Campaign.Status.IN_PROGRESS


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    collective = factory.SubFactory(CollectiveFactory)
    kind = Action.Kind.LETTER
    date = dt.date(2026, 10, 1)
    title = factory.Sequence(lambda n: f"Action {n}")
