import os

from django.core.wsgi import get_wsgi_application

from backend.folders import make_local_folders

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")

application = get_wsgi_application()
make_local_folders()
