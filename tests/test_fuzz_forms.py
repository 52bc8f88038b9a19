"""Every form of the portal, posted generated values: never a 500, never a traceback, never half a write.

Issue 15: at least 200 generated posts per form, on SQLite and PostgreSQL, logged in as the persona who uses the
form. The routes come from the URLconf and the forms from the pages (see `tests/fuzzing.py`): a POST route that
no persona's page shows a form for fails `test_every_post_route_has_a_form_that_is_fuzzed`.

Each example runs in a savepoint that is rolled back, so every post meets the same world: the full demo, plus
what makes the remaining forms appear (a pending request, a note, a power of attorney, a youth time).
`HELSEPORTAL_FUZZ_EXAMPLES` lowers the count for a quick local run; CI runs the default.
"""

import base64
import datetime
import hashlib
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.access import services as access_services
from helseportal.access import sharing, youth_access
from helseportal.appointments import queries as appointment_queries
from helseportal.appointments import services as appointment_services
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.ids import synthetic_fnr
from helseportal.core.testing import log_in
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.appointments import load_appointments
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.demo.offerings import load_offerings
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.demo.records import load_records
from helseportal.demo.travel import load_travel, trip_answers
from helseportal.demo.travel import response as travel_response
from helseportal.forms import publishing as forms_publishing
from helseportal.forms import services as forms_services
from helseportal.forms.models import Form
from helseportal.forms.tests.conftest import NURSE_FORM
from helseportal.identity.models import ParentalResponsibility, Person, Practitioner
from helseportal.organisations.models import Membership, Unit
from helseportal.organisations.models import Role as UnitRole
from helseportal.pregnancy import queries as pregnancy_queries
from helseportal.pregnancy import services as pregnancy_services
from helseportal.pregnancy.weeks.loading import load_pregnancy_weeks
from helseportal.smart import queries as smart_queries
from helseportal.smart import services as smart_services
from helseportal.travel import services as travel_services
from tests import fuzzing

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("HELSEPORTAL_FUZZ_EXAMPLES", "200"))
REJECTED = (400, 403, 404, 405, 409, 413)
# Generated submissions per route, for the count in the terminal summary.
SENT: Counter[str] = Counter()


class _Summary:
    """Prints how many generated submissions each route got, whatever the capture mode."""

    def pytest_terminal_summary(self, terminalreporter: object) -> None:
        if SENT:
            terminalreporter.write_sep(  # type: ignore[attr-defined]
                "-",
                f"form fuzzer: {sum(SENT.values())} generated submissions to {len(SENT)} forms "
                f"(fewest to one form: {min(SENT.values())}, HELSEPORTAL_FUZZ_EXAMPLES={EXAMPLES})",
            )


