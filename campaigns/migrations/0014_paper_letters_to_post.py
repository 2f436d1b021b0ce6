"""Letters say what happened to them: a paper letter rendered is "à poster" until a person
says it was posted, an e-mailed letter is "envoyé" once the SMTP server accepted it.

Forward: every letter rendered keeps its old "sent" time as ``rendered_at``; paper letters
marked "envoyé" become "à poster" (no departure time: nobody said they were posted);
e-mailed letters are "envoyé" at the time their e-mail was accepted, "en cours d'envoi"
while it waits in the outbox, "échec" (with the reason) when it failed. Reminders get the
state of their e-mail, or "à poster" on paper.

Reversal: every letter "à poster", "posté" or "en cours d'envoi" is "envoyé" again, with
its rendering time back as ``sent_at`` for those that had no departure (exactly as before
the forward step); a letter failed by its e-mail stays failed.
"""

from django.db import migrations
from django.db.models import F

EMAIL_TO_LETTER = {"sent": "sent", "queued": "sending", "sending": "sending", "failed": "failed", "cancelled": "failed"}


def forward(apps, schema_editor):
    Letter = apps.get_model("campaigns", "Letter")
    LetterReminder = apps.get_model("campaigns", "LetterReminder")
    Letter.objects.exclude(sent_at=None).update(rendered_at=F("sent_at"))
    Letter.objects.filter(status="sent", channel="paper").update(status="to_post", sent_at=None)
    emailed = Letter.objects.filter(status="sent", channel="email").select_related("email")
    for letter in emailed.iterator(chunk_size=500):
        email = letter.email
        status = EMAIL_TO_LETTER.get(email.status, "sending") if email else "sending"
        letter.status = status
        letter.sent_at = email.sent_at if status == "sent" and email.sent_at else None
        if status == "failed":
            letter.error = f"Courriel non remis : {email.last_error or email.status}"
        letter.save(update_fields=["status", "sent_at", "error"])
    for reminder in LetterReminder.objects.select_related("email").iterator(chunk_size=500):
        if reminder.channel == "paper":
            reminder.status = "to_post"
        else:
            email = reminder.email
            reminder.status = EMAIL_TO_LETTER.get(email.status, "sending") if email else "sending"
            reminder.sent_at = email.sent_at if email and reminder.status == "sent" else None
        reminder.save(update_fields=["status", "sent_at"])


def backward(apps, schema_editor):
    Letter = apps.get_model("campaigns", "Letter")
    Letter.objects.filter(status__in=["to_post", "posted", "sending"], sent_at=None).update(
        status="sent", sent_at=F("rendered_at")
    )
    Letter.objects.filter(status__in=["to_post", "posted", "sending"]).update(status="sent")


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0013_letter_paper_states"),
        ("tasks", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
