"""Every page fits a phone (issue 16): at 375 px no page scrolls sideways, and controls are big enough to hit.

Each session logs in as a persona the way a person would (Kari as herself and for Ola and Nora, Nora with MinID,
midwife Mette, GP Lars, school nurse Ingrid, and no one) and opens every page its level reaches, found in the
URLconf (`phone_plan.py`), with the ids of its own demo data. On each page, at a 375 px wide window: axe
(`visit()`), the document no wider than the window (else: the page and its widest element), every radio button,
checkbox, button and button-styled link at least 24×24 px (WCAG 2.2 SC 2.5.8); then at 1280 px no table is cut
off. Wide tables may scroll inside their own region (`.table-scroll` in site.css); the page may not.
"""

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import resolve, reverse
from playwright.sync_api import Page, expect

from helseportal.access import services as access_services
from helseportal.appointments import services as appointment_services
from helseportal.appointments.models import Appointment, FreeTime
from helseportal.content.models import UnitPage
from helseportal.core.actor import Actor, Assurance, Role
from helseportal.core.time import today
from helseportal.demo import actors, personas
from helseportal.demo.appointments import load_appointments
from helseportal.demo.content_units import load_unit_pages
from helseportal.demo.forms import load_forms
from helseportal.demo.loader import load_demo
from helseportal.demo.messaging import load_messaging
from helseportal.demo.pregnancy import load_pregnancy
from helseportal.forms import services as forms_services
from helseportal.forms.models import Form
from helseportal.identity.models import Person, Practitioner
from helseportal.messaging.models import Thread
from helseportal.organisations.models import Unit
from helseportal.pregnancy.dates import gestational_age
from helseportal.pregnancy.models import Pregnancy
from helseportal.pregnancy.sections import SECTIONS
from helseportal.pregnancy.weeks.loading import load_pregnancy_weeks
from tests.browser import phone_plan
from tests.browser.conftest import PageWatch, visit
from tests.browser.phone_plan import DESKTOP, PHONE, SESSIONS, SKIPPED, Session


@dataclass(frozen=True)
class DemoIds:
    """The ids a session's pages take, from the demo data (plus the requests and times `demo_ids` adds)."""

    pregnancy: int
    kari: int
    kari_week: int
    kari_thread: int
    kari_times: tuple[int, ...]
    kari_open_request: int
    nora_time: int
    nora_open_request: int
    lars: int
    ingrid: int
    ingrid_staff_member: int
    unit_pages: tuple[str, ...]
    kari_forms: tuple[int, ...] = ()  # the GP office's e-consultation (her draft) and triage form (sent)
    kari_form_response: int = 0


