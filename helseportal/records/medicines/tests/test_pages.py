"""Legemidler's pages as each reader sees them: Kari herself (valid prescriptions first, then those ended in the last
12 months, the withdrawals left, the dispensings, the GP's list), Kari for Ola (under 12), Kari for Nora (15: her
prescriptions without the one with *vergeinnsynsreservasjon*, which appears nowhere she can reach), Nora herself
without consent (404) and with it (her prescriptions in the 12-month window, the reserved one too, no GP list), a
parent of a 16-year-old without a power of attorney (404, audited); forged cursors and ids; «Endret»."""

import datetime
import re

import pytest
from django.test import Client

from helseportal.access import youth_access
from helseportal.access.models import AuditEvent, Outcome, PowerOfAttorney
from helseportal.access.tests.test_policy import child_of
from helseportal.core.time import today
from helseportal.records.medicines.prescriptions import window_start
from helseportal.records.medicines.tests.conftest import medication_request
from helseportal.records.models import Record
from helseportal.records.tests.family import Family, citizen, client_for, parent

RESERVED = "Microgynon"


def text(response) -> str:
    """The page's main content as a reader sees it: tags removed, whitespace collapsed."""
    page = response.content.decode()
    main = page[page.index("<main") : page.index("</main>")]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def section(body: str, heading: str, until: str) -> str:
    return body[body.index(heading) : body.index(until, body.index(heading))]


def row_of(person, name: str) -> Record:
    return Record.objects.get(
        person=person, resource_type="MedicationRequest", resource__medicationCodeableConcept__text=name
    )


def test_kari_sees_valid_prescriptions_first_then_those_ended_in_the_last_12_months(family: Family):
    response = client_for(citizen(family.kari)).get("/legemidler/")
    assert response.status_code == 200
    body = text(response)
    valid = section(body, "Gyldige resepter", "Utløpte og avsluttede")
    ended = section(body, "Utløpte og avsluttede resepter siste 12 måneder", "Legemiddellisten fra fastlegen")
    assert valid.index("Levaxin") < valid.index("Ventoline") < valid.index("Folsyre")  # newest written first
    assert (
        "Levaxin 50 mikrog tabletter Status Gyldig Gyldig til 12. mai 2027 Uttak igjen 3 av 4 Dosering 1 tablett om "
        "morgenen, en halv time før frokost Forskrevet av Lars Bakken, Kirkeveien legesenter Skrevet ut 12. mai 2026 "
        "Sist hentet 13. mai 2026, Apotek Kirkeveien (syntetisk apotek)" in valid
    )
    assert "Folsyre Orifarm 0,4 mg tabletter Status Gyldig Gyldig til 20. februar 2027 Uttak igjen 1 av 3" in valid
    assert "Apocillin 660 mg tabletter Status Alt er hentet Gyldig til 15. april 2026 Uttak igjen 0 av 1" in ended
    assert "Nasonex 50 mikrog/dose nesespray Status Utløpt Utløp 1. mars 2026 Uttak igjen 2 av 4" in ended
    assert "Cetirizin" not in body  # expired 1 April 2025: more than 12 months ago
    assert "Aerius" not in body  # Nora's is hers
    assert "Ventoline 0,1 mg/dose" not in body  # and Ola's his


def test_kari_sees_the_gp_s_list_and_the_read_names_what_was_shown(family: Family):
    body = text(client_for(citizen(family.kari)).get("/legemidler/"))
    gp_list = body[body.index("Legemiddellisten fra fastlegen") :]
    assert "Levaxin 50 mikrog tabletter Dosering 1 tablett om morgenen Brukt siden 1. september 2019" in gp_list
    assert "Kilde Kirkeveien legesenter" in gp_list
    event = AuditEvent.objects.get(action="records:medicines:read")
    shown = Record.objects.filter(person=family.kari).exclude(
        resource__medicationCodeableConcept__text__startswith="Cetirizin"
    )
    assert sorted(event.resources) == sorted(f"{row.resource_type}/{row.pk}" for row in shown)
    assert (event.subject_id, event.actor_person_id) == (family.kari.pk, family.kari.pk)


