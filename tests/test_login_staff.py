"""Editors and administrators log in to /cms/ and /admin/ with HelseID; neither has a password login any more.

Issue 15 item 11: both admins took a username and password, with no password rules, no lockout and no second
factor, and Django's admin was mounted in production.
"""

import importlib
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import clear_url_caches

import helseportal.urls
from helseportal.access.models import AuditEvent
from helseportal.demo import personas
from helseportal.demo.loader import load_demo
from helseportal.pregnancy.weeks.loading import EDITOR_GROUP, ensure_editor_group, ensure_week_index
from tests.oidc_flow import log_in, provider_over_wsgi  # noqa: F401  (fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("provider_over_wsgi")]
PASSWORD = "et-langt-og-godt-passord-2026"


@pytest.fixture(autouse=True)
def demo() -> None:
    load_demo()
    ensure_editor_group(ensure_week_index())  # Innholdsredaktører, as `load_content` makes it


@pytest.fixture
def superuser() -> User:
    return User.objects.create_superuser("drift", password=PASSWORD)


def follow_login(client: Client, login: str, next_url: str) -> str:
    """Log in with HelseID, asked for by `next_url`; return where the after-login step sends the browser."""
    response = log_in(client, login, path=f"/login/helseid/?next={next_url}")
    assert response.status_code == 302, response.content[:300]
    return str(client.get(response["Location"])["Location"])


@pytest.mark.parametrize("path", ["/cms/login/", "/admin/login/"])
def test_a_correct_password_no_longer_logs_anyone_in(client: Client, superuser: User, path: str):
    response = client.post(path, {"username": "drift", "password": PASSWORD})
    assert response.status_code == 405
    assert "_auth_user_id" not in client.session
    assert client.get("/cms/").status_code == 302
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize(("path", "next_url"), [("/cms/", "/cms/"), ("/admin/", "/admin/")])
def test_the_admins_send_an_anonymous_visitor_to_helseid(client: Client, path: str, next_url: str):
    first = client.get(path)
    second = client.get(first["Location"])
    assert second.status_code == 302
    assert second["Location"] == f"/login/helseid/?{urlencode({'next': next_url})}"


def test_the_django_admins_login_sends_back_to_the_django_admin(client: Client):
    response = client.get("/admin/login/")
    assert response["Location"] == f"/login/helseid/?{urlencode({'next': '/admin/'})}"


def test_an_editor_granted_by_the_operator_logs_in_to_the_cms_with_helseid(client: Client):
    call_command("staff", "grant", personas.METTE.hpr_number, "--group", EDITOR_GROUP)
    assert follow_login(client, f"{personas.METTE.hpr_number}:4", "/cms/") == "/cms/"
    page = client.get("/cms/")
    assert page.status_code == 200
    assert client.get("/admin/").status_code == 302  # an editor is not an administrator
    user = User.objects.get(username=f"hpr-{personas.METTE.hpr_number}")
    assert user.get_full_name() == "Mette Berg"
    assert not user.has_usable_password()


def test_an_administrator_reaches_the_django_admin(client: Client):
    call_command("staff", "grant", personas.LARS.hpr_number, "--superuser")
    follow_login(client, f"{personas.LARS.hpr_number}:4", "/admin/")
    assert client.get("/admin/").status_code == 200


def test_an_operator_with_django_admin_access_but_no_superuser_rights(client: Client):
    call_command("staff", "grant", personas.LARS.hpr_number, "--django-admin")
    follow_login(client, f"{personas.LARS.hpr_number}:4", "/admin/")
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/notify/delivery/").status_code == 403  # no permissions were given


def test_a_practitioner_without_a_grant_is_told_so_and_not_sent_round_again(client: Client):
    follow_login(client, f"{personas.LARS.hpr_number}:4", "/cms/")
    first = client.get("/cms/")
    page = client.get(first["Location"])
    assert page.status_code == 403
    assert "Du har ikke tilgang til publisering og drift" in page.content.decode()


