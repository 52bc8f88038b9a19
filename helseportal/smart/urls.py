"""The authorization server's routes. The root URLconf mounts them before the FHIR API's `/fhir/R4/`, so that
`/fhir/R4/.well-known/smart-configuration` is answered here."""

from django.urls import path

from helseportal.smart.views import apps, authorize, endpoints

app_name = "smart"
urlpatterns = [
    path("oauth/authorize", authorize.authorize, name="authorize"),
    path("oauth/token", endpoints.token, name="token"),
    path("oauth/revoke", endpoints.revoke, name="revoke"),
    path("oauth/jwks", endpoints.jwks, name="jwks"),
    path("oauth/.well-known/openid-configuration", endpoints.openid_configuration, name="openid_configuration"),
    path("fhir/R4/.well-known/smart-configuration", endpoints.smart_configuration, name="smart_configuration"),
    path("profil/apper/<id:connection_id>/koble-fra/", apps.disconnect, name="disconnect"),
]