def test_one_prescription_shows_its_dispensings_and_the_renewal_button(family: Family):
    row = row_of(family.kari, "Folsyre Orifarm 0,4 mg tabletter")
    response = client_for(citizen(family.kari)).get(f"/legemidler/resept/{row.pk}/")
    body = text(response)
    assert "Utleveringer 15. mai 2026: Folsyre Orifarm 0,4 mg tabletter, 90 tabletter. Utlevert av Apotek" in body
    assert "21. februar 2026: Folsyre" in body
    assert "Forespørselen sendes som en melding til Kirkeveien legesenter" in body
    assert f'action="/legemidler/resept/{row.pk}/fornyelse/"' in response.content.decode()
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_kari_for_ola_sees_his_prescription_and_the_read_is_in_his_log(family: Family):
    response = client_for(parent(family.kari, family.ola)).get("/legemidler/")
    assert response.status_code == 200
    body = text(response)
    assert "Ventoline 0,1 mg/dose inhalasjonsaerosol Status Gyldig Gyldig til 1. juni 2027 Uttak igjen 1 av 2" in body
    assert "Levaxin" not in body
    event = AuditEvent.objects.get(action="records:medicines:read")
    assert (event.subject_id, event.actor_person_id, event.outcome) == (family.ola.pk, family.kari.pk, Outcome.ALLOWED)


def test_kari_for_nora_never_sees_the_reserved_prescription(family: Family):
    kari = client_for(parent(family.kari, family.nora))
    response = kari.get("/legemidler/")
    assert response.status_code == 200
    assert "Aerius 5 mg tabletter" in text(response)
    assert RESERVED not in response.content.decode()
    reserved = row_of(family.nora, "Microgynon tabletter")
    assert kari.get(f"/legemidler/resept/{reserved.pk}/").status_code == 404
    assert kari.post(f"/legemidler/resept/{reserved.pk}/fornyelse/").status_code == 404
    event = AuditEvent.objects.filter(action="records:medicines:read", outcome=Outcome.ALLOWED).get()
    assert f"MedicationRequest/{reserved.pk}" not in event.resources
    assert not event.hidden_from_representatives


def test_nora_without_consent_is_not_let_in(family: Family):
    assert client_for(citizen(family.nora)).get("/legemidler/").status_code == 404
    aerius = row_of(family.nora, "Aerius 5 mg tabletter")
    assert client_for(citizen(family.nora)).get(f"/legemidler/resept/{aerius.pk}/").status_code == 404


def test_nora_with_consent_sees_her_own_in_the_window_the_reserved_too_and_no_gp_list(family: Family):
    youth_access.give(citizen(family.kari), family.nora.pk)
    old = medication_request(family.nora, "Gammel resept", today() - datetime.timedelta(days=500),
                             window_start(today()) - datetime.timedelta(days=1))  # fmt: skip
    edge = medication_request(family.nora, "Resept på kanten", today() - datetime.timedelta(days=400),
                              window_start(today()))  # fmt: skip
    nora = client_for(citizen(family.nora))
    response = nora.get("/legemidler/")
    assert response.status_code == 200
    body = text(response)
    assert "Aerius 5 mg tabletter" in body
    assert "Microgynon tabletter" in body  # hers: the reservation hides it from her parents, not from her
    assert "Resept på kanten" in body  # ended on the first day of the window
    assert "Gammel resept" not in body
    assert nora.get(f"/legemidler/resept/{old.pk}/").status_code == 404
    assert nora.get(f"/legemidler/resept/{edge.pk}/").status_code == 200
    assert "Legemiddellisten fra fastlegen" not in body
    assert "Be om fornyelse" not in body
    event = AuditEvent.objects.filter(action="records:medicines:read", actor_person_id=family.nora.pk).order_by("pk")[0]
    assert event.hidden_from_representatives  # it names the reserved prescription