Fill = Callable[[DemoIds], list[dict[str, object]]]
# For each route that takes ids: the sessions that visit it, and its ids from their demo data.
PARAMS: dict[str, dict[str, Fill]] = {
    "pregnancy:section": {"kari": lambda d: [{"section": k} for k, s in SECTIONS.items() if s.woman_may_edit]},
    "pregnancy:practitioner_start": {"mette": lambda d: [{"person_id": d.kari}]},
    "pregnancy:practitioner_card": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:add_consultation": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:add_sf": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:add_test": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:set_due_date": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:end_pregnancy": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:add_ultrasound": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:add_nipt": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:correct_due_date": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:add_birth_outcome": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:practitioner_vaccination": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:practitioner_earlier_birth": {"mette": lambda d: [{"pregnancy_id": d.pregnancy}]},
    "pregnancy:practitioner_section": {
        "mette": lambda d: [{"pregnancy_id": d.pregnancy, "section": key} for key in SECTIONS]
    },
    "content:pregnancy_week": {
        "anonymous": lambda d: [{"week": 4}, {"week": 42}],
        "kari": lambda d: [{"week": d.kari_week}],
    },
    "content_units:unit_page": {"anonymous": lambda d: [{"slug": slug} for slug in d.unit_pages]},
    "content_staff:edit_staff": {"ingrid": lambda d: [{"staff_id": d.ingrid_staff_member}]},
    "appointments:detail": {"kari": lambda d: [{"appointment_id": pk} for pk in d.kari_times]},
    # Bytte fastlege: a list with free places and the full one (demo/gp_lists.py), and the switch's confirmation.
    "gp:list": {"kari": lambda d: [{"list_id": "100105"}, {"list_id": "100102"}]},
    "gp:switch": {"kari": lambda d: [{"list_id": "100105"}], "kari_for_ola": lambda d: [{"list_id": "100105"}]},
    "appointments:cancel": {"kari": lambda d: [{"appointment_id": d.kari_times[0]}]},
    "appointments:answer": {
        "lars": lambda d: [{"request_id": d.kari_open_request}],
        "ingrid": lambda d: [{"request_id": d.nora_open_request}],
    },
    "appointments:calendar": {
        "lars": lambda d: [{"practitioner_id": d.lars}],
        "ingrid": lambda d: [{"practitioner_id": d.ingrid}],
    },
    "appointments:staff_reschedule": {
        "lars": lambda d: [{"appointment_id": d.kari_times[0]}],
        "ingrid": lambda d: [{"appointment_id": d.nora_time}],
    },
    "youth:cancel": {"nora": lambda d: [{"appointment_id": d.nora_time}]},
    "messaging:thread": {"kari": lambda d: [{"thread_id": d.kari_thread}]},
    "messaging:staff_thread": {"lars": lambda d: [{"thread_id": d.kari_thread}]},
    # Skjema: the forms' start pages, her e-consultation draft's two steps and summary, and her sent triage form.
    "forms:start": {"kari": lambda d: [{"form_id": pk} for pk in d.kari_forms]},
    "forms:step": {"kari": lambda d: [{"form_id": d.kari_forms[0], "step": n} for n in (0, 1)]},
    "forms:summary": {"kari": lambda d: [{"form_id": d.kari_forms[0]}]},
    "forms:response": {"kari": lambda d: [{"response_id": d.kari_form_response}]},
}
# A few more addresses than the bare routes: filters and views that change what a page lists.
EXTRA_PATHS: dict[str, tuple[str, ...]] = {
    "kari": ("/logg/?include_own=on",),
    "lars": ("/helsepersonell/meldinger/?vis=alle",),
}
# Known cut-off tables at 1280 px, each with who fixes it. The test fails when one is no longer cut off, so
# the entry is removed with the fix.
KNOWN_CUT_OFF: dict[str, str] = {}
E_CONSULTATION_AND_TRIAGE = ("e-konsultasjon", "symptomsjekk-luftveier")


def plan(session: Session, ids: DemoIds) -> list[tuple[str, str]]:
    """(route name, path) for every page this session visits."""
    visits = []
    for route in phone_plan.routes():
        if route.level not in session.levels or route.name in SKIPPED or route.name in phone_plan.LOGIN_ROUTES:
            continue
        if route.name in phone_plan.ANONYMOUS_ONLY and session.key != "anonymous":
            continue
        if not route.params:
            visits.append((route.name, reverse(route.name)))
        elif fill := PARAMS.get(route.name, {}).get(session.key):
            visits.extend((route.name, reverse(route.name, kwargs=kwargs)) for kwargs in fill(ids))
    return visits + [(path, path) for path in EXTRA_PATHS.get(session.key, ())]


# --- The plan leaves nothing out (no browser) ----------------------------------------------------------------


def test_every_get_route_is_visited_by_a_session_or_skipped_with_a_reason():
    reachable = {level for session in SESSIONS for level in session.levels}
    unplanned = [
        route.name
        for route in phone_plan.routes()
        if route.name not in SKIPPED
        and route.name not in phone_plan.LOGIN_ROUTES
        and not (route.level in reachable and (not route.params or route.name in PARAMS))
    ]
    assert not unplanned, (
        f"routes neither visited by tests/browser/test_phone.py nor skipped there with a reason: {unplanned}; "
        "add their ids to PARAMS (from a session's demo data) or a reason to phone_plan.SKIPPED"
    )


def test_the_plan_names_only_routes_that_exist():
    names = {route.name for route in phone_plan.routes()}
    listed = set(SKIPPED) | set(PARAMS) | phone_plan.LOGIN_ROUTES | set(KNOWN_CUT_OFF)
    listed |= {name for session in SESSIONS for name, _ in session.not_found}
    assert listed <= names, f"the phone test lists routes the URLconf no longer has: {sorted(listed - names)}"


@pytest.mark.django_db
def test_routes_skipped_as_post_only_refuse_get():
    factory = RequestFactory()
    for route in phone_plan.routes():
        if SKIPPED.get(route.name) != phone_plan.POST_ONLY:
            continue
        kwargs = {name: (1 if name.endswith("id") else "x") for name in route.params}
        response = route.callback(factory.get("/"), **kwargs)
        assert response.status_code == 405, f"{route.name} is skipped as POST only but answers GET"


