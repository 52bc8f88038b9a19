"""A parent acting for her daughter never sees the youth service, nor any trace of it (issue 5, DOMAIN.md §2, §4).

Nora (15) uses every youth page with MinID, asks the school nurse for a time, and Ingrid confirms it. Then Kari,
her mother, logs in with BankID and chooses Nora in the person picker: every page a parent can reach must be
free of the request, the appointment, the nurse, the school health service and every audit row they left.
"""

import datetime
import io
from collections.abc import Iterator
from importlib import import_module

import pytest
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import get_resolver
from django.utils import timezone
from pypdf import PdfReader

from helseportal.access.models import AuditEvent
from helseportal.appointments import services
from helseportal.appointments.models import Appointment, AppointmentRequest, FreeTime
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.routes import Level, route_level
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.appointments import load_appointments
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person
from helseportal.identity.signals import login_succeeded
from helseportal.organisations.models import Unit
from tests.test_routes import walk

pytestmark = pytest.mark.django_db
RULE = import_module("helseportal.appointments.migrations.0002_no_double_booking")
REASON = "Jeg lurer på noe om prevensjon"
YOUTH_PAGES = ["/ungdom/", "/ungdom/skole/", "/ungdom/be-om-time/", "/ungdom/mine-timer/"]
# The audit log's texts for the youth path's events (access/audit/codes.py). Not "Så timeavtalene": Kari's own
# read of Nora's ordinary Timeavtaler is logged with that text, rightly; the rows themselves are checked by id.
YOUTH_AUDIT_TEXTS = [
    "Ba om time",
    "Helsepersonell så timeønsket",
    "Helsepersonell svarte på timeønsket",
    "Fikk en timeavtale",
    "Lastet ned timeavtalen",
    "Helsepersonell så timen i kalenderen",
]


@pytest.fixture
def story() -> dict[str, object]:
    """Nora's youth story, done through the pages (and Ingrid's answer through the service the staff page calls)."""
    RULE.install_rule(connection)
    load_demo()
    load_unit_pages()
    load_appointments()
    nora_person = Person.objects.get(pid=personas.NORA.pid)
    nora = actors.of_person(nora_person, Assurance.SUBSTANTIAL).acting_for(nora_person.pk, Role.YOUTH)
    nora_client = Client()
    log_in(nora_client, nora)
    for path in YOUTH_PAGES:
        assert nora_client.get(path).status_code == 200
    sent = nora_client.post("/ungdom/be-om-time/", {"meeting_form": "phone", "phone": "91234567", "reason": REASON})
    assert sent.status_code == 302
    request = AppointmentRequest.objects.get(person=nora_person)

    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    staff = Client()
    log_in(staff, ingrid)
    assert REASON in staff.get("/helsepersonell/timeavtaler/").content.decode()
    assert staff.get(f"/helsepersonell/timeavtaler/timeonske/{request.pk}/").status_code == 200
    free = FreeTime.objects.filter(unit__orgnr=personas.SHT_OSLO.orgnr, starts_at__gt=timezone.now()).first()
    assert free is not None
    appointment = services.answer_request(ingrid, request.pk, meeting_form="phone", free_time_id=free.pk)
    assert "Ingrid Dahl" in nora_client.get("/ungdom/mine-timer/").content.decode()
    assert nora_client.get(f"/ungdom/mine-timer/{appointment.pk}/ungdomstime.ics").status_code == 200
    sht = Unit.objects.get(orgnr=personas.SHT_OSLO.orgnr)
    youth_rows = set(AuditEvent.objects.filter(subject_id=nora_person.pk).values_list("pk", flat=True))
    return {
        "nora": nora_person,
        "appointment": appointment,
        "sht": sht,
        "ingrid_id": ingrid.practitioner_key,
        "youth_rows": youth_rows,
    }


def traces(story: dict[str, object], *, audit_texts: bool = True) -> list[str]:
    """Every text that would give the youth service away (the audit texts only on a log that is Nora's)."""
    sht = story["sht"]
    assert isinstance(sht, Unit)
    return [
        REASON,
        "Ingrid Dahl",
        personas.INGRID.hpr_number,
        sht.name,
        sht.shown_name,
        "Fjellhaug",
        "Ungdomstime",
        "ungdomstime.ics",
        "/ungdom/mine-timer/",
        *(YOUTH_AUDIT_TEXTS if audit_texts else []),
    ]


def parent_routes() -> Iterator[str]:
    """Every GET route at level high or substantial that takes no argument, from the URLconf itself."""
    for route, pattern, app in walk(get_resolver().url_patterns):
        if "<" in route or pattern.pattern.regex.pattern.startswith("^(?P"):
            continue
        if route_level(pattern.callback, app) in (Level.HIGH, Level.SUBSTANTIAL):
            yield "/" + route


def kari_as(client: Client, person: Person | None) -> None:
    """Kari logs in with BankID and, when `person` is given, chooses them in the person picker."""
    log_in(client, actors.citizen(personas.KARI))
    if person is not None:
        chosen = client.post("/velg-person/", {"person": str(person.pk)})
        assert chosen.status_code == 302
        assert Actor.from_session(client.session["actor"]).subject_id == person.pk


