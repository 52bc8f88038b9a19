"""Reads for other apps: the pregnancy overview shows the article for her current week, in her language."""

import pytest
from django.utils import translation

from helseportal.content.queries import localized_week_article, published_neighbours, week_article
from helseportal.content.tests.conftest import week_page

pytestmark = pytest.mark.usefixtures("weeks")


def test_week_article_returns_the_published_page_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        article = week_article(24)
        assert article is not None
        assert article.week == 24
        assert article.locale.language_code == "nb"  # the locale comes with the page
        assert "SF-mål" in article.consultation  # the fields are loaded, not deferred to another query


@pytest.mark.parametrize("language", ["nn", "en"])
def test_week_article_follows_the_active_language(language: str):
    with translation.override(language):
        article = week_article(24)
    assert article == week_page(24, language)


def test_week_article_falls_back_to_bokmaal_and_says_so():
    week_page(24, "nn").unpublish()
    article = localized_week_article(24, "nn")
    assert article is not None
    assert (article.page, article.language, article.is_fallback) == (week_page(24), "nb", True)
    assert localized_week_article(25, "nn").is_fallback is False  # type: ignore[union-attr]


def test_week_article_returns_none_for_an_unpublished_or_missing_week():
    week_page(11).unpublish()
    assert week_article(11) is None
    week_page(11, "en").unpublish()
    with translation.override("en"):
        assert week_article(11) is None
    assert week_article(3) is None
    assert week_article(43) is None


def test_published_neighbours_reads_once_and_skips_gaps(django_assert_num_queries):
    week_page(23).unpublish()
    with django_assert_num_queries(1):
        assert published_neighbours(24) == (22, 25)
    assert published_neighbours(4) == (None, 5)
    assert published_neighbours(42) == (41, None)
    assert published_neighbours(24, "nn") == (23, 25)  # week 23 is still there in nynorsk
