"""The paper card's fields issue 16 found missing: on her card, on the practitioner's card, in both PDFs.

Kari (24+3) shares her card with midwife Mette (read and write). Each field is written the way it would be on the
paper card: the birth plan, the co-parent, earlier births and a vaccine from a pharmacy by her; the due-date
correction, ultrasound, NIPT, urine glucose, anti-D, the birth status and the week-24 vaccine by Mette.
"""

import datetime
import io

import pytest
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from helseportal.access.models import AuditEvent, SharingGrant
from helseportal.core.actor import Actor
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.pregnancy import services
from helseportal.pregnancy.dates import gestational_age
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.tests.card_fields_data import BORN_AT, fill, on
from helseportal.pregnancy.tests.test_card_views import client_for, share_with_mette, start_at

pytestmark = pytest.mark.django_db

# What each field puts on the card, as a reader sees it (her page, the practitioner's page and the PDF).
SHOWN = {
    "corrected due date": ["Korrigert termin", "Assistert befruktning: regnet fra dato for innsetting"],
    "ultrasound due date": ["Termin etter ultralyd"],
    "earlier birth": ["Tidligere fødsler", "2016", "Vakuum (sugekopp)", "3720", "Langvarig fødsel"],
    "ultrasound": ["Tidlig ultralyd (uke 11–14)", "12+4", "Bakre vegg", "Ett levende foster"],
    "nipt": ["NIPT", "Lav sannsynlighet for trisomi 21, 18 og 13"],
    "urine glucose": ["Glukose i urin", "Spor"],
    "birth": ["Levendefødt", "03:12"],
    "vaccines": ["Kikhoste", "Influensa", "Apotek"],
    "birth plan": [
        "Fødeplan og søknad om fødested",
        "Badekar og lystgass",
        "Fødeavdelingen, Oslo sykehus",
        "Fått plass",
    ],
    "co-parent": ["Den andre forelderen", "Jonas Nordmann", "+4791234567", "Samboer"],
    "anti-D": ["Anti-D, dose", "1500 IE", "Anti-D, dato gitt"],
    "GDM risk": ["Risiko for svangerskapsdiabetes", "Jeg har hatt svangerskapsdiabetes før"],
}


@pytest.fixture
def pregnancy(kari: Actor) -> Pregnancy:
    return start_at(kari)


@pytest.fixture
def lars(kari: Actor) -> Actor:
    return actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)


@pytest.fixture
def filled(kari: Actor, mette: Actor, pregnancy: Pregnancy) -> Pregnancy:
    return fill(kari, mette, pregnancy)


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def _missing(text: str) -> dict[str, list[str]]:
    """The values of SHOWN not in `text`, its line breaks read as spaces and hyphenated words joined again (table
    cells wrap on paper, and the consultation table's headers are hyphenated)."""
    text = " ".join(text.replace("\u2010\n", "").split())
    gaps = {name: [v for v in values if v not in text] for name, values in SHOWN.items()}
    return {name: values for name, values in gaps.items() if values}


# --- Shown to both, on the page and on paper -------------------------------------------------------------------


def test_every_new_field_is_on_her_card(kari: Actor, filled: Pregnancy) -> None:
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    assert _missing(html) == {}
    assert "Ja" in html.split("Jeg har hatt svangerskapsdiabetes før", 1)[1][:40]


def test_every_new_field_is_on_the_practitioners_card(mette: Actor, filled: Pregnancy) -> None:
    html = client_for(mette).get(reverse("pregnancy:practitioner_card", args=[filled.pk])).content.decode()
    assert _missing(html) == {}
    assert "Mette Berg (HPR 9144889)" in html.split('id="felt-ultralyd"', 1)[1]


def test_every_new_field_is_in_her_pdf_and_in_the_practitioners(kari: Actor, mette: Actor, filled: Pregnancy) -> None:
    hers = pdf_text(client_for(kari).get(reverse("pregnancy:pdf")).content)
    theirs = pdf_text(client_for(mette).get(reverse("pregnancy:practitioner_pdf", args=[filled.pk])).content)
    assert _missing(hers) == {}
    assert _missing(theirs) == {}
    assert "Marker som feilregistrert" not in hers


