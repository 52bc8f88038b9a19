"""Logging in through the dev identity provider in Chromium, and acting for others (issue: identity)."""

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from helseportal.core.time import today
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.identity import oidc
from helseportal.identity.devidp.models import ProviderSession
from helseportal.identity.models import LoginSession, Person
from tests.browser.conftest import assert_accessible, visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()


def log_in_citizen(page: Page, base: str, name: str, method: str, path: str = "/login/") -> None:
    page.goto(f"{base}{path}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ID-porten")
    assert_accessible(page)
    page.get_by_role("button", name=f"Logg inn som {name} med {method}").click()


def test_kari_logs_in_with_bankid_sees_her_name_and_acts_for_ola(page: Page, live_server):
    log_in_citizen(page, live_server.url, "Kari Nordmann", "BankID")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem vil du bruke helseportalen for?")
    expect(page.get_by_text("Logget inn som Kari Nordmann")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Bruk helseportalen for Ola").click()
    expect(page.get_by_role("status").filter(has_text="på vegne av")).to_contain_text(
        "Du bruker helseportalen på vegne av Ola Nordmann"
    )
    assert_accessible(page)
    visit(page, f"{live_server.url}/om/")  # the acting context follows her to every page
    expect(page.get_by_text("Du bruker helseportalen på vegne av Ola Nordmann")).to_be_visible()


def test_nora_with_minid_reaches_only_the_youth_services(page: Page, live_server):
    log_in_citizen(page, live_server.url, "Nora Nordmann", "MinID")
    expect(page).to_have_url(f"{live_server.url}/ungdom/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Helsesykepleier og helsestasjon for ungdom")
    assert_accessible(page)
    page.goto(f"{live_server.url}/min-side/")  # anything else sends her to step-up with BankID
    expect(page.get_by_role("heading", level=1)).to_contain_text("ID-porten")
    expect(page.get_by_role("button", name="Logg inn som Nora Nordmann med MinID")).to_have_count(0)
    expect(page.get_by_role("button", name="Logg inn som Nora Nordmann med BankID")).to_be_visible()


def test_per_gets_404_when_he_tries_to_act_for_kari(page: Page, live_server, watch):
    kari = Person.objects.get(pid=personas.KARI.pid)
    log_in_citizen(page, live_server.url, "Per Hansen", "BankID")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hei, Per Hansen")
    visit(page, f"{live_server.url}/velg-person/")
    # A forged choice: Per changes the button's value to Kari's key before he submits.
    page.get_by_role("button", name="Bruk helseportalen for Per").evaluate(f"b => b.value = '{kari.pk}'")
    watch.expected_failures.append("/velg-person/")
    page.get_by_role("button", name="Bruk helseportalen for Per").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vi fant ikke siden")
    assert_accessible(page)


def test_mette_logs_in_with_helseid(page: Page, live_server):
    page.goto(f"{live_server.url}/login/helseid/")
    assert_accessible(page)
    page.get_by_role("button", name="Logg inn som Mette Berg").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Velkommen, Mette Berg")
    expect(page.get_by_text(personas.METTE.hpr_number)).to_be_visible()
    assert_accessible(page)


def test_logging_out_ends_the_session(page: Page, live_server):
    log_in_citizen(page, live_server.url, "Per Hansen", "BankID")
    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")
    assert_accessible(page)
    page.goto(f"{live_server.url}/min-side/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ID-porten")


def test_kari_keeps_her_profile_and_gives_per_a_power_of_attorney(page: Page, live_server, watch):
    watch.expected_failures.append("/profil/")  # the invalid mobile number answers 400, as it should
    log_in_citizen(page, live_server.url, "Kari Nordmann", "BankID")
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()
    visit(page, f"{live_server.url}/profil/")
    page.get_by_label("Mobilnummer").fill("12345")
    page.get_by_role("button", name="Lagre kontaktopplysninger").click()
    expect(page.get_by_text("Skriv et norsk mobilnummer med 8 sifre")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Fødselsnummeret til den som skal få fullmakt").fill(personas.PER.pid)
    page.get_by_label("Etternavnet til den som skal få fullmakt").fill(personas.PER.family_name)
    page.get_by_label("Gyldig fra (dd.mm.åååå)").fill(today().strftime("%d.%m.%Y"))
    page.get_by_role("button", name="Gi fullmakt").click()
    expect(page.get_by_role("cell", name="Per Hansen", exact=True)).to_be_visible()
    assert_accessible(page)


def test_a_nurse_at_two_units_chooses_which_one_she_works_for(page: Page, live_server):
    page.goto(f"{live_server.url}/login/helseid/")
    page.get_by_role("button", name="Logg inn som Ingrid Dahl").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvilken enhet arbeider du for nå?")
    assert_accessible(page)
    page.get_by_role("button", name="Arbeid for Helsestasjon for ungdom Oslo sentrum").click()
    expect(page.get_by_text("Du arbeider for Helsestasjon for ungdom Oslo sentrum.")).to_be_visible()
    assert_accessible(page)


# Issue 15 item 7: the identity provider on another origin, as ID-porten and HelseID are. The portal answers at
# 127.0.0.1 and its ID-porten at localhost: the same live server, two origins (two sites, even), so the
# browser applies CSP form-action, SameSite cookies and frame-ancestors exactly as it would in production.


@pytest.fixture
def provider_elsewhere(live_server, settings) -> Iterator[tuple[str, str]]:
    port = urlsplit(live_server.url).port
    portal, provider = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    settings.HELSEPORTAL_IDPORTEN_ISSUER = f"{provider}/dev-idp/idporten"
    oidc._metadata_cache.clear()
    yield portal, provider
    oidc._metadata_cache.clear()


def provider_session_cookies(page: Page, provider: str) -> list[str]:
    return [c["name"] for c in page.context.cookies(f"{provider}/dev-idp/idporten/") if c["name"].startswith("devidp")]


def test_logout_with_the_provider_on_another_origin_ends_both_sessions(page: Page, provider_elsewhere):
    portal, provider = provider_elsewhere
    visit(page, f"{portal}/")
    page.get_by_role("link", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ID-porten")
    assert page.url.startswith(f"{provider}/dev-idp/idporten/authorize?")
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    expect(page.get_by_text("Logget inn som Kari Nordmann")).to_be_visible()
    assert page.url.startswith(f"{portal}/velg-person/")
    # The provider keeps its own session, on its own origin: a second login goes through without its page.
    assert provider_session_cookies(page, provider) == ["devidp_session_idporten"]
    page.goto(f"{portal}/login/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem vil du bruke helseportalen for?")

    page.get_by_role("button", name="Logg ut").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut")
    assert page.url.startswith(f"{portal}/logget-ut/")
    assert_accessible(page)
    expect(page.get_by_role("link", name="Logg inn")).to_be_visible()
    # The provider's session is gone too: the next person at this computer must give credentials.
    assert provider_session_cookies(page, provider) == []
    assert not ProviderSession.objects.exists()
    page.get_by_role("link", name="Logg inn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("ID-porten")
    expect(page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID")).to_be_visible()
    page.goto(f"{portal}/min-side/")
    assert page.url.startswith(f"{provider}/dev-idp/idporten/authorize?")


def test_the_provider_ends_the_portals_session_through_the_front_channel_frame(page: Page, provider_elsewhere):
    portal, provider = provider_elsewhere
    page.goto(f"{portal}/login/")
    page.get_by_role("button", name="Logg inn som Per Hansen med BankID").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hei, Per Hansen")
    assert LoginSession.objects.count() == 1
    # Logged out at the provider itself (another service, or the provider's own page): no id_token_hint.
    with page.expect_response(lambda r: r.url.startswith(f"{portal}/logout/frontchannel/?")) as frame:
        visit(page, f"{provider}/dev-idp/idporten/endsession")
    assert frame.value.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Du er logget ut av testinnloggingen")
    assert LoginSession.objects.count() == 0
    page.goto(f"{portal}/min-side/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ID-porten")
    expect(page.get_by_role("button", name="Logg inn som Per Hansen med BankID")).to_be_visible()
