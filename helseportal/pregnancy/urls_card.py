"""Her card: the whole card, a section to edit, and the form before the first consultation."""

from django.urls import URLPattern, path

from helseportal.pregnancy.views import card, card_fields

urlpatterns: list[URLPattern] = [
    path("gravid/helsekort/", card.card, name="card"),
    # Before the section pattern, which would take any one path segment.
    path("gravid/helsekort/tidligere-fodsler/", card_fields.earlier_birth, name="earlier_birth"),
    path("gravid/helsekort/vaksiner/", card_fields.vaccination, name="vaccination"),
    path("gravid/helsekort/<str:section>/", card.section, name="section"),
    path("gravid/kartlegging/", card.first_form, name="first_form"),
]
