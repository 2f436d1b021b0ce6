"""Factories of the campaigns app with the defaults some test modules rely on: pacts of a
given year asking for 2 measures, measures with a position, pledged measures of the
pledge's own pact. They extend the shared factories of ``tests.factories``."""

import factory

from tests import factories as shared
from tests.factories import MunicipalityFactory, UserFactory  # noqa: F401 - re-exported for these tests


class PactFactory(shared.PactFactory):
    name = factory.Sequence(lambda n: f"Pacte pour la Transition {2020 + n}")
    year = factory.Sequence(lambda n: 2020 + n)
    min_measures = 2


class MeasureFactory(shared.MeasureFactory):
    pact = factory.SubFactory(PactFactory)
    title = factory.Faker("sentence", nb_words=8)
    position = factory.Sequence(lambda n: n)


class MeasureLevelFactory(shared.MeasureLevelFactory):
    measure = factory.SubFactory(MeasureFactory)
    description = factory.Faker("sentence", nb_words=10)


class CollectiveFactory(shared.CollectiveFactory):
    name = factory.Sequence(lambda n: f"Collectif local {n}")
    slug = factory.Sequence(lambda n: f"collectif-local-{n}")
    postal_address = ""


class MembershipFactory(shared.MembershipFactory):
    collective = factory.SubFactory(CollectiveFactory)


class PledgeFactory(shared.PledgeFactory):
    pact = factory.SubFactory(PactFactory)
    list_name = factory.Sequence(lambda n: f"Liste citoyenne n°{n}")
    collective = factory.SubFactory(CollectiveFactory)


class PledgedMeasureFactory(shared.PledgedMeasureFactory):
    pledge = factory.SubFactory(PledgeFactory)
    measure = factory.SubFactory(MeasureFactory, pact=factory.SelfAttribute("..pledge.pact"))


class CampaignFactory(shared.CampaignFactory):
    collective = factory.SubFactory(CollectiveFactory)
    title = factory.Sequence(lambda n: f"Campagne n°{n}")


class ActionFactory(shared.ActionFactory):
    collective = factory.SubFactory(CollectiveFactory)
    title = factory.Sequence(lambda n: f"Courrier n°{n} à la mairie")
