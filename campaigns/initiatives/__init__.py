"""Initiatives on the map: actors, projects and territorial landmarks."""
