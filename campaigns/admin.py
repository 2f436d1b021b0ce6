"""Loaded by the admin: each concept registers its own models."""

# Takes the place of the officials' municipality admin: its page shows the timeline of every concept.
from campaigns import timeline_admin
from campaigns.advocacy import admin as advocacy_admin
from campaigns.collectives import admin as collectives_admin
from campaigns.gatherings import admin as gatherings_admin
from campaigns.initiatives import admin as initiatives_admin
from campaigns.letters import admin as letters_admin
from campaigns.pacts import admin as pacts_admin
from campaigns.pledges import admin as pledges_admin
from campaigns.reviews import admin as reviews_admin

__all__ = [
    "advocacy_admin",
    "collectives_admin",
    "gatherings_admin",
    "initiatives_admin",
    "letters_admin",
    "pacts_admin",
    "pledges_admin",
    "reviews_admin",
    "timeline_admin",
]
