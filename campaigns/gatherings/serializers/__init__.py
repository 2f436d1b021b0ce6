"""The API's shapes of gatherings: events and their parts, the feedback survey, the shared experience."""
