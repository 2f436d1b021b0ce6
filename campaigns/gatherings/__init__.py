"""Gatherings: events (programme, participation, resources, feedback) and the shared
experience that comes out of them (lessons, proposals, action ideas)."""
