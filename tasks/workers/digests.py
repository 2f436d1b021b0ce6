"""Celery task of the review-cycle digests (a task module: it calls a domain service)."""

from celery import shared_task

from campaigns.reviews.digests import review_digests_send


@shared_task(name="tasks.digests.review_digests", ignore_result=True)
def review_digests() -> int:
    return review_digests_send()
