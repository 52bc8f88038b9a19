"""Timeavtaler and Timeønske: the citizen's pages under /timeavtaler/, the staff's under /helsepersonell/.

The pages about one appointment sit below its id (`<id:…>`, core/converters.py: a too-long id is 404, not 500).
"""

from django.urls import URLPattern, URLResolver, include, path

from helseportal.appointments.views import citizen, staff

app_name = "appointments"
CITIZEN = "timeavtaler/"
STAFF = "helsepersonell/timeavtaler/"

# Below /timeavtaler/<id>/: the citizen's own appointment.
appointment_pages = [
    path("", citizen.detail, name="detail"),
    path("avbestill/", citizen.cancel, name="cancel"),
    path("timeavtale.ics", citizen.ics, name="ics"),
]
# Below /helsepersonell/timeavtaler/time/<id>/: an appointment at the practitioner's unit (each a POST but `flytt`).
time_at_unit_pages = [
    path("flytt/", staff.reschedule, name="staff_reschedule"),
    path("gjennomfort/", staff.complete, name="staff_complete"),
    path("avlys/", staff.cancel, name="staff_cancel"),
]
urlpatterns: list[URLPattern | URLResolver] = [
    path(CITIZEN, citizen.appointment_list, name="list"),
    path(f"{CITIZEN}be-om-time/", citizen.request_appointment, name="request"),
    path(f"{CITIZEN}timeonsker/", citizen.request_list, name="requests"),
    path(f"{CITIZEN}<id:appointment_id>/", include(appointment_pages)),
    path(STAFF, staff.inbox, name="inbox"),
    path(f"{STAFF}timeonske/<id:request_id>/", staff.answer, name="answer"),
    path(f"{STAFF}kalender/", staff.my_calendar, name="my_calendar"),
    path(f"{STAFF}kalender/<id:practitioner_id>/", staff.calendar, name="calendar"),
    path(f"{STAFF}ledige-tider/", staff.free_times, name="free_times"),
    path(f"{STAFF}time/<id:appointment_id>/", include(time_at_unit_pages)),
]
