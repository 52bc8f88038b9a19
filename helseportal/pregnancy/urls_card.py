"""Her card: the whole card, a section to edit, and the form before the first consultation."""

from django.urls import URLPattern, path

from helseportal.pregnancy.views import card

urlpatterns: list[URLPattern] = [
    path("gravid/helsekort/", card.card, name="card"),
    path("gravid/helsekort/<str:section>/", card.section, name="section"),
    path("gravid/kartlegging/", card.first_form, name="first_form"),
]
