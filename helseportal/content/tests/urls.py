"""The root URLconf plus the unit pages' two mounts, for tests until helseportal/urls.py includes them."""

from django.urls import URLPattern, URLResolver, include, path

from helseportal.urls import urlpatterns as root

MOUNTS = {
    "content_units": path("enhet/", include("helseportal.content.urls_public")),
    "content_staff": path("helsepersonell/enhet/", include("helseportal.content.urls_staff")),
}
mounted = {entry.namespace for entry in root if isinstance(entry, URLResolver)}
urlpatterns: list[URLPattern | URLResolver] = [
    *[mount for namespace, mount in MOUNTS.items() if namespace not in mounted],
    *root,
]
handler400 = "helseportal.views.bad_request"
handler403 = "helseportal.views.permission_denied"
handler404 = "helseportal.views.page_not_found"
handler500 = "helseportal.views.server_error"
