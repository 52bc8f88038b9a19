"""`{% once %}` (core/templatetags/once.py): the static parts of every page kept per language and per the values
named, and never what belongs to the person logged in (issue 14, what every page pays)."""

import dataclasses

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client, override_settings
from django.utils import translation

from helseportal.core.actor import Role
from helseportal.core.templatetags import once
from helseportal.core.testing import log_in
from helseportal.demo import actors, personas
from helseportal.demo.loader import load_demo
from helseportal.identity.models import Person


@pytest.fixture(autouse=True)
def forget() -> None:
    once.forget()


def test_a_block_is_rendered_once_and_kept() -> None:
    template = Template('{% load once %}{% once "n" %}{{ n }}{% endonce %}')
    assert template.render(Context({"n": 1})) == "1"
    assert template.render(Context({"n": 2})) == "1"  # what is not named is what was rendered first


def test_the_values_named_are_in_the_key() -> None:
    template = Template('{% load once %}{% once "n" n %}{{ n }}{% endonce %}')
    assert [template.render(Context({"n": n})) for n in (1, 2, 1)] == ["1", "2", "1"]


def test_each_language_gets_its_own() -> None:
    template = Template('{% load i18n once %}{% once "t" %}{% translate "Kontakt" %}{% endonce %}')
    with translation.override("nb"):
        assert template.render(Context()) == "Kontakt"
    with translation.override("en"):
        assert template.render(Context()) == "Contact"


def test_two_templates_with_the_same_name_do_not_share() -> None:
    first = Template('{% load once %}{% once "n" %}A{% endonce %}', name="first.html")
    second = Template('{% load once %}{% once "n" %}B{% endonce %}', name="second.html")
    assert (first.render(Context()), second.render(Context())) == ("A", "B")


def test_a_name_is_required() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% load once %}{% once %}x{% endonce %}")


def test_a_block_inside_is_refused() -> None:
    with pytest.raises(TemplateSyntaxError):
        Template("{% load once %}{% once 'n' %}{% block b %}x{% endblock %}{% endonce %}")


def test_a_settings_change_empties_it() -> None:
    template = Template('{% load once %}{% once "n" %}{{ n }}{% endonce %}')
    assert template.render(Context({"n": 1})) == "1"
    with override_settings(HELSEPORTAL_CONTACT_PHONE="+47 00 00 00 00"):
        assert template.render(Context({"n": 2})) == "2"


@pytest.mark.django_db
def test_the_footer_follows_the_language_switch(client: Client) -> None:
    assert ">Kontakt<" in client.get("/om/").content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/om/"})
    html = client.get("/om/").content.decode()
    assert '<html lang="en"' in html
    assert ">Contact<" in html
    assert ">Kontakt<" not in html


@pytest.mark.django_db
def test_the_footer_shows_the_configured_contact(client: Client) -> None:
    client.get("/om/")
    with override_settings(HELSEPORTAL_CONTACT_PHONE="+47 12 34 56 78"):
        assert 'href="tel:+4712345678"' in client.get("/om/").content.decode()


@pytest.mark.django_db
def test_who_is_logged_in_and_whom_she_acts_for_is_never_kept(client: Client) -> None:
    """The header's name and the acting banner are per request; the kept parts around them hold neither, and each
    form keeps its own CSRF token."""
    load_demo()
    kari, per = actors.citizen(personas.KARI), actors.citizen(personas.PER)
    log_in(client, kari)
    first = client.get("/om/").content.decode()
    assert "Logget inn som Kari Nordmann" in first
    other = Client(HTTP_X_FORWARDED_PROTO="https")
    log_in(other, per)
    html = other.get("/om/").content.decode()
    assert f"Logget inn som {personas.PER.given_name}" in html
    assert "Kari" not in html
    assert html.count('name="csrfmiddlewaretoken"') == 2  # the language switch and the logout
    ola = Person.objects.get(pid=personas.OLA.pid)
    log_in(client, dataclasses.replace(kari, role=Role.PARENT, subject_id=ola.pk, subject_name="Ola Nordmann"))
    assert "bruker helseportalen på vegne av Ola Nordmann" in client.get("/om/").content.decode()
    assert "acting-banner" not in other.get("/om/").content.decode()
    anonymous = Client().get("/om/").content.decode()
    assert "Logget inn" not in anonymous
    assert "Logg inn" in anonymous
