"""Who uses this (issue 13 item 3): the registry of configuration families, the answer for the demo (the units that
use a booking type, the configured-but-unused unit with 0), the command's JSON, and the operators' page (404 to any
other practitioner, audited, bad input a Norwegian 400)."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from helseportal.access.models import AuditEvent
from helseportal.core.errors import Invalid, NotFound
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.demo.offerings import load_offerings
from helseportal.demo.stats import load_counters
from helseportal.records.tests.family import client_for
from helseportal.stats import configurations, operators, usage

PAGE = "/helsepersonell/statistikk/bruk/"


@pytest.fixture
def demo(db: None) -> None:
    load_demo()
    load_offerings()
    load_counters()


@pytest.fixture
def operator():
    """Lars made an operator by the command's function."""
    lars = actors.clinician(personas.LARS)
    operators.grant(lars.hpr_number)
    return lars


def test_the_three_families_are_registered_by_their_domains():
    assert {f.key for f in configurations.families()} >= {"appointment_type", "service_kind", "unit_kind"}


def test_a_family_lists_its_configurations_with_the_units_that_have_them(demo):
    youth = configurations.family("appointment_type").configuration("youth")
    assert personas.HFU_GRORUD.orgnr in youth.units
    assert personas.SHT_OSLO.orgnr in youth.units
    assert personas.MAJORSTUEN_GP.orgnr not in youth.units
    booking = configurations.family("service_kind").configuration("gp_booking")
    assert booking.units == {personas.MAJORSTUEN_GP.orgnr}
    hfu = configurations.family("unit_kind").configuration("hfu")
    assert len(hfu.units) == 5


def test_the_demo_answer_names_the_units_that_use_a_booking_type_and_the_unused_one_with_0(demo):
    answer = usage.who_uses("appointment_type", "youth")
    names = [u.name for u in answer.used_by]
    assert personas.HFU_OSLO.name in names
    assert personas.SHT_OSLO.name in names
    assert names[0] in (personas.HFU_OSLO.name, personas.SHT_OSLO.name)  # most used first
    grorud = next(u for u in answer.units if u.orgnr == personas.HFU_GRORUD.orgnr)
    assert grorud.use == 0
    assert grorud.configured
    assert grorud.text == "0"
    assert answer.units[-1].use == 0  # the unused last
    assert answer.days == 90


def test_a_booking_kind_in_the_catalogue_names_the_gp_office(demo):
    answer = usage.who_uses("service_kind", "gp_booking")
    assert [u.orgnr for u in answer.used_by] == [personas.MAJORSTUEN_GP.orgnr]
    unused = usage.who_uses("service_kind", "hs_contact")
    assert [u.orgnr for u in unused.units] == [personas.HEALTH_STATION.orgnr]


def test_use_that_is_no_longer_configured_is_listed_too(demo):
    from helseportal.offerings.models import Offering

    Offering.objects.filter(kind="gp_booking").delete()
    answer = usage.who_uses("service_kind", "gp_booking")
    assert [(u.orgnr, u.configured) for u in answer.units] == [(personas.MAJORSTUEN_GP.orgnr, False)]


def test_a_small_use_is_suppressed_in_the_answer(demo):
    answer = usage.who_uses("appointment_type", "youth", days=30)
    fana = next(u for u in answer.units if u.orgnr == personas.HFU_FANA.orgnr)
    assert 0 <= fana.use < 5
    if fana.use:
        assert fana.shown is None
        assert fana.text == "< 5"
    for unit in answer.as_json()["units"]:  # type: ignore[union-attr]
        assert unit["use"] is None or unit["use"] == 0 or unit["use"] >= 5


@pytest.mark.parametrize(("family", "code"), [("nope", "youth"), ("appointment_type", "nope")])
def test_an_unknown_configuration_is_not_found(db: None, family, code):
    with pytest.raises(NotFound):
        usage.who_uses(family, code)


@pytest.mark.parametrize("days", ["0", "-3", "x", "99999", "1.5"])
def test_bad_days_are_invalid(days):
    with pytest.raises(Invalid):
        usage.parse_days(days)


def test_the_command_prints_json_for_scripts(demo):
    out = StringIO()
    call_command("stats_usage", "appointment_type", "youth", "--days", "90", "--json", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["family"] == "appointment_type"
    assert answer["code"] == "youth"
    assert answer["days"] == 90
    by_orgnr = {u["orgnr"]: u for u in answer["units"]}
    assert by_orgnr[personas.HFU_OSLO.orgnr]["use"] >= 5
    assert by_orgnr[personas.HFU_GRORUD.orgnr] == {
        "orgnr": personas.HFU_GRORUD.orgnr,
        "name": personas.HFU_GRORUD.name,
        "kind": "hfu",
        "municipality": "0301",
        "configured": True,
        "use": 0,
        "use_text": "0",
    }
    assert all(u["use"] is None or u["use"] == 0 or u["use"] >= 5 for u in answer["units"])


def test_the_command_lists_and_refuses_clearly(demo):
    out = StringIO()
    call_command("stats_usage", "--list", "--json", stdout=out)
    assert {f["family"] for f in json.loads(out.getvalue())} >= {"appointment_type", "service_kind", "unit_kind"}
    with pytest.raises(CommandError, match="konfigurasjonen"):
        call_command("stats_usage", "appointment_type", "annet")
    with pytest.raises(CommandError, match="helt tall"):
        call_command("stats_usage", "appointment_type", "youth", "--days", "mange")


def test_the_page_is_404_to_a_practitioner_who_is_no_operator(demo):
    response = client_for(actors.clinician(personas.INGRID, personas.HEALTH_STATION)).get(
        f"{PAGE}?familie=appointment_type&kode=youth"
    )
    assert response.status_code == 404


def test_a_citizen_is_sent_to_the_helseid_login(demo):
    response = client_for(actors.citizen(personas.KARI)).get(PAGE)
    assert response.status_code == 302
    assert "helseid" in response["Location"]


def test_the_operator_sees_who_uses_it_and_the_read_is_audited(demo, operator):
    client = client_for(operator)
    assert client.get(PAGE).status_code == 200
    response = client.get(f"{PAGE}?familie=appointment_type&kode=youth")
    html = response.content.decode()
    assert response.status_code == 200
    assert personas.HFU_OSLO.name in html
    assert personas.HFU_GRORUD.name in html
    event = AuditEvent.objects.get(action=usage.READ)
    assert event.subject_id is None
    assert event.resources == ["StatsConfiguration/appointment_type:youth"]


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("familie=appointment_type", 400),
        ("familie=appointment_type&kode=youth&dager=x", 400),
        ("familie=x&kode=y", 404),
    ],
)
def test_bad_input_on_the_page_is_a_norwegian_answer(demo, operator, query, status):
    response = client_for(operator).get(f"{PAGE}?{query}")
    assert response.status_code == status


def test_the_order_of_hidden_units_tells_nothing_of_their_use():
    def unit(name: str, use: int) -> usage.UnitUse:
        return usage.UnitUse(orgnr=name, name=name, kind="", municipality="", use=use, configured=True)

    found = sorted([unit("A", 1), unit("B", 4), unit("C", 50), unit("D", 0), unit("E", 9)], key=usage.order)
    assert [u.name for u in found] == ["C", "E", "D", "A", "B"]  # shown by size, then the hidden ones by name
