from django.contrib.admin.apps import AdminConfig


class PacteAdminConfig(AdminConfig):
    # Named by path: the site module imports auth's forms, which need the app registry ready.
    default_site = "backend.admin.PacteAdminSite"
