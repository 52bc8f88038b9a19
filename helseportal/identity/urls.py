from django.urls import path

from helseportal.identity import views

app_name = "identity"
IDPORTEN, HELSEID = {"provider": "idporten"}, {"provider": "helseid"}
urlpatterns = [
    path("login/", views.login, IDPORTEN, name="login"),
    path("login/callback/", views.callback, IDPORTEN, name="callback"),
    path("login/helseid/", views.login, HELSEID, name="login_helseid"),
    path("login/helseid/callback/", views.callback, HELSEID, name="callback_helseid"),
    path("logout/", views.logout, name="logout"),
    path("logout/frontchannel/", views.frontchannel_logout, name="frontchannel_logout"),
    path("logget-ut/", views.logged_out_page, name="logged_out"),
]
