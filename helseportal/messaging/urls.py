"""Meldinger: the citizen's pages under /meldinger/, the staff's under /helsepersonell/meldinger/."""

from django.urls import path

from helseportal.messaging.views import citizen, staff

app_name = "messaging"
urlpatterns = [
    path("meldinger/", citizen.inbox, name="inbox"),
    path("meldinger/ny/", citizen.new_thread, name="new"),
    path("meldinger/<id:thread_id>/", citizen.thread, name="thread"),
    path("meldinger/vedlegg/<id:attachment_id>/", citizen.attachment, name="attachment"),
    path("helsepersonell/meldinger/", staff.inbox, name="staff_inbox"),
    path("helsepersonell/meldinger/<id:thread_id>/", staff.thread, name="staff_thread"),
    path("helsepersonell/meldinger/<id:thread_id>/fordel/", staff.assign, name="staff_assign"),
    path("helsepersonell/meldinger/<id:thread_id>/avslutt/", staff.close, name="staff_close"),
    path("helsepersonell/meldinger/vedlegg/<id:attachment_id>/", staff.attachment, name="staff_attachment"),
]
