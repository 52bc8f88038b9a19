"""The profile page at /profil/: register data, contact details, and giving and revoking powers of attorney."""

import datetime

import pytest
from django.http import HttpResponse
from django.test import Client

from helseportal.access.models import AuditEvent, PowerOfAttorney
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import synthetic_fnr
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import ParentalResponsibility, Person

pytestmark = pytest.mark.django_db

GIVEN, RECEIVED, GIVE = "Fullmakter du har gitt", "Fullmakter du har fått", "Gi fullmakt</h3>"


@pytest.fixture
def people(db: None) -> dict[str, Person]:
    load_demo()
    return {p.key: Person.objects.get(pid=p.pid) for p in personas.CITIZENS}


def as_citizen(client: Client, person: Person) -> Client:
    log_in(
        client,
        Actor(
            role=Role.CITIZEN,
            assurance=Assurance.HIGH,
            person_id=person.pk,
            subject_id=person.pk,
            display_name=person.full_name,
            subject_name=person.full_name,
        ),
    )
    return client


def adult(given_name: str) -> Person:
    """A third adult (40), unrelated to everyone."""
    born = datetime.date(today().year - 40, 6, 15)
    return Person.objects.create(pid=synthetic_fnr(born, 900), given_name=given_name, family_name="Tredjemann")


