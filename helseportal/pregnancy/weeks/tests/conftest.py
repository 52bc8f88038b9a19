from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction

from helseportal.content.models import PregnancyWeekPage
from helseportal.pregnancy.weeks.loading import LoadSummary, load_pregnancy_weeks


@pytest.fixture(scope="module")
def shipped_weeks(django_db_setup: None, django_db_blocker: Any) -> Iterator[LoadSummary]:
    """The shipped weeks 4–42 in bokmål, nynorsk and English, loaded once per test module, rolled back after it.

    Publishing 117 pages through Wagtail takes seconds, so the module shares one load; each test still runs in its
    own savepoint inside this transaction, so what a test changes is undone after it. A test that needs a database
    without the weeks goes in a module that never asks for them.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        summary = load_pregnancy_weeks()
        yield summary
        transaction.set_rollback(True)


@pytest.fixture
def weeks(shipped_weeks: LoadSummary, db: None) -> LoadSummary:
    """The shipped weeks 4–42, published in three languages, in a database built without migrations."""
    return shipped_weeks


def week_page(week: int, language: str = "nb") -> PregnancyWeekPage:
    """The page of a week in one language."""
    return PregnancyWeekPage.objects.get(week=week, locale__language_code=language)
