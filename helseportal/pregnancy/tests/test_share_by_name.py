"""She finds her midwife by name (or sees those at her municipality's health stations) and shares after confirming.

Nothing is shared before the confirmation step, which shows name, HPR number, unit, permission and end date.
Only a practitioner with a clinician membership at the unit is listed or can be chosen; the HPR path stays.
"""

import datetime
import re

import pytest
from django.test import Client

from helseportal.access.models import AuditEvent, SharingGrant
from helseportal.core.actor import Actor
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Membership, Unit
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.test_card_views import client_for, start_at

pytestmark = pytest.mark.django_db

END = today() + datetime.timedelta(days=200)


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    return start_at(kari)


@pytest.fixture
def karis(kari: Actor, pregnancy: Pregnancy) -> Client:
    return client_for(kari)


def keys(practitioner: personas.PractitionerPersona, unit: personas.UnitPersona) -> dict[str, str]:
    return {
        "practitioner": str(Practitioner.objects.get(hpr_number=practitioner.hpr_number).pk),
        "unit": str(Unit.objects.get(orgnr=unit.orgnr).pk),
    }


def chosen(step: str, **changes: str) -> dict[str, str]:
    data = {
        **keys(personas.METTE, personas.HEALTH_STATION),
        "permission": "read_write",
        "valid_to": END.isoformat(),
        "step": step,
    }
    return {**data, **changes}


def test_she_sees_the_midwives_at_her_municipalitys_health_stations(karis: Client):
    html = karis.get("/gravid/deling/").content.decode()
    assert "Helsepersonell ved helsestasjonene i kommunen din" in html
    assert "Mette Berg" in html
    assert "Frogner helsestasjon" in html
    assert "Lars Bakken" not in html  # a GP office, not a health station: found by searching
    assert "Ingrid Dahl" not in html  # school health service and HFU


def test_she_finds_a_practitioner_by_name_or_unit(karis: Client):
    assert "Mette Berg" in karis.post("/gravid/deling/", {"step": "search", "finn": "mette"}).content.decode()
    assert "Mette Berg" in karis.post("/gravid/deling/", {"step": "search", "finn": "Berg Frogner"}).content.decode()
    by_unit = karis.post("/gravid/deling/", {"step": "search", "finn": "Kirkeveien legesenter"}).content.decode()
    assert "Lars Bakken" in by_unit
    assert "Mette Berg" not in by_unit
    nobody = karis.post("/gravid/deling/", {"step": "search", "finn": "Olsen"}).content.decode()
    assert "Vi fant ikke helsepersonell med det navnet." in nobody


def test_an_editor_of_a_units_page_is_not_listed_as_its_health_personnel(karis: Client):
    sht = Unit.objects.get(orgnr=personas.SHT_OSLO.orgnr)
    Membership.objects.filter(unit=sht, role="clinician").delete()  # Ingrid stays the page's editor
    Membership.objects.filter(unit__orgnr=personas.HFU_OSLO.orgnr).delete()
    html = karis.post("/gravid/deling/", {"step": "search", "finn": "Ingrid"}).content.decode()
    assert "Ingrid Dahl" not in html


def test_nothing_is_shared_until_she_confirms(karis: Client):
    page = karis.post("/gravid/deling/", {**keys(personas.METTE, personas.HEALTH_STATION), "step": "choose"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mette Berg" in html
    assert personas.METTE.hpr_number in html
    assert "Frogner helsestasjon" in html
    review = karis.post("/gravid/deling/", chosen("review")).content.decode()
    assert "Bekreft delingen" in review
    for shown in ("Mette Berg", personas.METTE.hpr_number, "Frogner helsestasjon", "Lese og skrive", f"{END:%d.%m.%Y}"):
        assert shown in review
    assert "Ingenting er delt ennå." in review
    assert not SharingGrant.objects.exists()
    assert not AuditEvent.objects.filter(action="access:sharing:granted").exists()

    done = karis.post("/gravid/deling/", chosen("confirm"), follow=True)
    assert "Helsekortet er delt med Mette Berg." in done.content.decode()
    grant = SharingGrant.objects.get()
    assert grant.practitioner is not None
    assert grant.practitioner.hpr_number == personas.METTE.hpr_number
    assert grant.unit is None  # the grant names her alone, not everyone at her unit
    assert (grant.permission, grant.valid_to) == ("read_write", END)
    granted = AuditEvent.objects.get(action="access:sharing:granted")
    assert granted.resources == [f"Consent/{grant.pk}"]


def test_she_may_go_back_and_change_the_permission_before_confirming(karis: Client):
    page = karis.post("/gravid/deling/", chosen("change")).content.decode()
    assert re.search(r'<input type="radio" name="permission" value="read_write"[^>]*checked', page)
    assert f'value="{END.isoformat()}"' in page
    assert "Gå videre" in page
    assert not SharingGrant.objects.exists()


def test_an_end_date_in_the_past_is_refused_in_norwegian(karis: Client):
    response = karis.post("/gravid/deling/", chosen("review", valid_to="2020-01-01"))
    assert response.status_code == 400
    assert "Sluttdatoen kan ikke være tilbake i tid." in response.content.decode()
    response = karis.post("/gravid/deling/", chosen("confirm", valid_to="2020-01-01"))
    assert response.status_code == 400
    assert not SharingGrant.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"unit": ""},
        {"practitioner": "9" * 25},
        {"practitioner": "abc"},
        {"unit": "-3"},
    ],
)
def test_a_broken_choice_answers_in_norwegian_and_shares_nothing(karis: Client, changes: dict[str, str]):
    response = karis.post("/gravid/deling/", chosen("confirm", **changes), follow=True)
    assert response.status_code == 200
    assert "Søk på nytt." in response.content.decode()
    assert not SharingGrant.objects.exists()


def test_someone_who_is_not_health_personnel_at_the_unit_cannot_be_chosen(karis: Client):
    lars_at_the_health_station = {
        **chosen("confirm"),
        **{"practitioner": keys(personas.LARS, personas.HEALTH_STATION)["practitioner"]},
    }
    response = karis.post("/gravid/deling/", lars_at_the_health_station, follow=True)
    assert "Vi fant ikke denne personen blant helsepersonellet ved enheten." in response.content.decode()
    assert not SharingGrant.objects.exists()


def test_the_hpr_path_still_shares_at_once(karis: Client):
    data = {
        "target": "practitioner",
        "family_name": "Berg",
        "hpr_number": personas.METTE.hpr_number,
        "permission": "read",
        "valid_to": END.isoformat(),
    }
    assert "Mette Berg (HPR 9144889)" in karis.post("/gravid/deling/", data, follow=True).content.decode()
    assert SharingGrant.objects.get().permission == "read"
