import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helseportal.settings")
django_application = get_wsgi_application()

# The FHIR API's hot read in front of Django (fhir/api/hot.py, ADR 0019; off with HELSEPORTAL_FHIR_HOT_READ=false).
from helseportal.fhir.api.hot import hot_reads  # noqa: E402 (after the apps are loaded)

application = hot_reads(django_application)
