"""Celery task modules, loaded by name (CELERY_IMPORTS): the only modules of the app that
import domain services. Each task keeps its registered name wherever its module lives."""
