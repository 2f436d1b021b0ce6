"""Letter templates are written by their services, from the API and the admin alike: shared
templates by staff only, a collective's by its members, each checked on a sample letter.
Interpellations ask for the same membership, in their service."""

import pytest
from django.core.exceptions import ValidationError

from campaigns.letters.services.interpellations import interpellation_create
from campaigns.letters.services.templates import template_create, template_update
from campaigns.models import LetterTemplate, Membership
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import (
    LetterTemplateFactory,
    MembershipFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
)

pytestmark = pytest.mark.django_db

SHARED_IS_STAFFS = "Seule l'équipe nationale publie des modèles partagés ; indiquez votre collectif."
FIELDS = {"name": "Lettre au conseil", "kind": "free", "subject": "Le Pacte", "body": "Bonjour {{ collective.name }}."}


def test_a_member_cannot_publish_a_shared_template(collective):
    member = MembershipFactory(collective=collective).user

    with pytest.raises(ValidationError) as refused:
        template_create(by=member, collective=None, **FIELDS)

    assert refused.value.message_dict == {"collective": [SHARED_IS_STAFFS]}
    assert not LetterTemplate.objects.filter(name=FIELDS["name"]).exists()


def test_staff_and_the_system_publish_shared_templates():
    assert template_create(by=UserFactory(is_staff=True), collective=None, **FIELDS).collective is None
    assert template_create(by=None, collective=None, **{**FIELDS, "name": "Autre"}).collective is None


def test_a_template_is_written_for_a_collective_by_its_members_only(collective, other_collective):
    with pytest.raises(ValidationError) as refused:
        template_create(by=MembershipFactory(collective=other_collective).user, collective=collective, **FIELDS)

    assert refused.value.message_dict == {"collective": ["Vous n'êtes pas membre du collectif « Pays Salonais »."]}
    ours = template_create(by=MembershipFactory(collective=collective).user, collective=collective, **FIELDS)
    assert ours.collective == collective


def test_a_member_cannot_change_a_shared_template(collective):
    shared = LetterTemplateFactory(collective=None, name="Modèle commun")

    with pytest.raises(ValidationError, match="Seule l'équipe nationale"):
        template_update(template=shared, by=MembershipFactory(collective=collective).user, body="Autre texte")

    shared.refresh_from_db()
    assert shared.body != "Autre texte"


def test_the_service_checks_the_template_on_a_sample_letter(collective):
    with pytest.raises(ValidationError) as refused:
        template_create(by=None, collective=collective, **{**FIELDS, "body": "{{ official.first_name"})

    assert list(refused.value.message_dict) == ["body"]


@pytest.fixture
def member(client, collective):
    client.force_login(MembershipFactory(collective=collective, role=Membership.Role.MEMBER).user)
    return client


def admin_form(**fields):
    return {"name": "Lettre au conseil", "kind": "free", "subject": "Le Pacte", "body": "Bonjour.", "closing": "",
            "_save": "Enregistrer", **fields}  # fmt: skip


def test_the_admin_refuses_a_shared_template_to_a_member(member):
    response = member.post("/admin/campaigns/lettertemplate/add/", admin_form(collective=""))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["collective"] == [SHARED_IS_STAFFS]
    assert not LetterTemplate.objects.filter(name="Lettre au conseil").exists()


def test_the_admin_shows_a_broken_template_under_its_field(member, collective):
    response = member.post(
        "/admin/campaigns/lettertemplate/add/", admin_form(collective=collective.pk, body="{{ official.first_name")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["body"]
    assert not LetterTemplate.objects.filter(name="Lettre au conseil").exists()


def test_the_admin_writes_a_collectives_template(member, collective):
    response = member.post("/admin/campaigns/lettertemplate/add/", admin_form(collective=collective.pk))

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert LetterTemplate.objects.get(name="Lettre au conseil").collective == collective


def test_an_interpellation_is_refused_to_a_non_member(collective, other_collective, salon):
    official = in_office(salon, "maire").official
    template = LetterTemplateFactory(collective=None)

    with pytest.raises(ValidationError) as refused:
        interpellation_create(
            collective=collective,
            template=template,
            by=MembershipFactory(collective=other_collective).user,
            officials=[official],
        )

    assert refused.value.message_dict == {"collective": ["Vous n'êtes pas membre du collectif « Pays Salonais »."]}
