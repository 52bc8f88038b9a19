"""The card's routes: her pages under /gravid/, health personnel's under /helsepersonell/gravid/."""

from django.urls import URLPattern, path

from helseportal.pregnancy.views import card, card_fields, export, practitioner, practitioner_fields, woman

app_name = "pregnancy"
HER = "gravid/"
STAFF = "helsepersonell/gravid/"
CARD = f"{STAFF}<id:pregnancy_id>/"

her_pages: list[URLPattern] = [
    path(HER, woman.overview, name="overview"),
    path(f"{HER}start/", woman.start, name="start"),
    path(f"{HER}malinger/", woman.measurements, name="measurements"),
    path(f"{HER}symptomer/", woman.symptoms, name="symptoms"),
    path(f"{HER}huskelapp/", woman.notes, name="notes"),
    path(f"{HER}huskelapp/<id:note_id>/", woman.tick_note, name="tick_note"),
    path(f"{HER}historikk/", woman.history, name="history"),
    path(f"{HER}deling/", woman.sharing, name="sharing"),
    path(f"{HER}deling/<id:grant_id>/stopp/", woman.revoke_grant, name="revoke_grant"),
    path(f"{HER}feilregistrert/<str:kind>/<id:entry_id>/", woman.mark_in_error, name="mark_in_error"),
    path(f"{HER}helsekort/", card.card, name="card"),
    # Before the section pattern, which would take any one path segment.
    path(f"{HER}helsekort/tidligere-fodsler/", card_fields.earlier_birth, name="earlier_birth"),
    path(f"{HER}helsekort/vaksiner/", card_fields.vaccination, name="vaccination"),
    path(f"{HER}helsekort/<str:section>/", card.section, name="section"),
    path(f"{HER}kartlegging/", card.first_form, name="first_form"),
    path(f"{HER}helsekort.pdf", export.pdf, name="pdf"),
]

staff_pages: list[URLPattern] = [
    path(STAFF, practitioner.worklist, name="worklist"),
    path(f"{STAFF}start/<id:person_id>/", practitioner.start, name="practitioner_start"),
    path(CARD, practitioner.card, name="practitioner_card"),
    path(f"{CARD}helsekort.pdf", export.practitioner_pdf, name="practitioner_pdf"),
    path(f"{CARD}kontroll/", practitioner.add_consultation, name="add_consultation"),
    path(f"{CARD}sf/", practitioner.add_sf, name="add_sf"),
    path(f"{CARD}prove/", practitioner.add_test, name="add_test"),
    path(f"{CARD}seksjon/<str:section>/", practitioner.section, name="practitioner_section"),
    path(f"{CARD}termin/", practitioner.set_due_date, name="set_due_date"),
    path(f"{CARD}avslutt/", practitioner.end_pregnancy, name="end_pregnancy"),
    path(f"{CARD}ultralyd/", practitioner_fields.add_ultrasound, name="add_ultrasound"),
    path(f"{CARD}nipt/", practitioner_fields.add_nipt, name="add_nipt"),
    path(f"{CARD}korrigert-termin/", practitioner_fields.correct_due_date, name="correct_due_date"),
    path(f"{CARD}fodsel/", practitioner_fields.add_birth_outcome, name="add_birth_outcome"),
    path(f"{CARD}vaksine/", practitioner_fields.add_vaccination, name="practitioner_vaccination"),
    path(f"{CARD}tidligere-fodsel/", practitioner_fields.add_earlier_birth, name="practitioner_earlier_birth"),
    path(
        f"{CARD}feilregistrert/<str:kind>/<id:entry_id>/", practitioner.mark_in_error, name="practitioner_mark_in_error"
    ),
]

urlpatterns = her_pages + staff_pages
