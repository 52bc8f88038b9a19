from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from helseportal import views

urlpatterns = [
    path("", views.front_page, name="front"),
    path("om/", views.about, name="about"),
    path("tilgjengelighet/", views.accessibility_statement, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if settings.HELSEPORTAL_DEV_IDP:
    urlpatterns.append(path("dev-idp/", include("helseportal.identity.devidp.urls")))

handler400 = "helseportal.views.bad_request"
handler403 = "helseportal.views.permission_denied"
handler404 = "helseportal.views.page_not_found"
handler500 = "helseportal.views.server_error"