def dmy(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def section(page: str, start: str, end: str) -> str:
    return page[page.index(start) : page.index(end)]


# --- The page ---------------------------------------------------------------------------------------------------


def test_the_profile_shows_name_and_address_from_the_register(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).get("/profil/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kari Nordmann" in page
    assert "Kirkeveien 12, 0368 Oslo" in page


def test_a_parent_acting_for_a_child_cannot_see_or_change_a_profile(client: Client, people: dict[str, Person]):
    kari, ola = people["kari"], people["ola"]
    parent = Actor(role=Role.PARENT, assurance=Assurance.HIGH, person_id=kari.pk, subject_id=ola.pk)
    log_in(client, parent)
    assert client.get("/profil/").status_code == 404
    assert (
        client.post("/profil/", {"contact-email": "x@example.no", "contact-preferred_language": "nb"}).status_code
        == 404
    )
    grant = {"power-receiver_pid": personas.PER.pid, "power-area": "all", "power-valid_from": dmy(today())}
    assert client.post("/profil/fullmakt/", grant).status_code == 404
    assert not PowerOfAttorney.objects.exists()
    assert Person.objects.get(pk=kari.pk).email == ""


def test_a_minid_session_is_sent_to_log_in_with_bankid(client: Client, people: dict[str, Person]):
    kari = people["kari"]
    log_in(client, Actor(role=Role.CITIZEN, assurance=Assurance.SUBSTANTIAL, person_id=kari.pk, subject_id=kari.pk))
    response = client.get("/profil/")
    assert response.status_code == 302
    assert "acr=idporten-loa-high" in response["Location"]


# --- Contact details ----------------------------------------------------------------------------------------------


def contact(**fields: str | None) -> dict[str, str]:
    """The contact form's fields as posted; a field given as None is left out, as an unticked box is."""
    data = {"email": "kari@example.no", "mobile": "+47 412 34 567", "preferred_language": "nn", "notify_by_sms": "on"}
    data.update(fields)
    return {f"contact-{name}": value for name, value in data.items() if value is not None}


def test_saving_contact_details_stores_the_mobile_as_eight_digits(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/", contact())
    assert response.status_code == 302
    kari = Person.objects.get(pk=people["kari"].pk)
    assert (kari.email, kari.mobile, kari.preferred_language) == ("kari@example.no", "41234567", "nn")
    assert kari.notify_by_sms is True
    assert kari.notify_by_email is False


def test_saving_contact_details_is_audited(client: Client, people: dict[str, Person]):
    as_citizen(client, people["kari"]).post("/profil/", contact())
    event = AuditEvent.objects.get(action="profile:contact:updated")
    assert (event.actor_person_id, event.subject_id) == (people["kari"].pk, people["kari"].pk)


def test_the_saved_details_are_shown_again(client: Client, people: dict[str, Person]):
    as_citizen(client, people["kari"]).post("/profil/", contact())
    page = client.get("/profil/").content.decode()
    assert 'value="kari@example.no"' in page
    assert 'value="41234567"' in page


def assert_refused_and_nothing_saved(response: HttpResponse, message: str, people: dict[str, Person]) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    kari = Person.objects.get(pk=people["kari"].pk)
    assert (kari.email, kari.mobile, kari.preferred_language) == ("", "", "")
    assert not AuditEvent.objects.filter(action="profile:contact:updated").exists()


@pytest.mark.parametrize("mobile", ["12345", "22 33 44 55", "4123456789", "tlf 41234567"])
def test_a_number_that_is_not_a_norwegian_mobile_is_refused(client: Client, people: dict[str, Person], mobile: str):
    response = as_citizen(client, people["kari"]).post("/profil/", contact(mobile=mobile))
    assert_refused_and_nothing_saved(response, "Skriv et norsk mobilnummer med 8 sifre, som 412 34 567.", people)


def test_an_invalid_email_address_is_refused(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/", contact(email="kari@"))
    assert_refused_and_nothing_saved(response, "Skriv en gyldig e-postadresse.", people)


def test_sms_notification_without_a_mobile_number_is_refused(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/", contact(mobile=""))
    assert_refused_and_nothing_saved(response, "Skriv mobilnummeret ditt for å få varsel på SMS.", people)


def test_email_notification_without_an_email_address_is_refused(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/", contact(email="", notify_by_email="on"))
    assert_refused_and_nothing_saved(response, "Skriv e-postadressen din for å få varsel på e-post.", people)


def test_no_notification_needs_no_contact_details(client: Client, people: dict[str, Person]):
    data = contact(email="", mobile="", notify_by_sms=None)
    response = as_citizen(client, people["kari"]).post("/profil/", data)
    assert response.status_code == 302
    kari = Person.objects.get(pk=people["kari"].pk)
    assert (kari.notify_by_sms, kari.notify_by_email, kari.mobile) == (False, False, "")


# --- Giving a power of attorney ------------------------------------------------------------------------------------


FAMILY_NAMES = {persona.pid: persona.family_name for persona in personas.CITIZENS}


def grant(
    receiver_pid: str, area: str = "appointments", valid_from: str = "", valid_to: str = "", family_name: str = ""
) -> dict[str, str]:
    return {
        "power-receiver_pid": receiver_pid,
        "power-receiver_family_name": family_name or FAMILY_NAMES.get(receiver_pid, "Tredjemann"),
        "power-area": area,
        "power-valid_from": valid_from or dmy(today()),
        "power-valid_to": valid_to,
    }


def test_kari_gives_per_a_power_and_both_see_it(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(personas.PER.pid))
    assert response.status_code == 302
    poa = PowerOfAttorney.objects.get()
    assert (poa.giver, poa.receiver, poa.area, poa.valid_from, poa.valid_to) == (
        people["kari"],
        people["per"],
        "appointments",
        today(),
        None,
    )
    karis_page = client.get("/profil/").content.decode()
    assert "Per Hansen" in section(karis_page, GIVEN, RECEIVED)
    assert "Timeavtaler" in section(karis_page, GIVEN, RECEIVED)
    assert "Per Hansen" not in section(karis_page, RECEIVED, GIVE)

    pers_page = as_citizen(Client(), people["per"]).get("/profil/").content.decode()
    assert "Kari Nordmann" in section(pers_page, RECEIVED, GIVE)
    assert "Kari Nordmann" not in section(pers_page, GIVEN, RECEIVED)


def test_giving_a_power_is_audited(client: Client, people: dict[str, Person]):
    as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(personas.PER.pid))
    poa = PowerOfAttorney.objects.get()
    event = AuditEvent.objects.get(action="access:power_of_attorney:granted")
    assert event.subject_id == people["kari"].pk
    assert event.resources == [f"PowerOfAttorney/{poa.pk}"]


def test_a_power_may_have_an_end_date(client: Client, people: dict[str, Person]):
    end = today() + datetime.timedelta(days=30)
    as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(personas.PER.pid, valid_to=dmy(end)))
    assert PowerOfAttorney.objects.get().valid_to == end


def assert_power_refused(response: HttpResponse, message: str) -> None:
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PowerOfAttorney.objects.exists()
    assert not AuditEvent.objects.filter(action="access:power_of_attorney:granted").exists()


NO_SUCH_RECEIVER = (
    "Vi kan ikke gi fullmakt til denne personen. Sjekk at fødselsnummeret og etternavnet er riktige, "
    "og at personen er minst 18 år."
)


def test_a_power_to_a_child_of_10_is_refused(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(personas.OLA.pid))
    assert_power_refused(response, NO_SUCH_RECEIVER)


def test_a_power_to_oneself_is_refused(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(personas.KARI.pid))
    assert_power_refused(response, "Du kan ikke gi fullmakt til deg selv.")


def test_a_fodselsnummer_with_a_wrong_check_digit_is_refused(client: Client, people: dict[str, Person]):
    wrong = personas.PER.pid[:-1] + str((int(personas.PER.pid[-1]) + 1) % 10)
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(wrong))
    assert_power_refused(response, "Kontrollsifrene i fødselsnummeret stemmer ikke.")


def test_a_fodselsnummer_of_the_wrong_length_is_refused(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant("1234567"))
    assert_power_refused(response, "Fødselsnummeret må ha 11 sifre.")


def test_a_person_the_register_does_not_know_is_refused(client: Client, people: dict[str, Person], settings):
    # The local register makes up a person for any synthetic number; this one knows only the database.
    settings.HELSEPORTAL_POPULATION_REGISTER = "helseportal.identity.register.DatabaseRegister"
    unknown = synthetic_fnr(datetime.date(1970, 1, 1), 900)
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(unknown))
    assert_power_refused(response, NO_SUCH_RECEIVER)
    assert not Person.objects.filter(pid=unknown).exists()


def test_an_end_date_before_the_start_date_is_refused(client: Client, people: dict[str, Person]):
    start, end = today() + datetime.timedelta(days=10), today() + datetime.timedelta(days=9)
    response = as_citizen(client, people["kari"]).post(
        "/profil/fullmakt/", grant(personas.PER.pid, valid_from=dmy(start), valid_to=dmy(end))
    )
    assert_power_refused(response, "Sluttdatoen må være etter startdatoen.")


def test_a_power_cannot_start_in_the_past(client: Client, people: dict[str, Person]):
    yesterday = today() - datetime.timedelta(days=1)
    response = as_citizen(client, people["kari"]).post(
        "/profil/fullmakt/", grant(personas.PER.pid, valid_from=dmy(yesterday))
    )
    assert_power_refused(response, "Fullmakten kan ikke starte før i dag.")


def test_a_date_not_written_as_dd_mm_yyyy_is_refused(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(personas.PER.pid, valid_from="31/12"))
    assert_power_refused(response, "Skriv datoen som dd.mm.åååå.")


def test_a_15_year_old_cannot_give_a_power(client: Client, people: dict[str, Person]):
    response = as_citizen(client, people["nora"]).post("/profil/fullmakt/", grant(personas.KARI.pid))
    assert_power_refused(response, "Du må være 16 år for å gi fullmakt.")


def test_a_power_to_someone_with_a_protected_address_is_refused(client: Client, people: dict[str, Person]):
    Person.objects.filter(pk=people["per"].pk).update(address_protection="7")
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(personas.PER.pid))
    assert_power_refused(response, NO_SUCH_RECEIVER)


def test_a_giver_with_a_protected_address_is_told_so(client: Client, people: dict[str, Person]):
    Person.objects.filter(pk=people["kari"].pk).update(address_protection="7")
    response = as_citizen(client, people["kari"]).post("/profil/fullmakt/", grant(personas.PER.pid))
    assert_power_refused(response, "Du kan ikke gi fullmakt når du har adressebeskyttelse.")


# --- Revoking ------------------------------------------------------------------------------------------------------


def given_power(giver: Person, receiver: Person) -> PowerOfAttorney:
    return PowerOfAttorney.objects.create(giver=giver, receiver=receiver, area="all", valid_from=today())


def test_kari_revokes_the_power_she_gave_and_it_is_audited(client: Client, people: dict[str, Person]):
    poa = given_power(people["kari"], people["per"])
    response = as_citizen(client, people["kari"]).post(f"/profil/fullmakt/{poa.pk}/trekk-tilbake/")
    assert response.status_code == 302
    poa.refresh_from_db()
    assert poa.revoked_at is not None
    event = AuditEvent.objects.get(action="access:power_of_attorney:revoked")
    assert (event.actor_person_id, event.subject_id) == (people["kari"].pk, people["kari"].pk)
    assert event.resources == [f"PowerOfAttorney/{poa.pk}"]
    assert "Trukket tilbake" in section(client.get("/profil/").content.decode(), GIVEN, RECEIVED)


def test_the_receiver_may_give_back_a_power(client: Client, people: dict[str, Person]):
    poa = given_power(people["kari"], people["per"])
    response = as_citizen(client, people["per"]).post(f"/profil/fullmakt/{poa.pk}/trekk-tilbake/")
    assert response.status_code == 302
    poa.refresh_from_db()
    assert poa.revoked_at is not None


def test_someone_who_is_neither_giver_nor_receiver_gets_404(client: Client, people: dict[str, Person]):
    poa = given_power(people["kari"], adult("Trond"))
    response = as_citizen(client, people["per"]).post(f"/profil/fullmakt/{poa.pk}/trekk-tilbake/")
    assert response.status_code == 404
    poa.refresh_from_db()
    assert poa.revoked_at is None
    assert not AuditEvent.objects.filter(action="access:power_of_attorney:revoked").exists()


def test_a_parent_cannot_revoke_a_power_given_by_her_child(client: Client, people: dict[str, Person]):
    # A 17-year-old child of Kari's (synthetic) gives Per a power; parental responsibility gives Kari no say in it.
    born = today() - datetime.timedelta(days=17 * 365 + 60)  # 17 years and about two months
    teen = Person.objects.create(pid=synthetic_fnr(born, 900), given_name="Tea", family_name="Nordmann")
    ParentalResponsibility.objects.create(parent=people["kari"], child=teen)
    poa = given_power(teen, people["per"])
    response = as_citizen(client, people["kari"]).post(f"/profil/fullmakt/{poa.pk}/trekk-tilbake/")
    assert response.status_code == 404
    poa.refresh_from_db()
    assert poa.revoked_at is None


def test_a_power_already_revoked_cannot_be_revoked_again(client: Client, people: dict[str, Person]):
    poa = given_power(people["kari"], people["per"])
    as_citizen(client, people["kari"]).post(f"/profil/fullmakt/{poa.pk}/trekk-tilbake/")
    first = PowerOfAttorney.objects.get().revoked_at
    assert client.post(f"/profil/fullmakt/{poa.pk}/trekk-tilbake/").status_code == 404
    assert PowerOfAttorney.objects.get().revoked_at == first
    assert AuditEvent.objects.filter(action="access:power_of_attorney:revoked").count() == 1


def test_revoking_needs_a_post(client: Client, people: dict[str, Person]):
    poa = given_power(people["kari"], people["per"])
    assert as_citizen(client, people["kari"]).get(f"/profil/fullmakt/{poa.pk}/trekk-tilbake/").status_code == 405
    poa.refresh_from_db()
    assert poa.revoked_at is None


def test_the_language_chosen_on_the_profile_takes_effect():
    from django.test import Client

    from helseportal.core.actor import Actor, Assurance, Role
    from helseportal.core.testing import log_in
    from helseportal.demo import personas
    from helseportal.demo.loader import load_demo
    from helseportal.identity.models import Person

    load_demo()
    kari = Person.objects.get(pid=personas.KARI.pid)
    browser = Client()
    log_in(
        browser,
        Actor(
            role=Role.CITIZEN,
            assurance=Assurance.HIGH,
            person_id=kari.pk,
            subject_id=kari.pk,
            display_name="Kari Nordmann",
        ),
    )
    browser.post("/profil/", {"contact-preferred_language": "nn", "contact-notify_by_sms": ""})
    assert '<html lang="nn"' in browser.get("/min-side/").content.decode()
