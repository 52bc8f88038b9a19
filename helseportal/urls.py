from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from helseportal import views
from helseportal.access import urls as access_urls
from helseportal.content.cms import admin_urlpatterns
from helseportal.core import edge, health
from helseportal.identity.views import logout, staff_login
from helseportal.stats import public_urls as stats_public_urls

urlpatterns = [
    path("", views.front_page, name="front"),
    path("min-side/", views.home, name="home"),
    path("helsepersonell/", views.practitioner_home, name="practitioner_home"),
    path("om/", views.page, {"template": "pages/about.html"}, name="about"),
    path("tilgjengelighet/", views.page, {"template": "pages/accessibility.html"}, name="accessibility"),
    # Answered by core.edge before the rest of the middleware; here for their names and route levels.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", edge.metrics_view, name="metrics"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("helseportal.identity.urls")),
    path("", include("helseportal.access.urls")),
    path("logg/", include((access_urls.log_urlpatterns, "audit"))),
    # The authorization server (/oauth/…, /profil/apper/…) and /fhir/R4/.well-known/smart-configuration: before
    # the FHIR API's /fhir/R4/ mount, which would otherwise take the discovery document's path.
    path("", include("helseportal.smart.urls")),
    path("ungdom/", include("helseportal.youth.urls")),
    path("", include("helseportal.pregnancy.urls")),
    path("", include("helseportal.appointments.urls")),
    path("", include("helseportal.messaging.urls")),
    path("", include("helseportal.forms.urls")),
    path("", include("helseportal.copayments.urls")),
    path("", include("helseportal.gp.urls")),
    path("", include("helseportal.travel.urls")),
    path("", include("helseportal.gpservices.urls")),
    path("", include("helseportal.offerings.urls")),
    path("", include("helseportal.stats.urls")),
    path("", include("helseportal.records.urls")),
    path("gravid/uke/", include("helseportal.content.urls")),
    path("enhet/", include("helseportal.content.urls_public")),
    path("helsepersonell/enhet/", include("helseportal.content.urls_staff")),
    path("statistikk/", include("helseportal.stats.public_urls")),
    path("helsepersonell/statistikk/bruk/", include((stats_public_urls.usage_urlpatterns, "stats_usage"))),
    path("cms/", include(admin_urlpatterns())),
    path("fhir/R4/", include("helseportal.fhir.api.urls")),
]
if settings.HELSEPORTAL_DJANGO_ADMIN:  # off when deployed, unless an operator turns it on
    urlpatterns += [
        # No password login: administrators log in with HelseID, like the editors of /cms/ (`helseportal staff`).
        path("admin/login/", staff_login, name="admin_login"),
        path("admin/logout/", logout, name="admin_logout"),
        path("admin/", admin.site.urls),
    ]
if settings.HELSEPORTAL_DEV_IDP:
    urlpatterns.append(path("dev-idp/", include("helseportal.identity.devidp.urls")))

handler400 = "helseportal.views.bad_request"
handler403 = "helseportal.views.permission_denied"
handler404 = "helseportal.views.page_not_found"
handler500 = "helseportal.views.server_error"
