"""Timeavtaler and Timeønske: the citizen's pages under /timeavtaler/, the staff's under /helsepersonell/.

The pages about one appointment sit below its id (`<id:…>`, core/converters.py: a too-long id is 404, not 500).
"""

from django.urls import URLPattern, URLResolver, include, path

from helseportal.appointments.views import citizen, staff

app_name = "appointments"

citizen_pages: list[URLPattern | URLResolver] = [
    path("", citizen.appointment_list, name="list"),
    path("be-om-time/", citizen.request_appointment, name="request"),
    path("timeonsker/", citizen.request_list, name="requests"),
    path(
        "<id:appointment_id>/",
        include(
            [
                path("", citizen.detail, name="detail"),
                path("avbestill/", citizen.cancel, name="cancel"),
                path("timeavtale.ics", citizen.ics, name="ics"),
            ]
        ),
    ),
]
staff_pages: list[URLPattern | URLResolver] = [
    path("", staff.inbox, name="inbox"),
    path("timeonske/<id:request_id>/", staff.answer, name="answer"),
    path("kalender/", staff.my_calendar, name="my_calendar"),
    path("kalender/<id:practitioner_id>/", staff.calendar, name="calendar"),
    path("ledige-tider/", staff.free_times, name="free_times"),
    path(
        "time/<id:appointment_id>/",
        include(
            [
                path("flytt/", staff.reschedule, name="staff_reschedule"),
                path("gjennomfort/", staff.complete, name="staff_complete"),
                path("avlys/", staff.cancel, name="staff_cancel"),
            ]
        ),
    ),
]
urlpatterns: list[URLPattern | URLResolver] = [
    path("timeavtaler/", include(citizen_pages)),
    path("helsepersonell/timeavtaler/", include(staff_pages)),
]
