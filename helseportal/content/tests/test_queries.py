"""Reads for other apps: the pregnancy overview shows the article for her current week."""

import pytest

from helseportal.content.models import PregnancyWeekPage
from helseportal.content.queries import published_neighbours, week_article

pytestmark = pytest.mark.usefixtures("weeks")


def test_week_article_returns_the_published_page_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        article = week_article(24)
        assert article is not None
        assert article.week == 24
        assert "SF-mål" in article.consultation  # the fields are loaded, not deferred to another query


def test_week_article_returns_none_for_an_unpublished_or_missing_week():
    PregnancyWeekPage.objects.get(week=11).unpublish()
    assert week_article(11) is None
    assert week_article(3) is None
    assert week_article(43) is None


def test_published_neighbours_reads_once_and_skips_gaps(django_assert_num_queries):
    PregnancyWeekPage.objects.get(week=23).unpublish()
    with django_assert_num_queries(1):
        assert published_neighbours(24) == (22, 25)
    assert published_neighbours(4) == (None, 5)
    assert published_neighbours(42) == (41, None)
