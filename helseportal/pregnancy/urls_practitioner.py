"""Health personnel (HelseID): the worklist of shared cards, one card, and the forms that write to it."""

from django.urls import URLPattern, path

from helseportal.pregnancy.views import practitioner as views
from helseportal.pregnancy.views import practitioner_fields as fields

PREFIX = "helsepersonell/gravid/"
urlpatterns: list[URLPattern] = [
    path(PREFIX, views.worklist, name="worklist"),
    path(f"{PREFIX}start/<id:person_id>/", views.start, name="practitioner_start"),
    path(f"{PREFIX}<id:pregnancy_id>/", views.card, name="practitioner_card"),
    path(f"{PREFIX}<id:pregnancy_id>/kontroll/", views.add_consultation, name="add_consultation"),
    path(f"{PREFIX}<id:pregnancy_id>/sf/", views.add_sf, name="add_sf"),
    path(f"{PREFIX}<id:pregnancy_id>/prove/", views.add_test, name="add_test"),
    path(f"{PREFIX}<id:pregnancy_id>/seksjon/<str:section>/", views.section, name="practitioner_section"),
    path(f"{PREFIX}<id:pregnancy_id>/termin/", views.set_due_date, name="set_due_date"),
    path(f"{PREFIX}<id:pregnancy_id>/avslutt/", views.end_pregnancy, name="end_pregnancy"),
    path(f"{PREFIX}<id:pregnancy_id>/ultralyd/", fields.add_ultrasound, name="add_ultrasound"),
    path(f"{PREFIX}<id:pregnancy_id>/nipt/", fields.add_nipt, name="add_nipt"),
    path(f"{PREFIX}<id:pregnancy_id>/korrigert-termin/", fields.correct_due_date, name="correct_due_date"),
    path(f"{PREFIX}<id:pregnancy_id>/fodsel/", fields.add_birth_outcome, name="add_birth_outcome"),
    path(f"{PREFIX}<id:pregnancy_id>/vaksine/", fields.add_vaccination, name="practitioner_vaccination"),
    path(f"{PREFIX}<id:pregnancy_id>/tidligere-fodsel/", fields.add_earlier_birth, name="practitioner_earlier_birth"),
    path(
        f"{PREFIX}<id:pregnancy_id>/feilregistrert/<str:kind>/<id:entry_id>/",
        views.mark_in_error,
        name="practitioner_mark_in_error",
    ),
]
