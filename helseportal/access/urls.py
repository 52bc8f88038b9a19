from django.urls import path

from helseportal.access import profile, views

app_name = "access"
urlpatterns = [
    path("etter-innlogging/", views.after_login, name="after_login"),
    path("velg-person/", views.choose, name="choose"),
    path("helsepersonell/velg-enhet/", views.choose_unit, name="choose_unit"),
    path("profil/", profile.profile, name="profile"),
    path("profil/fullmakt/", profile.grant_power, name="grant_power"),
    path("profil/fullmakt/<id:poa_id>/trekk-tilbake/", profile.revoke_power, name="revoke_power"),
]
