"""A small library every app may use: API plumbing that imports no app and has no models."""
