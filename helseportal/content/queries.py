"""Reads of editorial content. Nothing here is personal data, so these take no Actor.

Unit pages, staff and notices are read by the public unit page and by `youth` ("Min skole"); the signatures of
`unit_page_for`, `visible_staff` and `notices_for` are what `youth` calls, and the page models it shows are
re-exported here (`UnitPage`, `StaffMember`, `Notice`).

These reads write nothing. A notice or unit page scheduled with Wagtail's `go_live_at` is published by the
worker's periodic task (`tasks.publish_scheduled_pages`, every minute; docs/content.md). The filters below never
show a notice before its `go_live_at` or after its `expire_at`, whatever the `live` flag.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q
from django.utils import timezone
from wagtail.images import get_image_model

from helseportal.content.languages import with_fallback
from helseportal.content.models import (
    LAST_GRADE,
    UNIT_KINDS,
    Notice,
    PregnancyWeekPage,
    StaffMember,
    UnitPage,
    unit_opening_hours,
)
from helseportal.content.pictures import PICTURE_RENDITION
from helseportal.organisations.models import Unit

__all__ = [
    "UNIT_KINDS",
    "Notice",
    "StaffMember",
    "UnitPage",
    "WeekArticle",
    "localized_week_article",
    "notices_for",
    "opening_hours",
    "public_picture",
    "published_neighbours",
    "unit_notices",
    "unit_page_by_slug",
    "unit_page_context",
    "unit_page_for",
    "visible_staff",
    "week_article",
    "week_pages_state_sql",
]


@dataclass(frozen=True)
class WeekArticle:
    """The page shown for a week, and whether it is in the language asked for or the bokmål fallback."""

    page: PregnancyWeekPage
    language: str  # the language of the text: the one asked for, or bokmål when it has no live page in it
    wanted: str  # the language asked for

    @property
    def is_fallback(self) -> bool:
        return self.language != self.wanted


def localized_week_article(week: int, language: str | None = None) -> WeekArticle | None:
    """Return the week's published page in `language` (the active one), else in bokmål, else None; one query."""
    languages = with_fallback(language)
    pages = (
        PregnancyWeekPage.objects.live()
        .filter(week=week, locale__language_code__in=languages)
        .select_related("locale")
        .order_by("path")
    )
    found: dict[str, PregnancyWeekPage] = {}
    for page in pages:
        found.setdefault(page.locale.language_code, page)  # the first in the tree, should a language have two
    for code in languages:
        if code in found:
            return WeekArticle(found[code], code, languages[0])
    return None


def week_article(week: int, language: str | None = None) -> PregnancyWeekPage | None:
    """Return the published article for a pregnancy week in the active language (or bokmål), or None; one query."""
    article = localized_week_article(week, language)
    return article.page if article else None


def published_neighbours(week: int, language: str | None = None) -> tuple[int | None, int | None]:
    """Return the nearest weeks before and after `week` that have a page to show (None where there is none).

    A week counts when it has a live page in `language` (the active one) or in bokmål, the fallback. One query.
    """
    return PregnancyWeekPage.published_neighbours(week, with_fallback(language))


def unit_page_for(unit_id: int) -> UnitPage | None:
    """Return the live page of a unit (SHT or HFU), or None."""
    return UnitPage.objects.live().filter(unit_id=unit_id).select_related("unit", "picture").first()


def unit_page_by_slug(slug: str) -> UnitPage | None:
    """Return the live unit page with this slug, or None (the public address /enhet/<slug>/)."""
    return UnitPage.objects.live().filter(slug=slug).select_related("unit", "picture").first()


def visible_staff(page: UnitPage) -> list[StaffMember]:
    """Return the staff who agreed to be shown, in the editors' order. Staff without consent are never returned."""
    return page.visible_staff()


def notices_for(school_id: int, grade: int, at: datetime.datetime | None = None) -> list[Notice]:
    """Return the live notices to `grade` at school `school_id` at time `at` (now), newest first.

    A notice counts when it is live, its `go_live_at` (if any) has come and its `expire_at` (if any) has not.
    """
    if not 1 <= grade <= LAST_GRADE:
        return []
    at = at or timezone.now()
    notices = (
        Notice.objects.live()
        .filter(school_id=school_id)
        .alias(in_grade=F("grade_mask").bitand(1 << grade))
        .filter(in_grade__gt=0)
        .filter(Q(go_live_at__isnull=True) | Q(go_live_at__lte=at))
        .filter(Q(expire_at__isnull=True) | Q(expire_at__gt=at))
        .filter(Q(first_published_at__isnull=True) | Q(first_published_at__lte=at))
        .select_related("unit")
        .prefetch_related("links")
    )
    return sorted(notices, key=_shown_from, reverse=True)


def unit_notices(page: UnitPage) -> list[Notice]:
    """Every notice of a unit (live, scheduled, withdrawn, expired), newest first: for the unit's editors."""
    return sorted(Notice.objects.child_of(page).specific().prefetch_related("links"), key=_shown_from, reverse=True)


def unit_page_context(page: UnitPage, *, preview: bool = False) -> dict[str, Any]:
    """What the public unit page shows besides the page itself: consenting staff and the unit's opening hours."""
    return page.public_context(preview=preview)


def opening_hours(unit: Unit) -> list[Any] | None:
    """The unit's hours for the coming seven days, from `organisations` (never stored here), or None."""
    return unit_opening_hours(unit)


def _shown_from(notice: Notice) -> tuple[datetime.datetime, int]:
    shown_from = notice.go_live_at or notice.first_published_at or notice.latest_revision_created_at
    return (shown_from or datetime.datetime.min.replace(tzinfo=datetime.UTC), notice.pk)


def public_picture(image_id: int) -> Any:
    """The rendition of a picture shown on a live unit page (its own, or a consenting staff member's), or None."""
    live_pages = UnitPage.objects.live()
    shown = live_pages.filter(picture_id=image_id).exists() or (
        StaffMember.objects.filter(picture_id=image_id, consent_to_show=True, page__in=live_pages).exists()
    )
    if not shown:
        return None
    image = get_image_model().objects.filter(pk=image_id).first()
    return image.get_rendition(PICTURE_RENDITION) if image is not None else None


def week_pages_state_sql() -> str:
    """An SQL expression for the state of the published pregnancy-week pages, which moves with every publish,
    unpublish or deletion of one (the number live and the newest publication): a reader that keeps what it made of
    an article (her overview's part, `pregnancy.overview`) puts it in its key, read in the statement it reads anyway.
    """
    page = PregnancyWeekPage._meta
    base = page.get_field("page_ptr").remote_field.model._meta  # wagtail's Page
    pointer = page.get_field("page_ptr").column
    return (
        f"(SELECT CAST(count(*) AS TEXT) || '/' || coalesce(CAST(max(p.last_published_at) AS TEXT), '') "  # noqa: S608
        f"FROM {base.db_table} p JOIN {page.db_table} w ON w.{pointer} = p.id WHERE p.live)"
    )
