"""Writes of gatherings: the API, the admin and the demo save through these."""