@pytest.fixture(autouse=True)
def _count_in_the_summary(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin("form-fuzzer-summary"):
        manager.register(_Summary(), "form-fuzzer-summary")


@dataclass(frozen=True)
class Persona:
    """Who posts, where they start, and which parts of the site their pages are crawled in."""

    actor: Actor
    start: tuple[str, ...]
    prefixes: tuple[str, ...]


E_CONSULTATION = "urn:helseportal:forms:demo:e-konsultasjon"


def _personas(consent_page: str) -> dict[str, Persona]:
    kari = actors.citizen(personas.KARI)
    nora = replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)
    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    citizen = (
        "/gravid/", "/timeavtaler/", "/meldinger/", "/profil/", "/velg-person/", "/min-side/", "/logg/", "/skjemaer/",
        "/pasientreiser/",
    )  # fmt: skip
    draft = f"/skjemaer/{Form.objects.get(url=E_CONSULTATION).pk}/"  # her draft (the world): steps and summary
    form_pages = (f"{draft}steg/1/", f"{draft}steg/2/", f"{draft}oppsummering/")  # steg/2: a repeating group
    return {
        "kari": Persona(
            kari,
            ("/min-side/", "/gravid/helsekort/", "/gravid/kartlegging/", consent_page, *form_pages, *citizen),
            citizen,
        ),
        # The record services: a prescription's «Be om fornyelse» and a document's «Be om retting» (demo records).
        "kari_records": Persona(kari, ("/legemidler/", "/pasientjournal/"), ("/legemidler/", "/pasientjournal/")),
        "per": Persona(actors.citizen(personas.PER), ("/gravid/",), ("/gravid/",)),
        # Bytte fastlege: Kari's switch and a full list's waiting list; Per waits for that list (demo/gp_lists.py),
        # so his page shows «Meld av ventelisten».
        "kari_gp": Persona(
            kari, ("/fastlege/", "/fastlege/lister/100102/", "/fastlege/lister/100105/bytt/"), ("/fastlege/",)
        ),
        "per_gp": Persona(actors.citizen(personas.PER), ("/fastlege/",), ("/fastlege/venteliste/",)),
        # Fastlegetjenester: «Kontakt legekontoret» to Kari's office (demo/offerings.py), and the office's service
        # catalogue as its editor (Lars, made one in `_the_rest_of_the_world`) keeps it.
        "kari_gpservices": Persona(
            kari, ("/fastlegetjenester/", "/fastlegetjenester/kontakt/"), ("/fastlegetjenester/",)
        ),
        "lars_editor": Persona(
            actors.clinician(personas.LARS, personas.MAJORSTUEN_GP),
            ("/helsepersonell/tjenester/", "/helsepersonell/tjenester/gp_e_consultation/"),
            ("/helsepersonell/tjenester/",),
        ),
        # The open figures' month picker (a GET form on a public page; issue 13).
        "kari_stats": Persona(kari, ("/statistikk/",), ("/statistikk/",)),
        "nora_card": Persona(actors.citizen(personas.NORA), ("/gravid/kartlegging/",), ("/gravid/kartlegging/",)),
        "nora": Persona(nora, ("/ungdom/", "/ungdom/be-om-time/", "/ungdom/mine-timer/"), ("/ungdom/",)),
        "mette": Persona(
            actors.clinician(personas.METTE, personas.HEALTH_STATION),
            ("/helsepersonell/gravid/",),
            ("/helsepersonell/gravid/",),
        ),
        "lars": Persona(
            actors.clinician(personas.LARS, personas.MAJORSTUEN_GP),
            ("/helsepersonell/timeavtaler/", "/helsepersonell/timeavtaler/kalender/", "/helsepersonell/meldinger/"),
            ("/helsepersonell/timeavtaler/", "/helsepersonell/meldinger/"),
        ),
        "ingrid": Persona(
            ingrid,
            ("/helsepersonell/enhet/", "/helsepersonell/timeavtaler/", "/helsepersonell/skjemaer/publisering/"),
            ("/helsepersonell/enhet/", "/helsepersonell/skjemaer/"),
        ),
        "ingrid_choosing": Persona(
            replace(ingrid, unit_id=None), ("/helsepersonell/velg-enhet/",), ("/helsepersonell/",)
        ),
        # The patient travel office's case officer: a claim to take, one to decide, one to pay, a complaint to take up.
        "siv": Persona(
            actors.case_officer(personas.SIV, personas.TRAVEL_OFFICE),
            ("/helsepersonell/pasientreiser/", "/helsepersonell/pasientreiser/?vis=decided"),
            ("/helsepersonell/pasientreiser/",),
        ),
        "anonymous": Persona(Actor(), ("/",), ("/",)),
    }


# A citizen's app (SMART App Launch, a public client): Kari has connected it, so the profile page shows its
# disconnect form, and her persona opens its authorization request, so the consent page's forms are crawled.
APP_SCOPE = "launch/patient patient/*.rs openid fhirUser"
APP_REDIRECT_URI = "https://app.example/callback"
FHIR_BASE = "https://testserver/fhir/R4"  # `aud`: the API's base URL as the server sees it (the client is HTTPS)
PKCE_VERIFIER = "fuzz-" + "v" * 43


def _an_app_kari_connected() -> str:
    """Register a public app, connect it to Kari's own data; the URL of a valid authorization request of it."""
    kari = actors.citizen(personas.KARI)
    app = smart_services.register_client(
        smart_services.Registration(
            name="Helseappen", kind="app", scopes=tuple(APP_SCOPE.split()), redirect_uris=(APP_REDIRECT_URI,),
            public=True,
        )
    )  # fmt: skip
    herself = smart_queries.launch_choices(kari)[0]
    assert herself.person.pk == kari.own_person_id
    smart_services.connect(kari, client=app, choice=herself, scope=APP_SCOPE)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(PKCE_VERIFIER.encode()).digest()).rstrip(b"=").decode()
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": APP_REDIRECT_URI,
        "scope": APP_SCOPE,
        "state": "fuzz-state",
        "aud": FHIR_BASE,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "nonce": "fuzz-nonce",
    }
    return "/oauth/authorize?" + urlencode(query)


