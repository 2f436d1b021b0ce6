"""Local collectives: members and their roles, invitations, territory and its requests; the
membership rules (access.py) every other concept uses."""
