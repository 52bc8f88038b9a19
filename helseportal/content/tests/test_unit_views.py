"""The public unit page and the staff side: rendering, consent, per-unit rights (404), uploads, form errors."""

import pytest
from django.test import Client
from django.urls import get_resolver
from wagtail.models import PageLogEntry

from helseportal.content import pictures, queries, services
from helseportal.content.models import Notice, StaffMember, UnitPage
from helseportal.content.services import StaffFields
from helseportal.content.tests.conftest import UNITS_URLCONF, page_of, picture, unit
from helseportal.core.actor import Actor
from helseportal.core.routes import Level, route_level
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from tests.test_routes import walk

pytestmark = [pytest.mark.django_db, pytest.mark.urls(UNITS_URLCONF)]

STAFF_HOME = "/helsepersonell/enhet/"


def _public_url(persona: personas.UnitPersona) -> str:
    return f"/enhet/{page_of(persona).slug}/"


def _as(client: Client, actor: Actor) -> Client:
    log_in(client, actor)
    return client


# --- the public page ----------------------------------------------------------------------------------------


def test_the_unit_page_is_public_and_shows_only_staff_with_consent(client: Client, demo: None):
    response = client.get(_public_url(personas.SHT_OSLO))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Skolehelsetjenesten er et gratis tilbud" in html
    assert "Ingrid Dahl" in html
    assert "9200345" in html
    assert "Jonas Lie" not in html  # no consent
    assert "23 46 10 10" in html
    assert "Åpningstider de neste sju dagene" in html  # from organisations.hours, not stored here


def test_a_missing_or_unpublished_page_is_404(client: Client, demo: None):
    assert client.get("/enhet/finnes-ikke/").status_code == 404
    page = page_of(personas.HFU_BERGEN)
    page.unpublish()
    assert client.get(f"/enhet/{page.slug}/").status_code == 404


def test_pictures_are_served_only_for_the_page_and_consenting_staff(client: Client, ingrid: Actor):
    services.update_unit_page(ingrid, display_name="Fjellhaug", about="", hours_note="", picture=picture())
    services.add_staff(ingrid, StaffFields("Med Samtykke", "Lege", consent_to_show=True), picture=picture())
    services.add_staff(ingrid, StaffFields("Uten Samtykke", "Lege"), picture=picture("JPEG", "b.jpg"))
    page = page_of(personas.SHT_OSLO)
    shown = StaffMember.objects.get(name="Med Samtykke").picture_id
    hidden = StaffMember.objects.get(name="Uten Samtykke").picture_id
    html = client.get(_public_url(personas.SHT_OSLO)).content.decode()
    assert f"/enhet/bilde/{page.picture_id}/" in html
    assert f"/enhet/bilde/{shown}/" in html
    assert f"/enhet/bilde/{hidden}/" not in html
    response = client.get(f"/enhet/bilde/{shown}/")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/png", "image/jpeg")
    assert client.get(f"/enhet/bilde/{hidden}/").status_code == 404
    assert client.get("/enhet/bilde/999999/").status_code == 404


def test_unit_routes_have_levels():
    levels = {route: route_level(p.callback, app) for route, p, app in walk(get_resolver(UNITS_URLCONF).url_patterns)}
    assert levels["enhet/<slug:slug>/"] == Level.PUBLIC
    assert levels["enhet/bilde/<id:image_id>/"] == Level.PUBLIC
    staff = {route: level for route, level in levels.items() if route.startswith("helsepersonell/enhet/")}
    assert len(staff) == 7
    assert set(staff.values()) == {Level.PRACTITIONER}


# --- the staff side: who gets in --------------------------------------------------------------------------


