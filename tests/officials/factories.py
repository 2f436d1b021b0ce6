import datetime as dt

import factory

from core.text import fold
from officials.models import Department, Mandate, Municipality, Official

factory.Faker._DEFAULT_LOCALE = "fr_FR"


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
    # A town hall with a postal address, as the directory import gives one.
    town_hall_address = "Place de l'Hôtel de ville"
    town_hall_postal_code = factory.LazyAttribute(lambda municipality: f"{municipality.insee_code[:2]}300")


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
