"""Timeavtaler and Timeønske: the citizen's pages under /timeavtaler/, the staff's under /helsepersonell/."""

from django.urls import URLPattern, path

from helseportal.appointments.views import citizen, staff

app_name = "appointments"
CITIZEN = "timeavtaler/"
STAFF = "helsepersonell/timeavtaler/"
urlpatterns: list[URLPattern] = [
    path(CITIZEN, citizen.appointment_list, name="list"),
    path(f"{CITIZEN}be-om-time/", citizen.request_appointment, name="request"),
    path(f"{CITIZEN}timeonsker/", citizen.request_list, name="requests"),
    path(f"{CITIZEN}<id:appointment_id>/", citizen.detail, name="detail"),
    path(f"{CITIZEN}<id:appointment_id>/avbestill/", citizen.cancel, name="cancel"),
    path(f"{CITIZEN}<id:appointment_id>/timeavtale.ics", citizen.ics, name="ics"),
    path(STAFF, staff.inbox, name="inbox"),
    path(f"{STAFF}timeonske/<id:request_id>/", staff.answer, name="answer"),
    path(f"{STAFF}kalender/", staff.my_calendar, name="my_calendar"),
    path(f"{STAFF}kalender/<id:practitioner_id>/", staff.calendar, name="calendar"),
    path(f"{STAFF}ledige-tider/", staff.free_times, name="free_times"),
    path(f"{STAFF}time/<id:appointment_id>/flytt/", staff.reschedule, name="staff_reschedule"),
    path(f"{STAFF}time/<id:appointment_id>/gjennomfort/", staff.complete, name="staff_complete"),
    path(f"{STAFF}time/<id:appointment_id>/avlys/", staff.cancel, name="staff_cancel"),
]