def test_the_editor_sees_the_staff_side(client: Client, ingrid: Actor):
    response = _as(client, ingrid).get(STAFF_HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Jonas Lie" in html  # editors see everyone, with the consent status
    assert "Nei, mangler samtykke" in html
    assert "Åpen dør i lunsjen neste uke" in html
    assert "Publiseres" in html


@pytest.mark.parametrize(
    ("who", "acting_for"),
    [
        ("ingrid", personas.HFU_OSLO),  # clinician at HFU Oslo, not its editor
        ("ingrid", None),  # no unit chosen
        ("lars", personas.MAJORSTUEN_GP),  # a GP office has no unit page
        ("mette", personas.HEALTH_STATION),
    ],
)
def test_anyone_but_the_units_editor_gets_404(
    client: Client, demo: None, who: str, acting_for: personas.UnitPersona | None
):
    persona = {"ingrid": personas.INGRID, "lars": personas.LARS, "mette": personas.METTE}[who]
    _as(client, actors.clinician(persona, acting_for))
    notice = Notice.objects.first()
    member = StaffMember.objects.first()
    assert notice is not None
    assert member is not None
    assert client.get(STAFF_HOME).status_code == 404
    assert client.get(f"{STAFF_HOME}side/").status_code == 404
    assert client.post(f"{STAFF_HOME}side/", {"display_name": "Kapret"}).status_code == 404
    assert client.post(f"{STAFF_HOME}ansatte/{member.pk}/fjern/").status_code == 404
    assert client.post(f"{STAFF_HOME}oppslag/{notice.pk}/trekk-tilbake/").status_code == 404
    assert page_of(personas.SHT_OSLO).display_name != "Kapret"
    assert Notice.objects.get(pk=notice.pk).live


def test_an_editor_of_one_unit_cannot_touch_another_units_notices_or_staff(client: Client, ingrid: Actor):
    hfu = services.ensure_unit_page(unit(personas.HFU_OSLO))
    hfu.staff = [StaffMember(name="Ansatt HFU", role="Lege", consent_to_show=True)]
    hfu.save_revision().publish()
    other = Notice(title="HFU", slug="hfu", school=unit(personas.SCHOOL_OSLO), grade_mask=1 << 10, text="x", sender="x")
    hfu.add_child(instance=other)
    other.save_revision().publish()
    member = UnitPage.objects.get(pk=hfu.pk).staff.get()
    _as(client, ingrid)  # editor at sht_oslo
    assert client.post(f"{STAFF_HOME}oppslag/{other.pk}/trekk-tilbake/").status_code == 404
    assert client.get(f"{STAFF_HOME}ansatte/{member.pk}/").status_code == 404
    assert client.post(f"{STAFF_HOME}ansatte/{member.pk}/fjern/").status_code == 404
    assert Notice.objects.get(pk=other.pk).live
    assert StaffMember.objects.filter(pk=member.pk).exists()


def test_anonymous_and_citizens_are_sent_to_helseid(client: Client, demo: None):
    response = client.get(STAFF_HOME)
    assert response.status_code == 302
    assert "helseid" in response["Location"].lower()
    _as(client, actors.citizen(personas.KARI))
    assert client.get(STAFF_HOME).status_code == 302


def test_posts_need_the_csrf_token(ingrid: Actor):
    client = Client(enforce_csrf_checks=True)
    log_in(client, ingrid)
    assert client.post(f"{STAFF_HOME}side/", {"display_name": "Uten token"}).status_code == 403


# --- the staff side: writing ------------------------------------------------------------------------------


def test_editing_the_page_publishes_a_revision_with_the_practitioner_in_the_history(client: Client, ingrid: Actor):
    page = page_of(personas.SHT_OSLO)
    revisions = page.revisions.count()
    data = {
        "display_name": "Helsesykepleier på Fjellhaug",
        "about": "Første avsnitt.\n\nAndre avsnitt.",
        "hours_note": "Drop-in",
    }
    response = _as(client, ingrid).post(f"{STAFF_HOME}side/", data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.display_name == "Helsesykepleier på Fjellhaug"
    assert page.about == "<p>Første avsnitt.</p><p>Andre avsnitt.</p>"
    assert page.revisions.count() == revisions + 1
    entry = PageLogEntry.objects.filter(page=page, action="helseportal.staff_side").latest("timestamp")
    assert entry.data["practitioner"] == "Ingrid Dahl"
    assert "Ingrid Dahl" in entry.message
    html = client.get(_public_url(personas.SHT_OSLO)).content.decode()
    assert "Helsesykepleier på Fjellhaug" in html
    assert "Andre avsnitt." in html


def test_markup_in_the_about_text_is_escaped(client: Client, ingrid: Actor):
    data = {"display_name": "Fjellhaug", "about": "<script>alert(1)</script>", "hours_note": ""}
    _as(client, ingrid).post(f"{STAFF_HOME}side/", data)
    assert "<script>" not in page_of(personas.SHT_OSLO).about
    assert "<script>alert" not in client.get(_public_url(personas.SHT_OSLO)).content.decode()


def test_adding_editing_and_removing_staff(client: Client, ingrid: Actor):
    _as(client, ingrid)
    data = {
        "name": "Per Jordmor",
        "role": "Jordmor",
        "grades": "8–10",
        "hpr_number": "1234567",
        "consent_to_show": "on",
    }
    assert client.post(f"{STAFF_HOME}ansatte/ny/", data).status_code == 302
    member = page_of(personas.SHT_OSLO).staff.get(name="Per Jordmor")
    assert "Per Jordmor" in client.get(_public_url(personas.SHT_OSLO)).content.decode()
    data.pop("consent_to_show")
    assert client.post(f"{STAFF_HOME}ansatte/{member.pk}/", data).status_code == 302
    assert "Per Jordmor" not in client.get(_public_url(personas.SHT_OSLO)).content.decode()
    assert client.post(f"{STAFF_HOME}ansatte/{member.pk}/fjern/").status_code == 302
    assert not page_of(personas.SHT_OSLO).staff.filter(name="Per Jordmor").exists()


@pytest.mark.parametrize("hpr", ["12ab567", "123", "1234567890", "12 34567"])
def test_a_bad_hpr_number_is_a_form_error(client: Client, ingrid: Actor, hpr: str):
    data = {"name": "Feil", "role": "Lege", "hpr_number": hpr}
    response = _as(client, ingrid).post(f"{STAFF_HOME}ansatte/ny/", data)
    assert response.status_code == 400
    assert "HPR-nummeret skal bare ha sifre" in response.content.decode()
    assert not StaffMember.objects.filter(name="Feil").exists()


def test_a_png_picture_is_stored(client: Client, ingrid: Actor):
    data = {"display_name": "Fjellhaug", "about": "", "hours_note": "", "picture": picture()}
    assert _as(client, ingrid).post(f"{STAFF_HOME}side/", data).status_code == 302
    assert page_of(personas.SHT_OSLO).picture is not None


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: picture("GIF", "bilde.gif"), "Bildet må være JPEG eller PNG."),
        (lambda: picture("GIF", "lurt.png"), "Bildet må være JPEG eller PNG."),  # the name does not decide
        (lambda: _text_file("bilde.jpg"), "Filen er ikke et bilde vi kan lese."),
        (lambda: _big_file(), "Bildet er for stort."),
    ],
)
def test_only_jpeg_and_png_within_the_size_limit_are_accepted(client: Client, ingrid: Actor, upload, message: str):
    data = {"display_name": "Fjellhaug", "about": "", "hours_note": "", "picture": upload()}
    response = _as(client, ingrid).post(f"{STAFF_HOME}side/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert page_of(personas.SHT_OSLO).picture is None


def _text_file(name: str) -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"dette er ikke et bilde", content_type="image/jpeg")


