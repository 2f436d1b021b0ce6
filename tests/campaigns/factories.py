"""factory_boy factories for the campaigns app (pacts, collectives, pledges, campaigns, actions)."""

import datetime as dt

import factory

from campaigns.models import (
    Action,
    Campaign,
    Collective,
    Measure,
    MeasureLevel,
    Membership,
    Pact,
    Pledge,
    PledgedMeasure,
)
from tests.factories import MunicipalityFactory, UserFactory


class PactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pact
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Pacte pour la Transition {2020 + n}")
    year = factory.Sequence(lambda n: 2020 + n)
    min_measures = 2
    principles_required = True


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    pact = factory.SubFactory(PactFactory)
    kind = Measure.Kind.MEASURE
    code = factory.Sequence(lambda n: f"{n + 1:02d}")
    title = factory.Faker("sentence", nb_words=8)
    position = factory.Sequence(lambda n: n)


class MeasureLevelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeasureLevel

    measure = factory.SubFactory(MeasureFactory)
    rank = 1
    description = factory.Faker("sentence", nb_words=10)


class CollectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Collective
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Collectif local {n}")
    slug = factory.Sequence(lambda n: f"collectif-local-{n}")
    contact_email = factory.LazyAttribute(lambda collective: f"{collective.slug}@example.org")

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
    list_name = factory.Sequence(lambda n: f"Liste citoyenne n°{n}")
    collective = factory.SubFactory(CollectiveFactory)
    signed_on = dt.date(2026, 2, 10)
    election_outcome = Pledge.Outcome.ELECTED


class PledgedMeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PledgedMeasure

    pledge = factory.SubFactory(PledgeFactory)
    measure = factory.SubFactory(MeasureFactory, pact=factory.SelfAttribute("..pledge.pact"))


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    collective = factory.SubFactory(CollectiveFactory)
    title = factory.Sequence(lambda n: f"Campagne n°{n}")
    start_date = dt.date(2026, 9, 1)
    status = Campaign.Status.IN_PROGRESS


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    collective = factory.SubFactory(CollectiveFactory)
    kind = Action.Kind.LETTER
    date = dt.date(2026, 10, 1)
    title = factory.Sequence(lambda n: f"Courrier n°{n} à la mairie")
