"""RFC 7009 at `/oauth/revoke`: what a client that revokes its own token is answered."""

import pytest
from django.test import Client as Browser

from helseportal.core.actor import Actor
from helseportal.core.testing import log_in
from helseportal.smart.models import Client
from helseportal.smart.queries import actor_for_token
from helseportal.smart.tests.conftest import form, json_body
from helseportal.smart.tests.test_app_launch import connect, refresh
from tests.oidc_flow import provider_over_wsgi, start  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.mark.usefixtures("provider_over_wsgi")
def test_an_unsupported_token_type_hint_is_a_400_and_the_known_hints_revoke(
    client: Browser, kari: Actor, public_app: Client
):
    log_in(client, kari)
    tokens = connect(client, public_app, kari.own_person_id)
    app = {"client_id": public_app.client_id}
    refused = form(client, "/oauth/revoke", {"token": tokens["access_token"], "token_type_hint": "id_token", **app})
    # RFC 7009 § 2.2.1: an error response as RFC 6749 § 5.2 describes, which is a 400 (not 401: the client is known).
    assert refused.status_code == 400
    assert json_body(refused)["error"] == "unsupported_token_type"
    assert actor_for_token(tokens["access_token"]) is not None
    hinted = form(client, "/oauth/revoke", {"token": tokens["access_token"], "token_type_hint": "access_token", **app})
    assert hinted.status_code == 200
    assert actor_for_token(tokens["access_token"]) is None


@pytest.mark.usefixtures("provider_over_wsgi")
def test_revoking_a_refresh_token_ends_every_access_token_of_its_grant(
    client: Browser, kari: Actor, public_app: Client
):
    """RFC 7009 § 2.1: the access tokens given with the refresh token, and with the ones it was rotated from."""
    log_in(client, kari)
    first = connect(client, public_app, kari.own_person_id)
    second = json_body(refresh(client, public_app, first["refresh_token"]))
    assert actor_for_token(first["access_token"]) is not None  # rotation leaves the earlier access token its hour
    revoked = form(client, "/oauth/revoke", {"token": second["refresh_token"], "client_id": public_app.client_id})
    assert revoked.status_code == 200
    assert actor_for_token(first["access_token"]) is None
    assert actor_for_token(second["access_token"]) is None