# --- The browser test ---------------------------------------------------------------------------------------


@pytest.fixture
def demo_ids() -> DemoIds:
    """The whole demo (`helseportal demo`), plus an open request at the GP office and Nora's youth times."""
    load_demo()
    load_pregnancy()
    load_pregnancy_weeks()
    load_unit_pages()
    load_appointments()
    load_messaging()
    kari = Person.objects.get(pid=personas.KARI.pid)
    pregnancy = Pregnancy.objects.get(person=kari)
    gp, sht = (Unit.objects.get(orgnr=u.orgnr) for u in (personas.MAJORSTUEN_GP, personas.SHT_OSLO))
    kari_open = appointment_services.request_appointment(
        actors.citizen(personas.KARI), unit_id=gp.pk, meeting_form="phone", phone="91234567", reason="Vondt i ryggen"
    )
    nora_actor = replace(actors.citizen(personas.NORA, Assurance.SUBSTANTIAL), role=Role.YOUTH)
    ingrid = actors.clinician(personas.INGRID, personas.SHT_OSLO)
    booked = appointment_services.request_appointment(
        nora_actor, unit_id=sht.pk, meeting_form="phone", phone="91234567", via_youth_service=True
    )
    slot = FreeTime.objects.filter(unit=sht).order_by("starts_at").first()
    assert slot is not None
    nora_time = appointment_services.answer_request(ingrid, booked.pk, meeting_form="phone", free_time_id=slot.pk)
    nora_open = appointment_services.request_appointment(
        nora_actor, unit_id=sht.pk, meeting_form="video", phone="91234567", via_youth_service=True
    )
    forms = kari_forms(actors.citizen(personas.KARI))
    access_services.grant_power(
        actors.citizen(personas.KARI),
        receiver_pid=personas.PER.pid,
        receiver_family_name=personas.PER.family_name,
        area="all",
        valid_from=today(),
        valid_to=None,
    )
    return DemoIds(
        pregnancy=pregnancy.pk,
        kari=kari.pk,
        kari_week=min(42, max(4, gestational_age(pregnancy.due_date, today()).weeks)),
        kari_thread=Thread.objects.get(person_id=kari.pk).pk,
        kari_times=tuple(
            Appointment.objects.filter(person_id=kari.pk).order_by("-starts_at").values_list("pk", flat=True)
        ),
        kari_open_request=kari_open.pk,
        nora_time=nora_time.pk,
        nora_open_request=nora_open.pk,
        lars=Practitioner.objects.get(hpr_number=personas.LARS.hpr_number).pk,
        ingrid=Practitioner.objects.get(hpr_number=personas.INGRID.hpr_number).pk,
        ingrid_staff_member=UnitPage.objects.get(unit=sht).staff.first().pk,
        unit_pages=tuple(UnitPage.objects.live().order_by("slug").values_list("slug", flat=True)),
        kari_forms=forms[:2],
        kari_form_response=forms[2],
    )


def kari_forms(kari: Actor) -> tuple[int, int, int]:
    """The GP office's forms (`helseportal demo` loads them): her e-consultation draft on its first step, her
    symptom triage form sent; (e-consultation id, triage form id, the sent response's id)."""
    load_forms()
    econsultation, triage = (Form.objects.get(url=f"urn:helseportal:forms:demo:{n}") for n in E_CONSULTATION_AND_TRIAGE)
    forms_services.start(kari, econsultation.pk)
    answers = {"symptomer": [], "dager": [{"valueInteger": 2}], "pustebesvaer": [{"valueBoolean": False}]}
    forms_services.save_step(kari, triage.pk, 2, answers, list(answers))
    return econsultation.pk, triage.pk, forms_services.submit(kari, triage.pk).pk


def log_in(page: Page, base: str, session: Session) -> None:
    """Log in as a person would, checking the identity provider's login page on the way."""
    if session.key == "anonymous":
        return
    staff = session.key in ("mette", "lars", "ingrid")
    visit(page, f"{base}/login/helseid/" if staff else f"{base}/login/")
    problems = check_page(page, "devidp:authorize")
    assert not problems, "\n".join(problems)
    if staff:
        persona = {"mette": personas.METTE, "lars": personas.LARS, "ingrid": personas.INGRID}[session.key]
        page.get_by_role("button", name=f"Logg inn som {persona.given_name} {persona.family_name}").first.click()
        if session.key == "ingrid":
            sht = Unit.objects.get(orgnr=personas.SHT_OSLO.orgnr)
            page.get_by_role("button", name=f"Arbeid for {sht.shown_name}").click()
        expect(page).to_have_url(f"{base}/helsepersonell/")
    elif session.key == "nora":
        page.get_by_role("button", name="Logg inn som Nora Nordmann med MinID").click()
        expect(page).to_have_url(f"{base}/ungdom/")
    else:
        page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
        whom = {"kari": "Kari", "kari_for_ola": "Ola", "kari_for_nora": "Nora"}[session.key]
        page.get_by_role("button", name=f"Bruk helseportalen for {whom}").click()


