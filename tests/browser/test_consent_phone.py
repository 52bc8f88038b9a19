"""The SMART App Launch consent page on a phone (issue 10; issue 16's phone rules): a citizen's app sends Kari to
`/oauth/authorize` with a real authorization request (PKCE), she logs in through the dev identity provider, and
the consent page at 375 px scrolls not sideways, has controls of at least 24×24 px and passes axe; she says yes,
and the app's redirect URI receives the code, which the app exchanges with its verifier."""

import base64
import hashlib
import secrets
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from playwright.sync_api import Page, Route, expect

from helseportal.demo.loader import load_demo
from helseportal.smart import services
from helseportal.smart.models import Connection
from tests.browser import phone_plan
from tests.browser.conftest import PageWatch, assert_accessible
from tests.browser.phone_plan import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REDIRECT_URI = "https://app.example/callback"  # the app's own page: answered by the test, never the network
SCOPE = "launch/patient openid fhirUser offline_access patient/*.rs"


def test_kari_approves_an_app_on_a_phone_and_the_code_reaches_the_app(page: Page, live_server, watch: PageWatch):
    load_demo()
    app = services.register_client(
        services.Registration(
            name="Helseappen", kind="app", scopes=tuple(SCOPE.split()), redirect_uris=(REDIRECT_URI,), public=True
        )
    )
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    state = secrets.token_hex(8)
    query = {
        "response_type": "code",
        "client_id": app.client_id,
        "redirect_uri": REDIRECT_URI,
        "scope": SCOPE,
        "state": state,
        "aud": f"{live_server.url}/fhir/R4",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "nonce": secrets.token_hex(8),
    }
    arrived: list[str] = []

    def the_app(route: Route) -> None:
        arrived.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>Helseappen</title>")

    page.route(f"{REDIRECT_URI}**", the_app)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/oauth/authorize?{urlencode(query)}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ID-porten")  # the route is `high`: log in first
    page.get_by_role("button", name="Logg inn som Kari Nordmann med BankID").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hvem vil du bruke helseportalen for?")
    page.get_by_role("button", name="Bruk helseportalen for Kari").click()  # and on to where she was going

    expect(page.get_by_role("heading", level=1)).to_have_text("Vil du gi appen «Helseappen» tilgang?")
    page.wait_for_load_state("load")
    assert_accessible(page)
    problems = []
    if overflow := page.evaluate(phone_plan.CHECKS, "overflow"):
        problems.append(f"{overflow['scrollWidth']} px wide in {overflow['width']} px; widest: {overflow['widest']}")
    problems += [f"target too small: {small}" for small in page.evaluate(phone_plan.CHECKS, "smallTargets")]
    assert not problems, "\n".join(["The consent page at 375 px:", *problems])
    expect(page.get_by_role("radio", name="Kari Nordmann (deg selv)")).to_be_checked()  # she may act for Ola too

    page.get_by_role("button", name="Ja, gi tilgang").click()
    expect(page).to_have_title("Helseappen")
    [url] = arrived
    got = {key: values[0] for key, values in parse_qs(urlsplit(url).query).items()}
    assert url.startswith(REDIRECT_URI + "?")
    assert got["state"] == state
    assert got["iss"] == f"{live_server.url}/oauth"  # RFC 9207
    assert Connection.objects.filter(client=app).count() == 1
    tokens = httpx.post(
        f"{live_server.url}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": got["code"],
            "redirect_uri": REDIRECT_URI,
            "client_id": app.client_id,
            "code_verifier": verifier,
        },
    )
    assert tokens.status_code == 200, tokens.text
    assert tokens.json()["scope"] == SCOPE
    assert not watch.failed