def _big_file() -> object:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("stor.png", b"\x89PNG\r\n\x1a\n" + b"0" * (pictures.MAX_PICTURE_BYTES + 1), "image/png")


def _notice_data(**changes: str | list[str]) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str]] = {
        "title": "Vaksinasjon",
        "school": str(unit(personas.SCHOOL_OSLO).pk),
        "grades": ["8", "9"],
        "text": "Husk skjemaet.",
        "sender": "Helsesykepleier Ingrid",
        "link1_label": "Les mer",
        "link1_url": "https://www.helsenorge.no/",
    }
    return data | changes


def test_creating_a_notice_now_and_one_scheduled(client: Client, ingrid: Actor):
    _as(client, ingrid)
    assert client.post(f"{STAFF_HOME}oppslag/nytt/", _notice_data()).status_code == 302
    school = unit(personas.SCHOOL_OSLO).pk
    notice = next(n for n in queries.notices_for(school, 8) if n.title == "Vaksinasjon")
    assert [(link.label, link.url) for link in notice.links.all()] == [("Les mer", "https://www.helsenorge.no/")]
    scheduled = _notice_data(title="Senere", go_live_at="2099-01-05T08:00")
    assert client.post(f"{STAFF_HOME}oppslag/nytt/", scheduled).status_code == 302
    assert "Senere" not in [n.title for n in queries.notices_for(school, 8)]
    assert "Publiseres 5. januar 2099 08:00" in client.get(STAFF_HOME).content.decode()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"link1_url": "http://example.org/"}, "Lenken må begynne med https://."),
        ({"link1_url": "javascript:alert(1)"}, "https://"),
        ({"grades": []}, "Velg minst ett trinn."),
        ({"school": str(10**6)}, "Velg et gyldig valg"),
        ({"expire_at": "2000-01-01T08:00"}, "Oppslaget må utløpe etter at det er publisert."),
        ({"go_live_at": "i morgen"}, "Skriv dato og klokkeslett"),
    ],
)
def test_a_bad_notice_is_a_form_error_and_nothing_is_saved(client: Client, ingrid: Actor, changes, message: str):
    count = Notice.objects.count()
    response = _as(client, ingrid).post(f"{STAFF_HOME}oppslag/nytt/", _notice_data(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Notice.objects.count() == count


def test_a_school_outside_the_units_reach_is_refused(ingrid: Actor):
    from helseportal.core.errors import Refused

    with pytest.raises(Refused):
        services.create_notice(
            ingrid, title="x", school_id=unit(personas.SCHOOL_BERGEN).pk, grades=[8], text="x", sender="x"
        )


def test_withdrawing_a_notice(client: Client, ingrid: Actor):
    school = unit(personas.SCHOOL_OSLO).pk
    notice = queries.notices_for(school, 9)[0]
    assert _as(client, ingrid).post(f"{STAFF_HOME}oppslag/{notice.pk}/trekk-tilbake/").status_code == 302
    assert queries.notices_for(school, 9) == []
    assert "Trukket tilbake" in client.get(STAFF_HOME).content.decode()
