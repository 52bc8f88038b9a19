"""The staff side of the unit pages, mounted at /helsepersonell/enhet/ (helseportal/urls.py)."""

from django.urls import path

from helseportal.content import views_staff

app_name = "content_staff"
urlpatterns = [
    path("", views_staff.home, name="home"),
    path("side/", views_staff.edit_page, name="edit_page"),
    path("ansatte/ny/", views_staff.add_staff, name="add_staff"),
    path("ansatte/<id:staff_id>/", views_staff.edit_staff, name="edit_staff"),
    path("ansatte/<id:staff_id>/fjern/", views_staff.remove_staff, name="remove_staff"),
    path("oppslag/nytt/", views_staff.add_notice, name="add_notice"),
    path("oppslag/<id:notice_id>/trekk-tilbake/", views_staff.withdraw_notice, name="withdraw_notice"),
]
