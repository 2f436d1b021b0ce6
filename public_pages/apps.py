from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The public pages: the map and the municipalities' scorecards, server-rendered."""

    name = "public_pages"
    label = "public"
    verbose_name = "Pages publiques"
