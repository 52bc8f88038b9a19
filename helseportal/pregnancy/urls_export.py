from django.urls import path

from helseportal.pregnancy.views import export

urlpatterns = [
    path("gravid/helsekort.pdf", export.pdf, name="pdf"),
    path("helsepersonell/gravid/<id:pregnancy_id>/helsekort.pdf", export.practitioner_pdf, name="practitioner_pdf"),
]
