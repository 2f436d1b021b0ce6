# Migration 0010 names the sources validator by this path.
from campaigns.reviews.models import validate_sources

__all__ = ["validate_sources"]
