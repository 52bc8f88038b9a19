"""Template filters for editorial content."""

from dataclasses import dataclass

from bs4 import BeautifulSoup
from django import template
from django.utils import formats, timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from helseportal.content.models import Notice

register = template.Library()

# Rich text from Wagtail is bare HTML; Designsystemet styles classes, not elements.
DESIGNSYSTEMET: dict[str, dict[str, str]] = {
    "p": {"class": "ds-paragraph"},
    "h3": {"class": "ds-heading", "data-size": "xs"},
    "h4": {"class": "ds-heading", "data-size": "2xs"},
    "ul": {"class": "ds-list"},
    "ol": {"class": "ds-list"},
    "a": {"class": "ds-link"},
}


@register.filter
def designsystemet(html: str) -> SafeString:
    """Give rich-text elements Designsystemet's classes; use after `richtext`, whose output is already safe."""
    soup = BeautifulSoup(str(html), "html.parser")
    for element in soup.find_all(list(DESIGNSYSTEMET)):
        element.attrs.update(DESIGNSYSTEMET[element.name])
    return mark_safe(str(soup))  # noqa: S308 — re-serialises markup that `richtext` already marked safe


@dataclass(frozen=True)
class NoticeStatus:
    label: str
    withdrawable: bool


@register.simple_tag
def notice_status(notice: Notice) -> NoticeStatus:
    """Say where a notice stands for its editors: published, scheduled (when), expired or withdrawn."""
    now = timezone.now()
    if notice.expired or (notice.expire_at is not None and notice.expire_at <= now):
        return NoticeStatus(str(_("Utløpt")), withdrawable=False)
    if notice.live:
        return NoticeStatus(str(_("Publisert")), withdrawable=True)
    scheduled = notice.scheduled_revision
    if scheduled is not None and scheduled.approved_go_live_at is not None:
        when = formats.date_format(timezone.localtime(scheduled.approved_go_live_at), "j. F Y H:i")
        return NoticeStatus(str(_("Publiseres %(when)s") % {"when": when}), withdrawable=True)
    return NoticeStatus(str(_("Trukket tilbake")), withdrawable=False)
