"""The admin lists deliveries (no content exists to show) and allows no changes."""

import pytest
from django.test import Client

from helseportal.identity.models import Person
from helseportal.notify.models import Delivery
from helseportal.notify.services import Event, notify

pytestmark = pytest.mark.django_db


def test_the_admin_lists_deliveries_read_only(admin_client: Client, person: Person) -> None:
    notify(person.pk, Event.NEW_MESSAGE, key="m1")
    delivery = Delivery.objects.get()
    response = admin_client.get("/admin/notify/delivery/")
    assert response.status_code == 200
    assert b"new_message" in response.content
    assert b"41234567" not in response.content
    detail = admin_client.get(f"/admin/notify/delivery/{delivery.pk}/change/")
    assert detail.status_code == 200
    assert b"41234567" not in detail.content
    assert admin_client.get("/admin/notify/delivery/add/").status_code == 403
    assert admin_client.post(f"/admin/notify/delivery/{delivery.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Delivery.objects.count() == 1
