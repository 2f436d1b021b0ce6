"""What the tests of letters share: sending an interpellation as the workers would."""

import pytest

from campaigns.letters.services.interpellations import interpellation_create
from campaigns.models import Letter
from tests.campaigns.factories import LetterTemplateFactory, member_of


@pytest.fixture
def send(collective, django_capture_on_commit_callbacks):
    """Send an interpellation to ``officials``, rendering and e-mailing as the workers would."""

    def write(officials, *, delivery, **fields):
        template = LetterTemplateFactory(
            collective=collective,
            subject="Le plan vélo à {{ municipality.name }}",
            body="Bonjour {{ official.full_name }}.",
        )
        with django_capture_on_commit_callbacks(execute=True):
            return interpellation_create(
                collective=collective, template=template, by=member_of(collective), officials=list(officials),
                delivery=delivery, **fields,
            )  # fmt: skip

    return write


def letter_to(official) -> Letter:
    return Letter.objects.get(official=official)
