"""Reads of editorial content. Nothing here is personal data, so these take no Actor."""

from helseportal.content.models import PregnancyWeekPage


def week_article(week: int) -> PregnancyWeekPage | None:
    """Return the published article for a pregnancy week, or None; one query."""
    return PregnancyWeekPage.objects.live().filter(week=week).first()


def published_neighbours(week: int) -> tuple[int | None, int | None]:
    """Return the nearest published weeks before and after `week` (None where there is none); one query."""
    weeks = list(PregnancyWeekPage.objects.live().values_list("week", flat=True))
    earlier = [w for w in weeks if w < week]
    later = [w for w in weeks if w > week]
    return (max(earlier) if earlier else None, min(later) if later else None)
