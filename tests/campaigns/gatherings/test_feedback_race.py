"""One answer per link, even when two answers of the same link arrive together: the link is
claimed by a conditional update in the answer's transaction (PostgreSQL's row lock makes the
second wait, then find the link used; SQLite's immediate transactions run them one by one)."""

import threading

import pytest
from django.db import connection

from campaigns.gatherings.services import feedback
from campaigns.models import FeedbackAnswer, FeedbackLink
from tests.campaigns.factories import FeedbackSurveyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_answers_racing_on_one_link_leave_one_answer(monkeypatch):
    survey = FeedbackSurveyFactory()
    link = FeedbackLink.objects.create(survey=survey, email="ana@example.org", token_digest="jeton")
    if connection.vendor == "postgresql":
        # Both answers are written before either claims the link: the claim alone decides.
        both_written = threading.Barrier(2, timeout=10)
        record = feedback.feedback_record

        def record_then_wait(**kwargs):
            answer = record(**kwargs)
            both_written.wait()
            return answer

        monkeypatch.setattr(feedback, "feedback_record", record_then_wait)
    outcomes = []

    def answer(score):
        try:
            feedback.feedback_answer(link=FeedbackLink.objects.select_related("survey").get(pk=link.pk), score=score)
            outcomes.append("answered")
        except feedback.LinkAlreadyUsed:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=answer, args=(score,)) for score in (5, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["answered", "refused"]
    assert FeedbackAnswer.objects.count() == 1
    assert FeedbackLink.objects.get().answered_at is not None