def test_a_parent_of_a_16_year_old_without_power_is_refused_and_it_is_audited(family: Family):
    child = child_of(family.kari, 16)
    mine = medication_request(child, "Sekstenårings resept", today(), today() + datetime.timedelta(days=300))
    kari = client_for(parent(family.kari, child))
    for path in ("/legemidler/", f"/legemidler/resept/{mine.pk}/"):
        response = kari.get(path)
        assert response.status_code == 404
        assert "Sekstenårings" not in response.content.decode()
    assert kari.post(f"/legemidler/resept/{mine.pk}/fornyelse/").status_code == 404
    events = AuditEvent.objects.filter(action="records:medicines:read")
    assert {(e.subject_id, e.outcome, e.reason) for e in events} == {(child.pk, Outcome.DENIED, "child_is_16_or_older")}
    PowerOfAttorney.objects.create(giver=child, receiver=family.kari, area="medicines", valid_from=today())
    assert "Sekstenårings resept" in text(kari.get("/legemidler/"))


def test_an_unknown_foreign_or_withdrawn_id_is_404(family: Family):
    kari = client_for(citizen(family.kari))
    olas = row_of(family.ola, "Ventoline 0,1 mg/dose inhalasjonsaerosol")
    dispense = Record.objects.filter(person=family.kari, resource_type="MedicationDispense").first()
    withdrawn = medication_request(family.kari, "Feilregistrert", today(), None, entered_in_error=True)
    for pk in (olas.pk, dispense.pk, withdrawn.pk, 999999999):
        assert kari.get(f"/legemidler/resept/{pk}/").status_code == 404
        assert kari.post(f"/legemidler/resept/{pk}/fornyelse/").status_code == 404
    assert kari.get("/legemidler/resept/99999999999999999999999/").status_code == 404


@pytest.mark.parametrize("token", ["x", "gAAAAA" + "A" * 80, "a" * 5000, "æøå", "%00", "<script>"])
def test_a_forged_cursor_gives_the_first_page(family: Family, token: str):
    response = client_for(citizen(family.kari)).get("/legemidler/", {"etter": token})
    assert response.status_code == 200
    assert "Levaxin" in text(response)


def test_the_list_pages_by_cursor(family: Family):
    start = today() - datetime.timedelta(days=100)
    for n in range(55):
        medication_request(
            family.per,
            f"Legemiddel nr {n:02d}",
            start + datetime.timedelta(days=n),
            today() + datetime.timedelta(days=200),
        )
    per = client_for(citizen(family.per))
    first = per.get("/legemidler/").content.decode()
    assert "Legemiddel nr 54" in first
    assert "Legemiddel nr 04" not in first
    token = re.search(r'href="/legemidler/\?etter=([^"]+)"', first)
    assert token is not None
    second = per.get(f"/legemidler/?etter={token.group(1)}").content.decode()
    assert "Legemiddel nr 04" in second
    assert "Legemiddel nr 05" not in second


def test_a_corrected_prescription_says_endret(family: Family):
    row = row_of(family.kari, "Levaxin 50 mikrog tabletter")
    Record.objects.filter(pk=row.pk).update(updated=row.created + datetime.timedelta(days=3))
    body = text(client_for(citizen(family.kari)).get("/legemidler/"))
    levaxin = body[body.index("Levaxin 50 mikrog tabletter") : body.index("Ventoline")]
    assert "Endret" in levaxin
    assert "Endret" not in text(
        client_for(citizen(family.kari)).get(
            f"/legemidler/resept/{row_of(family.kari, 'Folsyre Orifarm 0,4 mg tabletter').pk}/"
        )
    )


def test_only_get_on_the_pages_and_only_logged_in(family: Family):
    assert client_for(citizen(family.kari)).post("/legemidler/").status_code == 405
    assert Client().get("/legemidler/").status_code in (302, 303)
    row = row_of(family.kari, "Levaxin 50 mikrog tabletter")
    assert client_for(citizen(family.kari)).get(f"/legemidler/resept/{row.pk}/fornyelse/").status_code == 405


def test_nora_s_read_of_her_reserved_prescription_is_not_on_the_log_her_mother_reads(family: Family):
    youth_access.give(citizen(family.kari), family.nora.pk)
    client_for(citizen(family.nora)).get("/legemidler/")  # names the reserved prescription: hidden from parents
    log = client_for(parent(family.kari, family.nora)).get("/logg/")
    assert log.status_code == 200
    assert "Så legemidler og resepter" not in text(log)
    client_for(parent(family.kari, family.nora)).get("/legemidler/")  # her own read, without it: on the log
    assert "Så legemidler og resepter" in text(client_for(parent(family.kari, family.nora)).get("/logg/"))
