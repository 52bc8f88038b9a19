"""Pasientreiser, namespace `travel`: her pages at /pasientreiser/ (`catalogue.py` lists `travel:overview`), the
case officer's at /helsepersonell/pasientreiser/."""

from django.urls import path

from helseportal.travel.views import citizen, staff

app_name = "travel"

urlpatterns = [
    path("pasientreiser/", citizen.overview, name="overview"),
    path("pasientreiser/<id:claim_id>/", citizen.detail, name="detail"),
    path("pasientreiser/<id:claim_id>/klage/", citizen.complain, name="complain"),
    path("helsepersonell/pasientreiser/", staff.queue, name="staff_queue"),
    path("helsepersonell/pasientreiser/<id:claim_id>/", staff.claim, name="staff_claim"),
    path("helsepersonell/pasientreiser/<id:claim_id>/behandle/", staff.take, name="staff_take"),
    path("helsepersonell/pasientreiser/<id:claim_id>/vedtak/", staff.decide, name="staff_decide"),
    path("helsepersonell/pasientreiser/<id:claim_id>/utbetalt/", staff.pay, name="staff_pay"),
    path("helsepersonell/pasientreiser/<id:claim_id>/klage/", staff.reopen, name="staff_reopen"),
    path("helsepersonell/pasientreiser/<id:claim_id>/kvittering/<int:number>/", staff.receipt, name="staff_receipt"),
]
