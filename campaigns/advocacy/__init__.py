"""Advocacy: campaigns and the actions logged for them."""
