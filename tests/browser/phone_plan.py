"""Which pages the phone test visits, for whom, with which ids; and the checks it runs in the page (issue 16).

The plan is read from the URLconf: every GET route a session's login level reaches is visited, with the ids of
that session's demo data where the route takes any (`PARAMS`), unless it is in `SKIPPED` with the reason it is
not a page. `tests/browser/test_phone.py` checks that the plan leaves no route out.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from playwright.sync_api import ViewportSize

from helseportal.core.routes import Level, route_level

PHONE: ViewportSize = {"width": 375, "height": 800}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name", as reverse() takes it
    pattern: str
    level: Level
    params: tuple[str, ...]
    callback: Callable[..., Any]


def routes() -> list[Route]:
    """Every named route in the URLconf with its level, except the operators' (SYSTEM) ones."""
    found = []
    for pattern, entry, namespace in _walk(get_resolver().url_patterns):
        level = route_level(entry.callback, namespace)
        if level is None or level == Level.SYSTEM or not entry.name:
            continue
        name = f"{namespace}:{entry.name}" if namespace else entry.name
        # The route's own ids and those of the includes above it (appointments: `<id:appointment_id>/avbestill/`).
        params = tuple(dict.fromkeys([*ROUTE_PARAM.findall(pattern), *entry.pattern.regex.groupindex]))
        found.append(Route(name, pattern, level, params, entry.callback))
    return found


