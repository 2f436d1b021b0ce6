"""Writes of collectives: members and invitations, territory."""
