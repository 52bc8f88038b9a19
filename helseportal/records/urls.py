"""The record services' pages (issue 11), namespace `records`: one include per family, each its own sub-package.

The URL names are those `catalogue.py` lists (`records:results`, `records:vaccines`, …): a family's service shows
as available on the front page as soon as its name resolves here.
"""

from django.urls import URLPattern, URLResolver, include, path

from helseportal.records.contacts import views as contacts
from helseportal.records.referrals import views as referrals
from helseportal.records.vaccines import views as vaccines

app_name = "records"

urlpatterns: list[URLPattern | URLResolver] = [
    path("provesvar/", include("helseportal.records.results.urls")),
    path("vaksiner/", vaccines.overview, name="vaccines"),
    path("vaksiner/attest/", vaccines.certificate_pdf, name="vaccines_certificate"),
    path("henvisninger/", referrals.referral_list, name="referrals"),
    path("henvisninger/<id:pk>/", referrals.referral_detail, name="referral"),
    path("helsekontakter/", contacts.contacts, name="contacts"),
    path("legemidler/", include("helseportal.records.medicines.urls")),
    path("pasientjournal/", include("helseportal.records.documents.urls")),
]
