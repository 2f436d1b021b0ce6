"""factory_boy factories of the tasks app: outbox e-mails and jobs."""

from email.utils import make_msgid

import factory

from tasks.jobs.models import Job
from tasks.outbox.models import OutboundEmail
from tests.accounts.factories import UserFactory


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    """A queued e-mail written directly, as email_queue() would leave it (no doorbell)."""

    class Meta:
        model = OutboundEmail

    idempotency_key = factory.Sequence(lambda n: f"essai:{n}")
    to = factory.Sequence(lambda n: [f"elu{n}@mairie.example"])
    subject = factory.Sequence(lambda n: f"Bilan de mi-mandat : vos engagements (n° {n})")
    body_text = "Madame la Maire,\n\nVoici le bilan de vos engagements.\n"
    domain = factory.LazyAttribute(lambda email: email.to[0].rsplit("@", 1)[-1].lower())
    message_id = factory.LazyFunction(lambda: make_msgid(domain="pacte-tracker.test"))


class JobFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Job

    kind = "letters"
    created_by = factory.SubFactory(UserFactory)