def test_the_corrected_due_date_is_the_one_the_card_counts_from(mette: Actor, filled: Pregnancy) -> None:
    filled.refresh_from_db()
    assert filled.due_date_source == "corrected"
    by_correction = gestational_age(filled.due_date_corrected, today())
    assert by_correction != gestational_age(filled.due_date_ultrasound, today())
    html = client_for(mette).get(reverse("pregnancy:practitioner_card", args=[filled.pk])).content.decode()
    assert "(korrigert)" in html
    assert f"<dt>Svangerskapsuke</dt><dd>{by_correction}</dd>" in html


def test_the_ultrasound_due_date_now_says_who_set_it_and_when(mette: Actor, filled: Pregnancy) -> None:
    entry = filled.due_dates.get(method="ultrasound")
    assert (entry.author_hpr_number, entry.author_unit_name) == (personas.METTE.hpr_number, "Frogner helsestasjon")
    filled.refresh_from_db()
    assert filled.due_date_ultrasound == entry.due_date


# --- Who writes what --------------------------------------------------------------------------------------------


def test_she_writes_earlier_births_and_a_vaccine_she_got_elsewhere(kari: Actor, pregnancy: Pregnancy) -> None:
    client = client_for(kari)
    response = client.post(reverse("pregnancy:earlier_birth"), {"year": "2011", "weeks": "40", "mode": "vaginal"})
    assert response.status_code == 302
    data = {"vaccine": "covid19", "date": today().isoformat(), "place": "Apotek 1"}
    assert client.post(reverse("pregnancy:vaccination"), data).status_code == 302
    html = client.get(reverse("pregnancy:card")).content.decode()
    block = html.split('id="felt-vaksiner"', 1)[1].split("</section>", 1)[0]
    assert "Covid-19" in block
    assert "Egenregistrert" in block
    assert pregnancy.vaccinations.get().self_reported
    assert "Folkehelseinstituttet: Vaksinasjon av gravide og ammende" in html  # the source of the advice


