"""Paper reminders: "à poster" like paper letters, downloaded one by one or as one print PDF
per interpellation, the collective told by e-mail that they wait; the next reminder counts
from the day the previous one was posted."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from campaigns.letters.services.departures import reminder_post
from campaigns.letters.services.reminders import reminders_due, reminders_send
from campaigns.models import Letter, LetterReminder, Membership
from tests.campaigns.factories import (
    InterpellationFactory,
    LetterFactory,
    LetterTemplateFactory,
    MembershipFactory,
    in_office,
    letter_settings,  # noqa: F401 - autouse fixture
    member_of,
    pdf_pages,
    pdf_text,
)

pytestmark = pytest.mark.django_db

NOW = timezone.now()


@pytest.fixture
def letters(collective, salon):
    """Two letters posted 10 days ago, to be reminded after 7 days, twice at most."""
    template = LetterTemplateFactory(collective=collective, subject="Le plan vélo", body="Où en est le plan vélo ?")
    interpellation = InterpellationFactory(collective=collective, template=template, remind_after_days=7,
                                           max_reminders=2)  # fmt: skip
    return [
        LetterFactory(interpellation=interpellation, official=in_office(salon, role, last_name=name).official,
                      municipality=salon, status=Letter.Status.POSTED, days_ago=10)
        for role, name in (("maire", "IMBERT"), ("adjoint", "BENALI"))
    ]  # fmt: skip


@pytest.fixture
def coordinator(collective):
    return MembershipFactory(collective=collective, role=Membership.Role.COORDINATOR, user__email="coord@example.org")


def send_due(capture, now=NOW) -> int:
    with capture(execute=True):
        return reminders_send(now=now)


def test_a_paper_reminder_waits_to_be_posted_and_the_next_counts_from_its_posting(
    letters, django_capture_on_commit_callbacks
):
    assert send_due(django_capture_on_commit_callbacks) == 2
    reminder = LetterReminder.objects.get(letter=letters[0])
    assert (reminder.channel, reminder.status, reminder.sent_at) == (Letter.Channel.PAPER, Letter.Status.TO_POST, None)

    # Not posted: nothing more, however long it waits.
    assert reminders_due(now=NOW + dt.timedelta(days=60)) == []
    reminder_post(reminder=reminder, date=timezone.localdate(NOW))
    reminder.refresh_from_db()

    # A posting counts from noon of its day, whatever the hour the test runs.
    assert timezone.localtime(reminder.sent_at).time() == dt.time(12)
    assert reminders_due(now=reminder.sent_at + dt.timedelta(days=7, seconds=-1)) == []
    assert reminders_due(now=reminder.sent_at + dt.timedelta(days=7)) == [letters[0]]


def test_the_paper_reminders_of_an_interpellation_print_as_one_pdf(
    as_role, letters, django_capture_on_commit_callbacks
):
    send_due(django_capture_on_commit_callbacks)
    interpellation = letters[0].interpellation

    response = as_role("member").get(f"/api/interpellations/{interpellation.pk}/reminders-pdf/")

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="relances-{interpellation.pk}.pdf"'
    content = b"".join(response.streaming_content)
    assert pdf_pages(content) == 2
    text = pdf_text(content)
    assert text.count("RELANCE N°1") == 2 and "BENALI" in text and "IMBERT" in text


def test_each_paper_reminder_downloads_on_its_own(as_role, letters, django_capture_on_commit_callbacks):
    send_due(django_capture_on_commit_callbacks)

    letter = as_role("member").get(f"/api/letters/{letters[1].pk}/").json()
    [reminder] = letter["reminders"]
    response = as_role("member").get(reminder["pdf_url"])

    assert (reminder["number"], reminder["status"], reminder["channel"]) == (1, "to_post", "paper")
    assert response.status_code == 200
    assert "BENALI" in pdf_text(response.getvalue())


def test_an_interpellation_without_paper_reminders_has_no_print_pdf(as_role, letters):
    response = as_role("member").get(f"/api/interpellations/{letters[0].interpellation_id}/reminders-pdf/")

    assert (response.status_code, response.json()) == (
        404,
        {"detail": "Aucune relance papier n'est prête pour cette interpellation."},
    )


def test_the_collective_is_told_once_that_paper_reminders_wait(
    letters, coordinator, collective, django_capture_on_commit_callbacks
):
    send_due(django_capture_on_commit_callbacks)
    send_due(django_capture_on_commit_callbacks)  # nothing more due: no second notice

    [notice] = mail.outbox
    assert notice.to == ["coord@example.org", "pays-salonais@example.org"]
    assert notice.subject == "2 relances papier à poster"
    assert "2 relances papier du collectif « Pays Salonais » attendent d'être imprimées et postées." in notice.body
    assert f"/api/interpellations/{letters[0].interpellation_id}/reminders-pdf/" in notice.body


def test_a_paper_reminder_is_marked_posted_through_the_api_once(as_role, letters, django_capture_on_commit_callbacks):
    send_due(django_capture_on_commit_callbacks)
    api = as_role("member")
    url = f"/api/letters/{letters[0].pk}/reminders/1/posted/"
    today = str(timezone.localdate())

    first = api.post(url, {"date": today}, format="json")
    again = api.post(url, {"date": today}, format="json")
    missing = api.post(f"/api/letters/{letters[0].pk}/reminders/2/posted/", {"date": today}, format="json")

    assert first.status_code == 200, first.content
    assert (first.json()["status"], first.json()["posted_on"]) == ("posted", today)
    assert (again.status_code, again.json()) == (400, {"status": ["La relance n°1 est déjà postée."]})
    assert (missing.status_code, missing.json()) == (404, {"detail": "Aucune relance n° 2 pour ce courrier."})
    letter = Letter.objects.get(pk=letters[0].pk)
    assert timezone.localdate(letter.last_reminder_at) == timezone.localdate()


def test_the_admin_marks_reminders_posted(client, collective, letters, django_capture_on_commit_callbacks):
    send_due(django_capture_on_commit_callbacks)
    client.force_login(member_of(collective))
    response = client.post(
        "/admin/campaigns/letterreminder/",
        {
            "action": "mark_posted",
            "_selected_action": list(LetterReminder.objects.values_list("pk", flat=True)),
            "date": timezone.localdate().strftime("%d/%m/%Y"),
            "apply": "1",
        },
        follow=True,
    )

    assert "2 relances marquées comme postées." in response.content.decode()
    assert set(LetterReminder.objects.values_list("status", flat=True)) == {Letter.Status.POSTED}
