"""Skjemaer: the citizen's forms under /skjemaer/ (the list, the steps, the summary, her sent responses).

The pages of one form sit below its id, those of one sent response below `svar/<id>` (`<id:…>`, core/converters.py:
a too-long id is 404, not 500).
"""

from django.urls import URLPattern, URLResolver, include, path

from helseportal.forms import views

app_name = "forms"
CITIZEN = "skjemaer/"

form_pages = [
    path("", views.start, name="start"),
    path("steg/<int:step>/", views.step, name="step"),
    path("oppsummering/", views.summary, name="summary"),
]
urlpatterns: list[URLPattern | URLResolver] = [
    path(CITIZEN, views.form_list, name="list"),
    path(f"{CITIZEN}svar/", views.response_list, name="responses"),
    path(f"{CITIZEN}svar/<id:response_id>/", views.response, name="response"),
    path(f"{CITIZEN}<id:form_id>/", include(form_pages)),
]