def _walk(patterns: list[Any], prefix: str = "", namespace: str | None = None) -> Iterator[tuple[str, Any, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry, namespace


POST_ONLY = "POST only: a form's target, answered with a redirect"
SKIPPED: dict[str, str] = {
    "healthz": "JSON for the load balancer, not a page",
    "readyz": "JSON for the load balancer, not a page",
    "set_language": "the language switch's form target, answered with a redirect",
    "identity:callback": "ID-porten's redirect back with a code; the test checks the page it lands on",
    "identity:callback_helseid": "HelseID's redirect back with a code; the test checks the page it lands on",
    "access:after_login": "a redirect after login; the test checks the page it lands on",
    "identity:logout": POST_ONLY,
    "cms_login": "sends to HelseID; without a staff account a 403 page says why (tests/test_login_staff.py)",
    "admin_login": "sends to HelseID, like cms_login",
    "cms_logout": POST_ONLY,
    "admin_logout": POST_ONLY,
    "identity:frontchannel_logout": "an empty document the identity provider loads in a hidden iframe",
    "devidp:discovery": "JSON for the OIDC client",
    "devidp:jwks": "JSON for the OIDC client",
    "devidp:token": "the OIDC token endpoint: POST only, JSON",
    "devidp:userinfo": "JSON for the OIDC client",
    "devidp:end_session": "a redirect back to the portal's logged-out page, which the anonymous visit checks",
    "access:grant_power": POST_ONLY,
    "access:revoke_power": POST_ONLY,
    "smart:disconnect": POST_ONLY,
    "youth:ics": "a calendar file (.ics), not a page",
    "appointments:ics": "a calendar file (.ics), not a page",
    "appointments:staff_complete": POST_ONLY,
    "appointments:staff_cancel": POST_ONLY,
    "pregnancy:start": POST_ONLY,
    "pregnancy:tick_note": POST_ONLY,
    "pregnancy:revoke_grant": POST_ONLY,
    "pregnancy:mark_in_error": POST_ONLY,
    "pregnancy:practitioner_mark_in_error": POST_ONLY,
    "pregnancy:pdf": "a PDF file, not a page",
    "pregnancy:practitioner_pdf": "a PDF file, not a page",
    "messaging:attachment": "an attachment download (PDF or picture), not a page",
    "messaging:staff_attachment": "an attachment download (PDF or picture), not a page",
    "messaging:staff_assign": POST_ONLY,
    "messaging:staff_close": POST_ONLY,
    "content_units:picture": "a picture file, not a page",
    "content_staff:remove_staff": POST_ONLY,
    "content_staff:withdraw_notice": POST_ONLY,
    "forms:response_pdf": "a PDF file, not a page",
    "forms:staff_response_pdf": "a PDF file, not a page",
    "records:vaccines_certificate": "a PDF file, not a page",
    "records:prescription_renewal": POST_ONLY,
    "gp:join_waiting_list": POST_ONLY,
    "gp:leave_waiting_list": POST_ONLY,
    "records:journal_file": "a document's file (PDF or text) shown in the document page's frame, not a page",
    "records:journal_download": "a document's file as a download, not a page",
    "copayments:card_pdf": "a PDF file, not a page",
    "forms:staff_attachment": "a file download (an attachment), not a page",
    "forms:staff_form_submit": POST_ONLY,
    "access:give_youth_access": POST_ONLY,
    "access:withdraw_youth_access": POST_ONLY,
    "forms:staff_form_retire": POST_ONLY,
    "travel:staff_take": POST_ONLY,
    "travel:staff_decide": POST_ONLY,
    "travel:staff_pay": POST_ONLY,
    "travel:staff_reopen": POST_ONLY,
    "travel:staff_receipt": "a receipt download (PDF or picture), not a page",
    "stats:dashboard_csv": "a CSV file, not a page",
    "smart:jwks": "JSON for apps (the keys of the ID tokens), not a page",
    "smart:openid_configuration": "JSON for apps (OpenID discovery), not a page",
    "smart:smart_configuration": "JSON for apps (SMART discovery), not a page",
    "stats_public:csv": "the open figures as a CSV file, not a page",
    "stats_public:measure_report": "the open figures as FHIR JSON (MeasureReport), not a page",
}
# Pages checked at 375 px by a test of their own, which reaches them as a person does (the plan does not visit
# them again): the consent page takes an app's authorization request (its query parameters), without which it is
# the 400 page.
OWN_TEST = {
    # one referral: the demo the plan loads sends no records; the referrals' test sends them first
    "records:referral": "tests/browser/test_referrals.py",
    "smart:authorize": "tests/browser/test_consent_phone.py",
    # a form's publishing page and a sent response: reached through an upload and a sent form, which the test makes
    "forms:staff_form": "tests/browser/test_forms_staff.py",
    "forms:staff_response": "tests/browser/test_forms_staff.py",
    # a result and its analysis: the demo the plan loads sends no records; the results' test sends them first
    "records:result": "tests/browser/test_results.py",
    "records:results_analysis": "tests/browser/test_results.py",
    # a prescription, a document and a year's co-payments: their tests send the demo records first (375 px there)
    "records:prescription": "tests/browser/test_medicines.py",
    "records:journal_document": "tests/browser/test_journal.py",
    "copayments:year": "tests/browser/test_copayments.py",
    # a claim and its complaint, the patient travel office's queue and case: their test files a claim and takes it
    # from draft to paid as Kari and the case officer Siv (375 px there)
    "travel:detail": "tests/browser/test_travel.py",
    "travel:complain": "tests/browser/test_travel.py",
    "travel:staff_queue": "tests/browser/test_travel.py",
    "travel:staff_claim": "tests/browser/test_travel.py",
    # Fastlegetjenester's e-consultation and contact pages and the service catalogue's staff pages: the demo the plan
    # loads has no service turned on (demo/offerings.py) and no GP office editor; their test loads both (375 px there)
    "gpservices:e_consultation": "tests/browser/test_gpservices.py",
    "gpservices:contact": "tests/browser/test_gpservices.py",
    "offerings:list": "tests/browser/test_gpservices.py",
    "offerings:edit": "tests/browser/test_gpservices.py",
    # "who uses this": operators only (404 to every other practitioner); its test makes one (375 px there)
    "stats_usage:who_uses": "tests/browser/test_stats_public.py",
    # the operator's dashboard: only an operator reaches it (404 to the plan's practitioners), and the demo the plan
    # loads has no counters; its test makes Tone an operator and counts first (375 px there)
    "stats:dashboard": "tests/browser/test_stats_dashboard.py",
}
# Reached by logging in: /login/ and /login/helseid/ show the dev IdP's login page, which is checked there; and
# the pages with a test of their own (`OWN_TEST`).
LOGIN_ROUTES = {"identity:login", "identity:login_helseid", "devidp:authorize", *OWN_TEST}
# Pages for someone who is not logged in; a logged-in session does not visit them again.
ANONYMOUS_ONLY = {"identity:logged_out"}

CITIZEN_LEVELS = frozenset({Level.PUBLIC, Level.SUBSTANTIAL, Level.HIGH})
YOUTH_LEVELS = frozenset({Level.PUBLIC, Level.SUBSTANTIAL})
STAFF_LEVELS = frozenset({Level.PUBLIC, Level.PRACTITIONER})


@dataclass(frozen=True)
class Session:
    key: str
    levels: frozenset[Level]
    # Routes that answer 404 in this session, each with the rule that makes it so.
    not_found: tuple[tuple[str, str], ...] = ()


YOUTH_ONLY = "the youth pages are the youth's own: 404 to a parent (DOMAIN.md §4)"
OWN_PROFILE = "the profile is one's own: 404 while acting for someone else"
NO_CARD = "a pregnancy card's pages answer 404 while there is no ongoing pregnancy (the overview offers to start one)"
HERS_FROM_12 = "a 12–15-year-old's pregnancy card is hers alone (access/rules.py, DOMAIN.md §3)"
NO_MESSAGES = "no messages on behalf of a child of 12–15 (access/rules.py, NO_MESSAGES)"
NO_RESULTS = "parents see no test results from the child's 12th birthday (access/rules.py, the parent table)"
NO_JOURNAL = "parents see no journal documents from the child's 12th birthday (access/rules.py, the parent table)"
NO_COPAYMENTS = "co-payments are not among a parent's areas from the child's 12th birthday (access/rules.py)"
NO_TRAVEL = "patient travel is not among a parent's areas from the child's 12th birthday (access/rules.py)"
NOT_AN_EDITOR = "only the unit's editors manage its page (Ingrid is; this practitioner is not)"
_CARD_PAGES = (
    "pregnancy:measurements",
    "pregnancy:symptoms",
    "pregnancy:notes",
    "pregnancy:history",
    "pregnancy:card",
    "pregnancy:first_form",
    "pregnancy:earlier_birth",
    "pregnancy:vaccination",
)
_YOUTH_PAGES = ("youth:home", "youth:school", "youth:request", "youth:appointments")
_EDITOR_PAGES = (
    "content_staff:home",
    "content_staff:edit_page",
    "content_staff:add_staff",
    "content_staff:add_notice",
    "forms:publishing",
)
_FOR_A_CHILD = (
    *((name, YOUTH_ONLY) for name in _YOUTH_PAGES),
    ("access:profile", OWN_PROFILE),
    *((name, NO_CARD) for name in _CARD_PAGES),
)
SESSIONS = (
    Session("anonymous", frozenset({Level.PUBLIC})),
    Session("kari", CITIZEN_LEVELS),
    Session("kari_for_ola", CITIZEN_LEVELS, _FOR_A_CHILD),
    Session(
        "kari_for_nora",
        CITIZEN_LEVELS,
        (
            *_FOR_A_CHILD,
            ("messaging:inbox", NO_MESSAGES),
            ("messaging:new", NO_MESSAGES),
            ("pregnancy:overview", HERS_FROM_12),
            ("pregnancy:sharing", HERS_FROM_12),
            ("records:results", NO_RESULTS),
            ("records:results_analyses", NO_RESULTS),
            ("records:journal", NO_JOURNAL),
            ("copayments:overview", NO_COPAYMENTS),
            ("travel:overview", NO_TRAVEL),
        ),
    ),
    Session("nora", YOUTH_LEVELS),
    Session("mette", STAFF_LEVELS, tuple((name, NOT_AN_EDITOR) for name in _EDITOR_PAGES)),
    Session("lars", STAFF_LEVELS, tuple((name, NOT_AN_EDITOR) for name in _EDITOR_PAGES)),
    Session("ingrid", STAFF_LEVELS),
)

# The checks run in the page: page.evaluate(CHECKS, "overflow" | "smallTargets" | "cutOffTables").
CHECKS = (Path(__file__).parent / "phone_checks.js").read_text(encoding="utf-8")