# Template source a page must never show as text (a {# … #} comment over several lines is printed, for one).
TEMPLATE_SYNTAX = ("{#", "#}", "{%", "%}", "{{", "}}")


def check_page(page: Page, name: str, *, known_cut_off: bool = False) -> list[str]:
    """What is wrong with the page as it is now: too wide at 375 px, small targets, template syntax shown as
    text, tables cut off at 1280 px."""
    problems = []
    where = f"{name} ({page.url})"
    if overflow := page.evaluate(phone_plan.CHECKS, "overflow"):
        problems.append(
            f"{where} is {overflow['scrollWidth']} px wide in a {overflow['width']} px window; "
            f"widest: {overflow['widest']} reaching {overflow['right']} px"
        )
    problems += [f"{where}: target too small: {small}" for small in page.evaluate(phone_plan.CHECKS, "smallTargets")]
    text = page.locator("body").inner_text()
    problems += [f"{where} shows template syntax {mark!r}" for mark in TEMPLATE_SYNTAX if mark in text]
    page.set_viewport_size(DESKTOP)
    cut_off = page.evaluate(phone_plan.CHECKS, "cutOffTables")
    if known_cut_off:
        assert cut_off, f"{where} no longer cuts off a table at 1280 px: remove it from KNOWN_CUT_OFF"
    else:
        problems += [f"{where} at 1280 px: {table}" for table in cut_off]
    page.set_viewport_size(PHONE)
    return problems


@pytest.mark.parametrize("session", SESSIONS, ids=[s.key for s in SESSIONS])
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_every_page_fits_a_phone(page: Page, live_server, watch: PageWatch, demo_ids: DemoIds, session: Session):
    page.set_viewport_size(PHONE)
    base = live_server.url
    log_in(page, base, session)
    not_found = dict(session.not_found)
    statuses: list[int] = []
    page.on("response", lambda r: statuses.append(r.status) if r.request.is_navigation_request() else None)
    problems: list[str] = []
    for name, path in plan(session, demo_ids):
        if name in not_found:
            watch.expected_failures.append(path)
        statuses.clear()
        visit(page, f"{base}{path}")
        if (statuses[-1] == 404) != (name in not_found):
            expected = f"404: {not_found[name]}" if name in not_found else "a page"
            problems.append(f"{name} ({path}) answered {statuses[-1]} to {session.key}, expected {expected}")
        problems += check_page(page, name, known_cut_off=name in KNOWN_CUT_OFF and name not in not_found)
    assert not problems, "\n".join([f"{len(problems)} problems for {session.key} at 375 px:", *problems])


SAMPLE = {
    "kari": (
        "/login/",
        "/gravid/",
        "/gravid/helsekort/",
        "/gravid/symptomer/",
        "/gravid/deling/",
        "/logg/",
        "/profil/",
        "/timeavtaler/be-om-time/",
        "/meldinger/",
    ),
    "mette": (
        "/login/helseid/",
        "/helsepersonell/gravid/",
        "/helsepersonell/gravid/{pregnancy}/",
        "/helsepersonell/timeavtaler/ledige-tider/",
    ),
}


@pytest.mark.parametrize("language", ["nn", "en"])
@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_nynorsk_and_english_pages_fit_a_phone(page: Page, live_server, demo_ids: DemoIds, language: str):
    """Nynorsk and English words are longer in places: a sample of pages, the login page first."""
    page.set_viewport_size(PHONE)
    base = live_server.url
    problems: list[str] = []
    for key, paths in SAMPLE.items():
        page.context.clear_cookies()
        log_in(page, base, next(s for s in SESSIONS if s.key == key))
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}])
        for path in (p.format(pregnancy=demo_ids.pregnancy) for p in paths):
            visit(page, f"{base}{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            name = resolve(path).view_name
            problems += check_page(page, f"{name} in {language}", known_cut_off=name in KNOWN_CUT_OFF)
    assert not problems, "\n".join(problems)
