"""Skjemaer: the citizen's forms under /skjemaer/ (the list, the steps, the summary, her sent responses and their
PDF), and the staff's under /helsepersonell/skjemaer/ (the unit's inbox, publishing: staff_views.py).

The pages of one form sit below its id, those of one sent response below `svar/<id>` (`<id:…>`, core/converters.py:
a too-long id is 404, not 500).
"""

from django.urls import URLPattern, URLResolver, include, path

from helseportal.forms import staff_views, views

app_name = "forms"
CITIZEN = "skjemaer/"
STAFF = "helsepersonell/skjemaer/"

form_pages = [
    path("", views.start, name="start"),
    path("steg/<int:step>/", views.step, name="step"),
    path("oppsummering/", views.summary, name="summary"),
]
urlpatterns: list[URLPattern | URLResolver] = [
    path(CITIZEN, views.form_list, name="list"),
    path(f"{CITIZEN}svar/", views.response_list, name="responses"),
    path(f"{CITIZEN}svar/<id:response_id>/", views.response, name="response"),
    path(f"{CITIZEN}svar/<id:response_id>/skjema.pdf", staff_views.response_pdf, name="response_pdf"),
    path(f"{CITIZEN}<id:form_id>/", include(form_pages)),
    # The unit's staff (staff_views.py): the inbox of sent responses, and publishing for the unit's editors.
    path(STAFF, staff_views.staff_inbox, name="staff_inbox"),
    path(f"{STAFF}svar/<id:response_id>/", staff_views.staff_response, name="staff_response"),
    path(f"{STAFF}svar/<id:response_id>/skjema.pdf", staff_views.staff_response_pdf, name="staff_response_pdf"),
    path(
        f"{STAFF}svar/<id:response_id>/vedlegg/<int:number>/",
        staff_views.staff_attachment,
        name="staff_attachment",
    ),
    path(f"{STAFF}publisering/", staff_views.publishing_list, name="publishing"),
    path(f"{STAFF}publisering/<id:form_id>/", staff_views.staff_form, name="staff_form"),
    path(
        f"{STAFF}publisering/<id:form_id>/send-til-godkjenning/",
        staff_views.staff_form_submit,
        name="staff_form_submit",
    ),
    path(f"{STAFF}publisering/<id:form_id>/trekk-tilbake/", staff_views.staff_form_retire, name="staff_form_retire"),
]
