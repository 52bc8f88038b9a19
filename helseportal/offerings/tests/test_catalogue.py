"""The service catalogue: the registry of kinds, a unit's editors setting its terms (audited, within the rules), the
terms shown to citizens, and no one else reaching the editors' pages."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helseportal.access.models import AuditEvent
from helseportal.core.errors import Invalid, NotFound
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Practitioner
from helseportal.offerings import kinds, queries, rules, services
from helseportal.offerings.models import Offering
from helseportal.organisations.models import Membership, Role, Unit, UnitKind
from helseportal.records.tests.family import client_for


@pytest.fixture
def office(db: None) -> Unit:
    load_demo()
    return Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr)


def editor(office: Unit):
    lars = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    Membership.objects.get_or_create(practitioner=lars, unit=office, role=Role.EDITOR)
    return actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)


def test_a_gp_office_may_offer_the_five_gp_services():
    assert [kind.code for kind in kinds.kinds_for(UnitKind.GP_OFFICE)] == [
        kinds.GP_BOOKING, kinds.GP_RENEWAL, kinds.GP_E_CONSULTATION, kinds.GP_CONTACT, kinds.GP_FLU_VACCINE,
    ]  # fmt: skip


def test_every_kind_belongs_to_a_unit_kind_and_has_a_short_code():
    for code, kind in kinds.KINDS.items():
        assert kind.code == code
        assert kind.unit_kind in UnitKind.values
        assert code.replace("_", "").isalnum()
        assert code.islower()
        assert len(code) <= 40


def test_health_stations_and_hfu_have_lists_of_their_own():
    assert kinds.kinds_for(UnitKind.HEALTH_STATION)
    assert kinds.kinds_for(UnitKind.YOUTH_HEALTH_STATION)
    assert not set(kinds.kinds_for(UnitKind.HEALTH_STATION)) & set(kinds.kinds_for(UnitKind.GP_OFFICE))


E_CONSULTATION = kinds.KINDS[kinds.GP_E_CONSULTATION]


@given(st.integers(-1000, 1000), st.integers(-10, 20))
def test_the_terms_hold_exactly_within_the_tariff_and_the_answer_time(price: int, days: int):
    wrong = rules.problem(E_CONSULTATION, enabled=True, price=price, answer_days=days)
    fits = 0 <= price <= kinds.E_CONSULTATION_MAX_PRICE and 1 <= days <= kinds.WRITTEN_ANSWER_MAX_DAYS
    assert (wrong == "") == fits


def test_a_service_without_a_price_takes_none_and_one_with_a_price_needs_it_to_be_turned_on():
    booking = kinds.KINDS[kinds.GP_BOOKING]
    assert rules.problem(booking, enabled=True, price=100, answer_days=None) == "Denne tjenesten har ingen pris."
    assert rules.problem(E_CONSULTATION, enabled=True, price=None, answer_days=3) == (
        "Skriv prisen før du tar tjenesten i bruk."
    )
    assert rules.problem(E_CONSULTATION, enabled=False, price=None, answer_days=None) == ""


def test_an_editor_turns_a_service_on_with_her_terms_and_it_is_audited(office: Unit):
    row = services.save(editor(office), kinds.GP_E_CONSULTATION, enabled=True, text="Svar i Meldinger.", price=200,
                        answer_days=4)  # fmt: skip
    offer = queries.offer(office.pk, kinds.GP_E_CONSULTATION)
    assert offer is not None
    assert (offer.text, offer.price, offer.answer_days) == ("Svar i Meldinger.", 200, 4)
    event = AuditEvent.objects.get(action=services.CHANGED)
    assert event.resources == [f"Offering/{row.pk}"]
    assert event.reason == "on"
    assert event.subject_id is None


def test_a_service_turned_off_keeps_the_units_texts(office: Unit):
    actor = editor(office)
    services.save(actor, kinds.GP_CONTACT, enabled=True, text="Praktiske spørsmål.", answer_days=2)
    services.save(actor, kinds.GP_CONTACT, enabled=False, text="Praktiske spørsmål.", answer_days=2)
    assert queries.offer(office.pk, kinds.GP_CONTACT) is None
    assert Offering.objects.get(unit=office, kind=kinds.GP_CONTACT).text == "Praktiske spørsmål."


def test_a_price_above_the_tariff_is_refused_and_nothing_changes(office: Unit):
    with pytest.raises(Invalid, match="fra 0 til 320 kroner"):
        services.save(editor(office), kinds.GP_E_CONSULTATION, enabled=True, price=321, answer_days=3)
    assert not Offering.objects.exists()
    assert not AuditEvent.objects.filter(action=services.CHANGED).exists()


def test_a_clinician_who_is_not_an_editor_and_another_units_kind_are_not_found(office: Unit):
    with pytest.raises(NotFound):
        services.save(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP), kinds.GP_BOOKING, enabled=True)
    with pytest.raises(NotFound):
        services.save(editor(office), "hs_booking", enabled=True)


def test_the_staff_pages_edit_the_terms_and_show_errors_in_norwegian(office: Unit):
    client = client_for(editor(office))
    listing = client.get("/helsepersonell/tjenester/").content.decode()
    assert "E-konsultasjon" in listing
    assert "Influensavaksine" in listing
    url = f"/helsepersonell/tjenester/{kinds.GP_E_CONSULTATION}/"
    refused = client.post(url, {"enabled": "on", "price": "9999", "answer_days": "3"})
    assert refused.status_code == 400
    assert "320" in refused.content.decode()
    saved = client.post(url, {"enabled": "on", "price": "224", "answer_days": "3", "text": ""})
    assert saved.status_code == 302
    assert queries.offer(office.pk, kinds.GP_E_CONSULTATION) is not None
    assert client.get("/helsepersonell/tjenester/ukjent/").status_code == 404


def test_the_staff_pages_are_404_to_a_clinician_who_is_not_an_editor(office: Unit):
    client = client_for(actors.clinician(personas.LARS, personas.MAJORSTUEN_GP))
    assert client.get("/helsepersonell/tjenester/").status_code == 404
    assert client.post(f"/helsepersonell/tjenester/{kinds.GP_BOOKING}/", {"enabled": "on"}).status_code == 404