def test_level_3_does_not_open_the_cms(client: Client):
    call_command("staff", "grant", personas.METTE.hpr_number, "--superuser")
    response = log_in(client, f"{personas.METTE.hpr_number}:3", path="/login/helseid/?next=/cms/")
    assert response.status_code == 400
    assert client.get("/cms/").status_code == 302


def test_a_revoked_editor_gets_in_no_more(client: Client):
    call_command("staff", "grant", personas.METTE.hpr_number, "--group", EDITOR_GROUP)
    call_command("staff", "revoke", personas.METTE.hpr_number)
    follow_login(client, f"{personas.METTE.hpr_number}:4", "/cms/")
    assert client.get("/cms/").status_code == 302


def test_logging_out_of_the_cms_ends_the_portal_session_and_goes_to_the_provider(client: Client):
    call_command("staff", "grant", personas.METTE.hpr_number, "--group", EDITOR_GROUP)
    follow_login(client, f"{personas.METTE.hpr_number}:4", "/cms/")
    response = client.post("/cms/logout/")
    assert "/dev-idp/helseid/endsession?" in response["Location"]
    assert client.get("/cms/").status_code == 302
    assert "actor" not in client.session


def test_a_citizen_logging_in_next_in_the_same_browser_gets_none_of_the_editors_access(client: Client):
    call_command("staff", "grant", personas.METTE.hpr_number, "--superuser")
    follow_login(client, f"{personas.METTE.hpr_number}:4", "/cms/")
    log_in(client, f"{personas.PER.pid}:bankid")
    assert "_auth_user_id" not in client.session
    assert client.get("/cms/").status_code == 302


def test_the_operator_command_refuses_what_it_cannot_do(capsys):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such group"):
        call_command("staff", "grant", "1234567", "--group", "Finnes ikke")
    with pytest.raises(CommandError, match="not an HPR number"):
        call_command("staff", "grant", "12ab")
    with pytest.raises(CommandError, match="has no access"):
        call_command("staff", "revoke", "1234567")
    call_command("staff", "grant", "1234567", "--group", EDITOR_GROUP)
    call_command("staff", "list")
    assert f"1234567\thpr-1234567\tcms\t{EDITOR_GROUP}" in capsys.readouterr().out
    assert Group.objects.get(name=EDITOR_GROUP).user_set.count() == 1


@pytest.mark.parametrize("path", ["/cms/password_reset/", "/cms/account/change_password/"])
def test_the_cms_offers_no_password_reset_or_change(client: Client, path: str):
    call_command("staff", "grant", personas.METTE.hpr_number, "--group", EDITOR_GROUP)
    follow_login(client, f"{personas.METTE.hpr_number}:4", "/cms/")
    assert client.get(path).status_code in (302, 404)
    assert "password" not in client.get("/cms/account/").content.decode().lower()


def test_a_password_set_by_hand_must_pass_djangos_validators():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        validate_password("kkkkkkkk")
    validate_password(PASSWORD)


def _rebuild_urls() -> None:
    clear_url_caches()
    importlib.reload(helseportal.urls)


def test_the_django_admin_is_not_mounted_unless_turned_on(client: Client):
    try:
        with override_settings(HELSEPORTAL_DJANGO_ADMIN=False):
            _rebuild_urls()
            assert client.get("/admin/").status_code == 404
            assert client.get("/admin/login/").status_code == 404
    finally:
        _rebuild_urls()  # with the settings restored, for the tests that follow


def test_granting_and_revoking_the_access_is_audited_with_the_operator():
    call_command("staff", "grant", personas.METTE.hpr_number, "--group", EDITOR_GROUP)
    call_command("staff", "revoke", personas.METTE.hpr_number)
    events = AuditEvent.objects.filter(action__startswith="identity:staff:").order_by("id")
    assert [(e.action, e.purpose) for e in events] == [
        ("identity:staff:granted", f"cms: {EDITOR_GROUP}"),
        ("identity:staff:revoked", ""),
    ]
    assert all(e.actor_role == "system" and e.actor_client_id.startswith("operator:") for e in events)
    assert all(e.resources == [f"StaffAccount/hpr-{personas.METTE.hpr_number}"] for e in events)
