"""API views of gatherings: events, the parts under an event, the feedback survey, the shared experience."""