def _the_rest_of_the_world() -> str:
    """What the demo lacks for every form to show: a note, a power of attorney, a pending request, youth times, a
    connected app. Returns the URL of the app's authorization request (the consent page)."""
    kari, per = actors.citizen(personas.KARI), actors.citizen(personas.PER)
    lars = actors.clinician(personas.LARS, personas.MAJORSTUEN_GP)
    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    nora = replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)
    pregnancy = pregnancy_queries.ongoing(kari)
    assert pregnancy is not None
    nora_card = actors.citizen(personas.NORA)  # her own card, from 12 hers alone; her first form not yet sent
    with transaction.atomic():
        pregnancy_services.add_note(kari, pregnancy, "Spørre om jernmangel")
        pregnancy_services.start_pregnancy(
            nora_card, subject_id=nora_card.own_person_id, lmp=today() - datetime.timedelta(days=60)
        )
    access_services.grant_power(
        kari,
        receiver_pid=personas.PER.pid,
        receiver_family_name=personas.PER.family_name,
        area="appointments",
        valid_from=today(),
        valid_to=None,
    )
    gp = Unit.objects.get(orgnr=personas.MAJORSTUEN_GP.orgnr).pk
    appointment_services.request_appointment(
        kari, unit_id=gp, meeting_form="phone", phone="91234567", reason="Vond rygg"
    )
    sht = Unit.objects.get(orgnr=personas.SHT_OSLO.orgnr).pk
    asked = appointment_services.request_appointment(
        nora, unit_id=sht, meeting_form="physical", phone="91234567", via_youth_service=True
    )
    free = appointment_queries.free_times(ingrid)[0]
    appointment_services.answer_request(ingrid, asked.pk, meeting_form="physical", free_time_id=free.pk)
    appointment_services.request_appointment(
        nora, unit_id=sht, meeting_form="phone", phone="91234567", via_youth_service=True
    )
    sharing.share_with_practitioner(
        per, area="pregnancy", hpr_number=personas.METTE.hpr_number, family_name=personas.METTE.family_name,
        permission="read_write", valid_to=today() + datetime.timedelta(days=30),
    )  # fmt: skip
    e_consultation = Form.objects.get(url=E_CONSULTATION)
    forms_services.start(kari, e_consultation.pk)  # a draft: its steps and its summary show their forms
    uses = {"bruker-legemidler": [{"valueBoolean": True}]}  # opens the repeating group «Legemiddel» on steg/2
    forms_services.save_step(kari, e_consultation.pk, 0, uses, list(uses))
    sht_unit = Unit.objects.get(orgnr=personas.SHT_OSLO.orgnr)
    forms_services.import_form(NURSE_FORM | {"version": "0"}, unit=sht_unit)  # published: its page can retire it
    forms_publishing.upload(ingrid, NURSE_FORM)  # the school nurse's draft: its page sends it to approval
    _a_youth_kari_gave_youth_access()  # her profile then shows the withdraw form beside Nora's give form
    _travel_claims_in_every_state()
    lars_at_gp = Practitioner.objects.get(hpr_number=personas.LARS.hpr_number)
    Membership.objects.get_or_create(practitioner=lars_at_gp, unit_id=gp, role=UnitRole.EDITOR)  # the catalogue
    del lars
    return _an_app_kari_connected()


def _travel_claims_in_every_state() -> None:
    """Kari's claims at the patient travel office: received, processing (the demo's), decided (her complaint form,
    the officer's «Merk som utbetalt») and complained about (the officer's «Behandle klagen»)."""
    load_travel()
    kari, siv = actors.citizen(personas.KARI), actors.case_officer(personas.SIV, personas.TRAVEL_OFFICE)
    travel_services.receive(kari, travel_response(trip_answers(3, 104)))
    for approved in (True, False):
        claim = travel_services.receive(kari, travel_response(trip_answers(4, 104)))
        travel_services.take(siv, claim.pk)
        travel_services.decide(siv, claim.pk, approved=approved, amount_ore=28_200, reasons="Standardsats.")
    travel_services.complain(kari, claim.pk, "Reisen var lengre.")


def _a_youth_kari_gave_youth_access() -> None:
    kari = Person.objects.get(pid=personas.KARI.pid)
    born = today().replace(year=today().year - 14, day=1)
    siri = Person.objects.create(
        pid=synthetic_fnr(born, 901), given_name="Siri", family_name="Nordmann",
        street_address=kari.street_address, postcode=kari.postcode, post_place=kari.post_place,
    )  # fmt: skip
    ParentalResponsibility.objects.create(parent=kari, child=siri)
    youth_access.give(actors.citizen(personas.KARI), siri.pk)


