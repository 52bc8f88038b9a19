"""An operator's database from before the languages: her bokmål pages survive, nynorsk and English are added.

These tests build their own page tree (a site with a home page, as Wagtail's migrations make it), so they never
use the module-wide `weeks` fixture.
"""

import importlib
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from wagtail.models import Locale, Page, Site

from helseportal.content.models import PregnancyWeekIndexPage, PregnancyWeekPage
from helseportal.content.services import index_parent
from helseportal.pregnancy.weeks import SHIPPED, loading
from helseportal.pregnancy.weeks.loading import LoadSummary, load_pregnancy_weeks
from helseportal.pregnancy.weeks.tests.conftest import week_page

pytestmark = pytest.mark.django_db

migration = importlib.import_module("helseportal.content.migrations.0005_week_pages_per_language")


@pytest.fixture
def bokmaal_site(monkeypatch: pytest.MonkeyPatch) -> Page:
    """A site with a home page and the weeks in bokmål only, loaded as the loader did before the languages."""
    home = index_parent().add_child(instance=Page(title="Hjem", slug="hjem"))
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    with monkeypatch.context() as patch:
        patch.setattr(loading, "SHIPPED", {"nb": SHIPPED["nb"]})
        assert load_pregnancy_weeks() == LoadSummary(created=39, updated=0, kept=0)
    assert list(Locale.objects.values_list("language_code", flat=True)) == ["nb"]
    return home


def test_the_migration_adds_the_nynorsk_and_english_locales_once(bokmaal_site: Page):
    migration.create_locales(apps, None)
    migration.create_locales(apps, None)
    assert sorted(Locale.objects.values_list("language_code", flat=True)) == ["en", "nb", "nn"]


def test_loading_keeps_her_bokmaal_pages_and_adds_the_other_languages_beside_them(bokmaal_site: Page):
    edited = week_page(20)
    edited.summary = "Skrevet om av en redaktør."
    edited.save_revision().publish()
    week_page(30).unpublish()
    bokmaal_index = PregnancyWeekIndexPage.objects.get()
    migration.create_locales(apps, None)

    assert load_pregnancy_weeks() == LoadSummary(created=78, updated=0, kept=39)

    assert week_page(20).summary == "Skrevet om av en redaktør."
    assert not week_page(30).live  # what she unpublished stays unpublished
    assert PregnancyWeekIndexPage.objects.get(locale__language_code="nb").pk == bokmaal_index.pk
    for language in ("nn", "en"):
        pages = PregnancyWeekPage.objects.live().filter(locale__language_code=language)
        assert pages.count() == 39
        index = PregnancyWeekIndexPage.objects.get(locale__language_code=language)
        home = index.get_parent()
        assert (home.locale.language_code, home.alias_of_id) == (language, bokmaal_site.pk)  # Wagtail's tree
    for week in (4, 24, 42):
        assert week_page(week, "nn").translation_key == week_page(week).translation_key
    assert Page.find_problems() == ([], [], [], [], [])


def test_overwrite_resets_the_edited_bokmaal_week_and_nothing_else(bokmaal_site: Page):
    edited = week_page(20)
    edited.summary = "Skrevet om av en redaktør."
    edited.save_revision().publish()
    load_pregnancy_weeks()
    assert load_pregnancy_weeks(overwrite=True) == LoadSummary(created=0, updated=1, kept=116)
    assert week_page(20).summary == SHIPPED["nb"].weeks[16].summary


def test_load_content_twice_creates_the_three_languages_once(bokmaal_site: Page):
    first, second = StringIO(), StringIO()
    call_command("load_content", stdout=first)
    call_command("load_content", stdout=second)
    assert "78 created, 0 updated, 39 left as they were" in first.getvalue()
    assert "0 created, 0 updated, 117 left as they were" in second.getvalue()
    assert PregnancyWeekPage.objects.count() == 117
    assert PregnancyWeekIndexPage.objects.count() == 3