def test_the_vaccine_form_cites_the_recommendation(kari: Actor, pregnancy: Pregnancy) -> None:
    html = client_for(kari).get(reverse("pregnancy:vaccination")).content.decode()
    assert "Kikhoste: tilbys alle gravide ved svangerskapskontrollen i uke 24" in html
    assert "Kilde" in html
    assert "fhi.no/va/vaksinasjonshandboka" in html


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("add_ultrasound", {"kind": "routine", "date": "{d18}", "ga": "18+2", "fetuses": "1", "placenta": "fundal"}),
        ("add_nipt", {"date": "{d11}", "result": "t21", "note": "Henvist til fostermedisin"}),
        ("correct_due_date", {"due_date": "{due}", "reason": "new_ultrasound"}),
        ("add_birth_outcome", {"fetus": "1", "status": "stillborn", "date": "{today}", "time": "01:30"}),
        ("practitioner_vaccination", {"vaccine": "influenza", "date": "{today}"}),
        ("practitioner_earlier_birth", {"year": "2019", "weeks": "41", "birth_weight_g": "4100"}),
    ],
)
def test_mettes_forms_save_with_her_name_hpr_and_unit(
    kari: Actor, mette: Actor, pregnancy: Pregnancy, name: str, data: dict[str, str]
) -> None:
    share_with_mette(kari)
    dates = {
        "{d18}": on(pregnancy, 18, 2),
        "{d11}": on(pregnancy, 11),
        "{due}": pregnancy.due_date + datetime.timedelta(3),
        "{today}": today(),
    }
    posted = {k: (dates[v].isoformat() if v in dates else v) for k, v in data.items()}
    client = client_for(mette)
    url = reverse(f"pregnancy:{name}", args=[pregnancy.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, posted)
    assert response.status_code == 302, response.content.decode()
    html = client.get(response["Location"]).content.decode()
    assert "Mette Berg (HPR 9144889), Frogner helsestasjon" in html


def test_she_cannot_use_the_practitioners_forms_or_write_what_health_personnel_write(
    kari: Actor, pregnancy: Pregnancy
) -> None:
    url = reverse("pregnancy:add_ultrasound", args=[pregnancy.pk])
    assert client_for(kari).post(url, {"kind": "other", "date": today().isoformat()}).status_code == 302  # HelseID
    with pytest.raises(services.Refused), transaction.atomic():
        services.add_ultrasound(kari, pregnancy, kind="other", date=today())
    with pytest.raises(services.Refused), transaction.atomic():
        services.correct_due_date(kari, pregnancy, due_date=today(), reason="other", note="x")
    assert not pregnancy.ultrasounds.exists()
    assert not pregnancy.due_dates.exists()


def test_a_read_grant_shows_the_fields_but_no_form(kari: Actor, mette: Actor, filled: Pregnancy) -> None:
    SharingGrant.objects.filter(person_id=filled.person_id).update(permission="read")
    client = client_for(mette)
    html = client.get(reverse("pregnancy:practitioner_card", args=[filled.pk])).content.decode()
    assert "Tidlig ultralyd (uke 11–14)" in html
    assert reverse("pregnancy:add_ultrasound", args=[filled.pk]) not in html
    assert client.get(reverse("pregnancy:add_ultrasound", args=[filled.pk])).status_code == 404


def test_a_clinician_she_has_not_shared_with_gets_404_from_every_form(lars: Actor, pregnancy: Pregnancy) -> None:
    client = client_for(lars)
    for name in ("add_ultrasound", "add_nipt", "correct_due_date", "add_birth_outcome", "practitioner_vaccination"):
        assert client.get(reverse(f"pregnancy:{name}", args=[pregnancy.pk])).status_code == 404


# --- Bad input: a Norwegian answer, never a 500, nothing saved ---------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        (
            "add_ultrasound",
            {"kind": "early", "date": "{today}", "ga": "16+0"},
            "Tidlig ultralyd (uke 11–14) gjøres i uke 11+0–13+6",
        ),
        (
            "add_ultrasound",
            {"kind": "other", "date": "{today}", "ga": "tolv"},
            "Skriv svangerskapslengden som uker+dager",
        ),
        ("add_ultrasound", {"kind": "other", "date": "{tomorrow}"}, "Datoen må være i svangerskapet"),
        (
            "add_ultrasound",
            {"kind": "other", "date": "{today}", "fetuses": "9"},
            "Antall fostre må være mellom 1 og 6.",
        ),
        ("add_nipt", {"date": "{today}"}, "Dette feltet er påkrevet."),
        ("correct_due_date", {"due_date": "{today}", "reason": "other"}, "Skriv hvorfor terminen er korrigert."),
        ("correct_due_date", {"due_date": "2020-01-01", "reason": "new_ultrasound"}, "mellom seks uker tilbake"),
        (
            "add_birth_outcome",
            {"fetus": "1", "status": "live", "date": "{today}", "time": "23:59"},
            "kan ikke være fram i tid",
        ),
        (
            "add_birth_outcome",
            {"fetus": "3", "status": "live", "date": "{today}", "time": "01:00"},
            "Velg et gyldig valg",
        ),
        ("practitioner_vaccination", {"vaccine": "pertussis", "date": "2020-01-01"}, "Datoen må være i svangerskapet"),
        ("practitioner_earlier_birth", {"year": "1800"}, "Skriv et årstall mellom 1950 og"),
        (
            "practitioner_earlier_birth",
            {"year": "2019", "birth_weight_g": "50"},
            "Fødselsvekten må være mellom 300 og 7000",
        ),
        (
            "practitioner_earlier_birth",
            {"year": "2019", "weeks": "12"},
            "Svangerskapsuken ved en fødsel er mellom 22 og 45.",
        ),
    ],
)
def test_the_practitioners_forms_refuse_bad_input_in_norwegian(
    kari: Actor, mette: Actor, pregnancy: Pregnancy, name: str, data: dict[str, str], message: str
) -> None:
    share_with_mette(kari)
    dates = {"{today}": today(), "{tomorrow}": today() + datetime.timedelta(1)}
    posted = {k: (dates[v].isoformat() if v in dates else v) for k, v in data.items()}
    response = client_for(mette).post(reverse(f"pregnancy:{name}", args=[pregnancy.pk]), posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert "Ingenting er lagret" in response.content.decode()
    counts = [pregnancy.ultrasounds, pregnancy.nipts, pregnancy.due_dates, pregnancy.birth_outcomes]
    assert not any(q.exists() for q in [*counts, pregnancy.vaccinations, pregnancy.earlier_births])


@pytest.mark.parametrize(
    ("url", "data", "message"),
    [
        ("pregnancy:earlier_birth", {"year": "elleve"}, "Skriv årstallet med fire siffer."),
        ("pregnancy:vaccination", {"vaccine": "rabies", "date": "{today}"}, "Velg et gyldig valg"),
        ("pregnancy:vaccination", {"vaccine": "influenza", "date": "31.02.2026"}, "Skriv datoen som dd.mm.åååå."),
        ("pregnancy:section:co_parent", {"phone": "ring meg"}, "Skriv et telefonnummer med åtte siffer"),
        ("pregnancy:section:birth_plan", {"application_status": "maybe"}, "Velg et gyldig valg"),
        ("pregnancy:section:birth_plan", {"applied_on": "{tomorrow}"}, "Datoen kan ikke være fram i tid."),
    ],
)
def test_her_forms_refuse_bad_input_in_norwegian(
    kari: Actor, pregnancy: Pregnancy, url: str, data: dict[str, str], message: str
) -> None:
    dates = {"{today}": today(), "{tomorrow}": today() + datetime.timedelta(1)}
    posted = {k: (dates[v].isoformat() if v in dates else v) for k, v in data.items()}
    _name, _, section = url.partition(":section:")
    target = reverse("pregnancy:section", args=[section]) if section else reverse(url)
    response = client_for(kari).post(target, posted)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not (pregnancy.vaccinations.exists())
    assert not (pregnancy.earlier_births.exists())
    assert not (pregnancy.sections.exists())


def test_the_anti_d_dose_and_urine_glucose_refuse_typos(kari: Actor, mette: Actor, pregnancy: Pregnancy) -> None:
    share_with_mette(kari)
    client = client_for(mette)
    rhd = client.post(
        reverse("pregnancy:practitioner_section", args=[pregnancy.pk, "rhd"]), {"anti_d_dose_iu": "15000"}
    )
    assert rhd.status_code == 400
    assert "Skriv et tall mellom 100 og 5000." in rhd.content.decode()
    data = {"date": today().isoformat(), "urine_glucose": "9"}
    consultation = client.post(reverse("pregnancy:add_consultation", args=[pregnancy.pk]), data)
    assert consultation.status_code == 400
    assert "Velg et gyldig valg" in consultation.content.decode()


def test_a_phone_number_is_kept_in_one_form(kari: Actor, pregnancy: Pregnancy) -> None:
    client = client_for(kari)
    client.post(reverse("pregnancy:section", args=["co_parent"]), {"name": "Jonas", "phone": "912 34 567"})
    assert pregnancy.sections.get(section="co_parent").data["phone"] == "+4791234567"


# --- Nothing lost ------------------------------------------------------------------------------------------------


def test_a_wrong_ultrasound_is_marked_in_error_kept_and_listed_apart(mette: Actor, filled: Pregnancy) -> None:
    scan = filled.ultrasounds.get()
    client = client_for(mette)
    url = reverse("pregnancy:practitioner_mark_in_error", args=[filled.pk, "ultralyd", scan.pk])
    html = client.get(reverse("pregnancy:practitioner_card", args=[filled.pk])).content.decode()
    assert url in html
    assert client.post(url).status_code == 302
    html = client.get(reverse("pregnancy:practitioner_card", args=[filled.pk])).content.decode()
    assert "Ingen ultralyd er registrert ennå." in html
    assert "Feilregistrerte oppføringer" in html
    assert "Tidlig ultralyd (uke 11–14) " in html
    scan.refresh_from_db()
    assert scan.in_error


def test_she_corrects_her_own_vaccine_but_not_the_midwifes(kari: Actor, filled: Pregnancy) -> None:
    hers, theirs = filled.vaccinations.get(vaccine="influenza"), filled.vaccinations.get(vaccine="pertussis")
    client = client_for(kari)
    html = client.get(reverse("pregnancy:card")).content.decode()
    assert reverse("pregnancy:mark_in_error", args=["vaksine", hers.pk]) in html
    assert reverse("pregnancy:mark_in_error", args=["vaksine", theirs.pk]) not in html
    assert client.post(reverse("pregnancy:mark_in_error", args=["vaksine", theirs.pk])).status_code == 404
    assert client.post(reverse("pregnancy:mark_in_error", args=["vaksine", hers.pk])).status_code == 302
    hers.refresh_from_db()
    theirs.refresh_from_db()
    assert hers.in_error
    assert not theirs.in_error


def test_a_correction_in_error_gives_the_ultrasound_due_date_back(mette: Actor, filled: Pregnancy) -> None:
    correction = filled.due_dates.get(method="corrected")
    with transaction.atomic():
        services.mark_in_error(mette, "termin", correction.pk)
    filled.refresh_from_db()
    assert filled.due_date_source == "ultrasound"
    assert filled.due_date == filled.due_dates.get(method="ultrasound").due_date


def test_one_birth_status_per_fetus_until_the_first_is_marked_in_error(mette: Actor, filled: Pregnancy) -> None:
    with pytest.raises(services.Refused, match="allerede registrert"), transaction.atomic():
        services.add_birth_outcome(mette, filled, fetus=1, status="stillborn", born_at=BORN_AT)
    first = filled.birth_outcomes.get()
    with transaction.atomic():
        services.mark_in_error(mette, "fodsel", first.pk)
        services.add_birth_outcome(mette, filled, fetus=1, status="live", born_at=BORN_AT - datetime.timedelta(hours=1))
    assert filled.birth_outcomes.count() == 2


def test_the_birth_form_answers_a_second_birth_of_a_fetus_in_norwegian(mette: Actor, filled: Pregnancy) -> None:
    data = {"fetus": "1", "status": "live", "date": today().isoformat(), "time": "02:00"}
    response = client_for(mette).post(reverse("pregnancy:add_birth_outcome", args=[filled.pk]), data)
    assert response.status_code == 400
    assert "Fødselen til dette fosteret er allerede registrert." in response.content.decode()


def test_an_ultrasound_that_counts_twins_sets_the_cards_fetuses(
    mette: Actor, kari: Actor, pregnancy: Pregnancy
) -> None:
    share_with_mette(kari)
    with transaction.atomic():
        services.add_ultrasound(mette, pregnancy, kind="other", date=today(), fetuses=2)
    pregnancy.refresh_from_db()
    assert pregnancy.number_of_fetuses == 2
    form = client_for(mette).get(reverse("pregnancy:add_birth_outcome", args=[pregnancy.pk])).content.decode()
    assert "Foster 2" in form


# --- The GDM risk answers: hers, read-only on the card ------------------------------------------------------------


def test_her_gdm_risk_answers_are_on_the_card_and_cannot_be_edited_there(kari: Actor, filled: Pregnancy) -> None:
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    block = html.split('id="felt-gdm"', 1)[1].split("</section>", 1)[0]
    assert "Jeg har hatt svangerskapsdiabetes før</dt><dd>Ja" in block
    assert "Jeg har hatt svangerskapsforgiftning (preeklampsi)</dt><dd>Nei" in block
    assert "Mor, far, bror eller søster har diabetes</dt><dd>Ikke besvart" in block
    assert "De kan ikke endres her." in block
    assert "<form" not in block
    assert "href" not in block


def test_without_a_sent_form_the_card_says_so(kari: Actor, pregnancy: Pregnancy) -> None:
    html = client_for(kari).get(reverse("pregnancy:card")).content.decode()
    assert "Kartleggingen før første svangerskapskontroll er ikke sendt ennå." in html


def test_setting_the_ultrasound_due_date_is_audited_once_naming_its_entry(
    kari: Actor, mette: Actor, pregnancy: Pregnancy
) -> None:
    share_with_mette(kari)
    due = (pregnancy.due_date + datetime.timedelta(2)).isoformat()
    client_for(mette).post(reverse("pregnancy:set_due_date", args=[pregnancy.pk]), {"due_date_ultrasound": due})
    entry = pregnancy.due_dates.get()
    event = AuditEvent.objects.get(action="pregnancy:pregnancy:updated")
    assert f"DueDateEntry/{entry.pk}" in event.resources
    assert entry.author_name == "Mette Berg"