@dataclass
class World:
    clients: dict[str, Client]
    forms: dict[str, list[fuzzing.Form]]  # route name → the forms that post to it, from every persona's pages
    searches: dict[str, list[fuzzing.Form]]  # route name → the GET forms (filters, searches) that go to it


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[World]:
    """The demo and the crawl, once for the module, in a transaction rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        load_demo()
        load_pregnancy()
        load_pregnancy_weeks()
        load_unit_pages()
        load_appointments()
        load_messaging()
        load_forms()
        load_offerings()
        load_records()
        consent_page = _the_rest_of_the_world()
        clients: dict[str, Client] = {}
        forms: dict[str, list[fuzzing.Form]] = {}
        searches: dict[str, list[fuzzing.Form]] = {}
        for key, persona in _personas(consent_page).items():
            client = clients[key] = fuzzing.Browser()
            if persona.actor.is_authenticated:
                log_in(client, persona.actor)
            for form in fuzzing.crawl(client, key, list(persona.start), persona.prefixes):
                name = fuzzing.route_name(form.action)
                if name is not None:
                    (forms if form.method == "post" else searches).setdefault(name, []).append(form)
        yield World(clients, forms, searches)
        transaction.set_rollback(True)


def test_the_route_walk_finds_the_post_routes_it_must():
    routes = fuzzing.post_routes()
    for name in ("pregnancy:measurements", "appointments:free_times", "messaging:new", "access:grant_power"):
        assert name in routes
    assert "pregnancy:history" not in routes  # GET only
    assert {"smart:authorize", "smart:disconnect"} <= set(routes)  # the consent page, the profile's apps
    assert not set(fuzzing.MACHINE_ENDPOINTS) & set(routes)  # fuzzed by test_fuzz_oauth.py
    assert not [name for name, pattern in routes.items() if pattern.startswith(fuzzing.NOT_THE_PORTALS)]


def test_every_post_route_has_a_form_that_is_fuzzed(world: World):
    missing = sorted(set(fuzzing.post_routes()) - set(world.forms))
    assert not missing, (
        f"no persona's page shows a form posting to {missing}: give a persona the page (start or prefixes in "
        "_personas) or the world the data that makes the form appear (_the_rest_of_the_world)"
    )


@pytest.mark.parametrize("route", sorted(fuzzing.post_routes()))
def test_no_generated_post_answers_500_or_leaves_half_a_write(world: World, route: str):
    targets = world.forms.get(route)
    if not targets:
        pytest.skip("no form found: test_every_post_route_has_a_form_that_is_fuzzed fails for it")
    fuzz(world, targets)


def test_no_generated_search_answers_500_or_writes(world: World):
    """The GET forms the pages show (the log's filter, the HFU finder, …): the same checks, every one."""
    assert {"audit:log", "youth:find", "stats_public:figures"} <= set(world.searches)
    for targets in world.searches.values():
        fuzz(world, targets)


def fuzz(world: World, targets: list[fuzzing.Form]) -> None:
    """EXAMPLES generated submissions of the targets: below 500, nothing logged, a refusal writes nothing."""
    accepted = {form: fuzzing.accepted_posts(world.clients[form.persona], form) for form in targets[:3]}
    # Every example starts from the same rows (each runs in a savepoint rolled back): counted once, and after an
    # example only when the answer says it wrote nothing.
    before = fuzzing.row_counts()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(data=st.data())
    def send_generated_values(data: st.DataObject) -> None:
        form = data.draw(st.sampled_from(targets), label="form")
        values = data.draw(fuzzing.payload(form, accepted.get(form, [])), label="values")
        client = world.clients[form.persona]
        SENT[fuzzing.route_name(form.action) or form.action] += 1
        with fuzzing.rolled_back(client), fuzzing.no_tracebacks() as problems:
            response = fuzzing.post(client, form, values)
            refused = response.status_code in REJECTED or form.method == "get"
            after = fuzzing.row_counts() if refused else before
        assert response.status_code < 500, f"{form.action}: {response.status_code}"
        assert not problems, problems
        changed = {t: (before[t], after[t]) for t in before if before[t] != after[t]}
        assert not changed, f"{form.action} answered {response.status_code} but wrote {changed}"

    send_generated_values()


def test_the_checks_see_a_500_and_a_half_write(monkeypatch: pytest.MonkeyPatch):
    """The fuzzer's own checks can fail: an exception in a view is caught, and so is a row written."""
    import helseportal.views
    from helseportal.organisations.models import Postcode

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("broken on purpose")

    monkeypatch.setattr(helseportal.views, "render", broken)
    client = Client(raise_request_exception=False)
    with fuzzing.rolled_back(client), fuzzing.no_tracebacks() as problems:
        before = fuzzing.row_counts()
        assert client.get("/om/").status_code == 500
        Postcode.objects.create(code="0001", place="X", municipality_number="0301", municipality_name="Oslo")
        after = fuzzing.row_counts()
    assert problems
    assert after["organisations_postcode"] == before["organisations_postcode"] + 1
