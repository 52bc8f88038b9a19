"""The staff side of the unit pages, mounted at /helsepersonell/enhet/ (helseportal/urls.py)."""

from django.urls import path

from helseportal.content.views import staff

app_name = "content_staff"
STAFF = "ansatte/<id:staff_id>/"
urlpatterns = [
    path("", staff.home, name="home"),
    path("side/", staff.edit_page, name="edit_page"),
    path("ansatte/ny/", staff.add_staff, name="add_staff"),
    path(STAFF, staff.edit_staff, name="edit_staff"),
    path(f"{STAFF}fjern/", staff.remove_staff, name="remove_staff"),
    path("oppslag/nytt/", staff.add_notice, name="add_notice"),
    path("oppslag/<id:notice_id>/trekk-tilbake/", staff.withdraw_notice, name="withdraw_notice"),
]
