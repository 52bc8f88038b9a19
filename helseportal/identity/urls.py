from django.urls import path

from helseportal.identity import views

app_name = "identity"
urlpatterns = [
    path("login/", views.login, name="login"),
    path("login/callback/", views.callback, name="callback"),
    path("login/helseid/", views.login_helseid, name="login_helseid"),
    path("login/helseid/callback/", views.callback_helseid, name="callback_helseid"),
    path("logout/", views.logout, name="logout"),
    path("logout/frontchannel/", views.frontchannel_logout, name="frontchannel_logout"),
    path("logget-ut/", views.logged_out_page, name="logged_out"),
]
