from django.urls import URLPattern, re_path

from helseportal.identity.devidp import login, views

app_name = "devidp"
# One provider per path; the name is captured as `provider` for every endpoint.
PROVIDER = r"^(?P<provider>idporten|helseid)/"

urlpatterns: list[URLPattern] = [
    re_path(PROVIDER + r"\.well-known/openid-configuration$", views.discovery, name="discovery"),
    re_path(PROVIDER + r"jwks$", views.jwks, name="jwks"),
    re_path(PROVIDER + r"authorize$", login.authorize, name="authorize"),
    re_path(PROVIDER + r"token$", views.token, name="token"),
    re_path(PROVIDER + r"userinfo$", views.userinfo, name="userinfo"),
    re_path(PROVIDER + r"endsession$", views.end_session, name="end_session"),
]
