"""The bare Django baseline of issue 14: a page that reads 12 rows and renders a template, with no middleware.

The portal's settings (so the same database, the same pool and the same granian) with `MIDDLEWARE = []` and this
module as the URLconf: `DJANGO_SETTINGS_MODULE=bench.serve_baseline granian … helseportal.wsgi:application`
(bench/serve.py starts it). The rows are content types (there are always more than 12), read with the ORM.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from helseportal.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
FHIR_HOT_READ = False  # no API here (fhir/api/hot.py wraps helseportal.wsgi; it would find no route)
# No middleware is the point of the baseline: the deploy guard's checks for the security middleware, and for the
# session limit's (it has no sessions), are silenced here, for this benchmark page only.
SILENCED_SYSTEM_CHECKS = ["security.W001", "security.W002", "security.W003", "helseportal.W002"]
ROOT_URLCONF = "bench.serve_baseline"

PAGE = """<!doctype html><html lang="nb"><head><title>Grunnlinje</title></head><body><ul>
{% for row in rows %}<li>{{ row.app_label }}.{{ row.model }}</li>{% endfor %}
</ul></body></html>"""


def baseline(request: HttpRequest) -> HttpResponse:
    from django.contrib.contenttypes.models import ContentType
    from django.template import engines

    rows = list(ContentType.objects.order_by("pk")[:12])
    return HttpResponse(engines["django"].from_string(PAGE).render({"rows": rows}))


urlpatterns = [path("baseline/", baseline)]
