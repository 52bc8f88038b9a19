from django.urls import path

from helseportal.access.views import acting, audit, profile

app_name = "access"
urlpatterns = [
    path("etter-innlogging/", acting.after_login, name="after_login"),
    path("velg-person/", acting.choose, name="choose"),
    path("helsepersonell/velg-enhet/", acting.choose_unit, name="choose_unit"),
    path("profil/", profile.profile, name="profile"),
    path("profil/fullmakt/", profile.grant_power, name="grant_power"),
    path("profil/fullmakt/<id:poa_id>/trekk-tilbake/", profile.revoke_power, name="revoke_power"),
    path("profil/ungdomstilgang/<id:child_id>/gi/", profile.give_youth_access, name="give_youth_access"),
    path(
        "profil/ungdomstilgang/<id:child_id>/trekk-tilbake/",
        profile.withdraw_youth_access,
        name="withdraw_youth_access",
    ),
]

# The audit log's page, mounted by the portal at /logg/ under its own namespace ("audit:log").
log_urlpatterns = [
    path("", audit.audit_log, name="log"),
]
