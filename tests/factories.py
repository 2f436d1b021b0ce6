"""factory_boy factories for every app, with French data."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from officials.models import Department, Mandate, Municipality, Official
from officials.text import fold

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

    insee_code = factory.Sequence(lambda n: f"13{n + 300:03d}")
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
