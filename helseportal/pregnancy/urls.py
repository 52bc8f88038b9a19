from django.urls import include, path

from helseportal.pregnancy.views import woman

app_name = "pregnancy"
urlpatterns = [
    path("gravid/", woman.overview, name="overview"),
    path("gravid/start/", woman.start, name="start"),
    path("gravid/malinger/", woman.measurements, name="measurements"),
    path("gravid/symptomer/", woman.symptoms, name="symptoms"),
    path("gravid/huskelapp/", woman.notes, name="notes"),
    path("gravid/huskelapp/<id:note_id>/", woman.tick_note, name="tick_note"),
    path("gravid/historikk/", woman.history, name="history"),
    path("gravid/deling/", woman.sharing, name="sharing"),
    path("gravid/deling/<id:grant_id>/stopp/", woman.revoke_grant, name="revoke_grant"),
    path("gravid/feilregistrert/<str:kind>/<id:entry_id>/", woman.mark_in_error, name="mark_in_error"),
    path("", include("helseportal.pregnancy.urls_card")),
    path("", include("helseportal.pregnancy.urls_practitioner")),
    path("", include("helseportal.pregnancy.urls_export")),
]
