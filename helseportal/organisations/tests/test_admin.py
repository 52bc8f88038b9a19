import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.organisations.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("drift", "drift@helseportal.example", "hemmelig-passord-1")
    client.force_login(user)
    return client


@pytest.mark.parametrize("model", ["unit", "postcode", "schoolenrolment"])
def test_the_operator_lists_units_postcodes_and_enrolments(operator: Client, model: str) -> None:
    load_demo()
    response = operator.get(f"/admin/organisations/{model}/")
    assert response.status_code == 200


def test_the_unit_list_shows_its_hours_and_the_unit_page_opens(operator: Client) -> None:
    load_demo()
    response = operator.get("/admin/organisations/unit/")
    assert "man-tor 14:00-19:00" in response.content.decode()
    unit = Unit.objects.get(orgnr=personas.HFU_OSLO.orgnr)
    assert operator.get(f"/admin/organisations/unit/{unit.pk}/change/").status_code == 200