def log_urls(story: dict[str, object]) -> list[str]:
    today = timezone.localdate().isoformat()
    sht = story["sht"]
    assert isinstance(sht, Unit)
    return [
        "/logg/",
        "/logg/?include_own=on",
        f"/logg/?date_from={today}&date_to={today}&include_own=on",
        f"/logg/?who=unit:{sht.pk}&include_own=on",
        f"/logg/?who=practitioner:{story['ingrid_id']}&include_own=on",
        "/logg/?page=2&include_own=on",
    ]


def _text(response: HttpResponse) -> str:
    """A page's HTML, or a PDF's text (the vaccination certificate is a GET route too)."""
    if response.get("Content-Type") == "application/pdf":
        return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode()


def assert_no_trace(
    client: Client, paths: list[str], story: dict[str, object], *, audit_texts: bool = True
) -> list[str]:
    seen = []
    for path in paths:
        response = client.get(path)
        assert response.status_code < 500, path
        html = _text(response)
        found = [text for text in traces(story, audit_texts=audit_texts) if text in html]
        assert not found, f"{path} shows {found}"
        page = response.context["page"] if response.context and "page" in response.context else None
        if page is not None and hasattr(page, "object_list"):
            listed = {getattr(event, "pk", None) for event in page.object_list}
            assert not listed & story["youth_rows"], f"{path} lists audit rows of Nora's youth story"  # type: ignore[operator]
        seen.append(f"{response.status_code} {path}")
    return seen


def test_the_walk_finds_the_parent_facing_pages():
    routes = set(parent_routes())
    assert {"/timeavtaler/", "/meldinger/", "/logg/", "/min-side/", "/profil/"} <= routes


def test_kari_acting_for_nora_sees_no_trace_on_any_page(story: dict[str, object]):
    client = Client()
    kari_as(client, story["nora"])  # type: ignore[arg-type]
    paths = [p for p in parent_routes() if not p.startswith("/ungdom/")]
    paths += ["/timeavtaler/", "/timeavtaler/timeonsker/", "/meldinger/", "/min-side/", "/profil/"]
    paths += log_urls(story)
    seen = assert_no_trace(client, paths, story)
    assert "200 /timeavtaler/" in seen
    assert "200 /logg/?include_own=on" in seen


def test_kari_acting_for_nora_gets_404_on_every_youth_page(story: dict[str, object]):
    client = Client()
    kari_as(client, story["nora"])  # type: ignore[arg-type]
    appointment = story["appointment"]
    assert isinstance(appointment, Appointment)
    private = [p for p in parent_routes() if p.startswith("/ungdom/") and p != "/ungdom/finn-hfu/"]
    assert set(private) >= set(YOUTH_PAGES)
    private += [
        f"/ungdom/mine-timer/{appointment.pk}/avbestill/",
        f"/ungdom/mine-timer/{appointment.pk}/ungdomstime.ics",
    ]
    for path in private:
        assert client.get(path).status_code == 404, path
    assert client.post(f"/ungdom/mine-timer/{appointment.pk}/avbestill/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == "booked"


def test_the_public_hfu_finder_shows_her_mother_nothing_of_nora(story: dict[str, object]):
    """The finder is public (HFUs are anonymous drop-in): the same page for anyone, with nothing personal on it."""
    client = Client()
    kari_as(client, story["nora"])  # type: ignore[arg-type]
    assert_no_trace(client, ["/ungdom/finn-hfu/", "/ungdom/finn-hfu/?postcode=0182"], story)


def test_kari_as_herself_sees_nothing_of_noras(story: dict[str, object]):
    client = Client()
    kari_as(client, None)
    paths = [p for p in parent_routes() if not p.startswith("/ungdom/")]
    paths += ["/timeavtaler/", "/timeavtaler/timeonsker/", "/meldinger/", "/min-side/", "/profil/"]
    paths += log_urls(story)
    # Her own log rightly says "Fikk en timeavtale" for her GP time: there the rows are checked by id instead.
    assert_no_trace(client, paths, story, audit_texts=False)


def test_every_youth_audit_row_is_hidden_from_representatives(story: dict[str, object]):
    nora = story["nora"]
    assert isinstance(nora, Person)
    rows = AuditEvent.objects.filter(subject_id=nora.pk, action__startswith="appointments:")
    assert rows.count() >= 5
    assert not rows.filter(hidden_from_representatives=False).exists()


def test_her_minid_login_leaves_no_row_on_her_mothers_log(story: dict[str, object]):
    nora = story["nora"]
    assert isinstance(nora, Person)
    youth = actors.of_person(nora, Assurance.SUBSTANTIAL).acting_for(nora.pk, Role.YOUTH)
    with transaction.atomic():
        login_succeeded.send(sender="idporten", request=None, actor=youth)
    client = Client()
    kari_as(client, nora)
    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    rows = client.get(f"/logg/?include_own=on&date_from={since}").context["rows"]
    assert [row for row in rows if row.who == nora.full_name] == []
