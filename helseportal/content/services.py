"""Writes of editorial content: the week index, the editors' group, and the shipped week texts.

Everything here is safe to run again. Week pages that already exist are left alone unless `overwrite` is asked
for: once loaded, the texts belong to the editors, and a later `helseportal demo` must not undo their work.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.html import format_html, format_html_join
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import GroupPagePermission, Locale, Page, Site

from helseportal.content.models import PregnancyWeekIndexPage, PregnancyWeekPage
from helseportal.content.pregnancy_weeks import NOTICES, WEEKS, Block, WeekText

EDITOR_GROUP = "Innholdsredaktører"
# Page permissions are Wagtail's own, on its base Page model; granted on the index, they cover every week page.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
INDEX_TITLE = "Svangerskapet uke for uke"
INDEX_SLUG = "gravid-uke-for-uke"


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    kept: int


@transaction.atomic
def load_pregnancy_weeks(*, overwrite: bool = False) -> LoadSummary:
    """Create the week index, the editors' group and a published page for every shipped week; idempotent."""
    index = ensure_week_index()
    ensure_editor_group(index)
    existing = {page.week: page for page in PregnancyWeekPage.objects.all()}
    created = updated = kept = 0
    for text in WEEKS:
        page = existing.get(text.week)
        if page is None:
            _publish(_new_week_page(index, text))
            created += 1
        elif overwrite and _differs(page, text):
            _fill(page, text)
            _publish(page)
            updated += 1
        else:
            kept += 1
    return LoadSummary(created, updated, kept)


def ensure_week_index() -> PregnancyWeekIndexPage:
    """Return the one week index, creating it under the default site's root page (or the tree root)."""
    index = PregnancyWeekIndexPage.objects.first()
    if index is not None:
        return index
    parent = _index_parent()
    index = PregnancyWeekIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, locale=parent.locale)
    parent.add_child(instance=index)
    return index


def ensure_editor_group(index: Page) -> Group:
    """Give "Innholdsredaktører" access to Wagtail's admin and add/edit/publish rights on the week pages."""
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", content_type__model="page", codename__in=EDITOR_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=index, permission=permission)
    return group


def render_blocks(blocks: tuple[Block, ...]) -> str:
    """Turn paragraphs and lists into the HTML a Wagtail rich-text field stores (text escaped)."""
    parts = []
    for block in blocks:
        if isinstance(block, str):
            parts.append(format_html("<p>{}</p>", block))
        else:
            parts.append(format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((item,) for item in block))))
    return "".join(parts)


def mother_html(text: WeekText) -> str:
    """Return the mother section with the notices that apply to the week appended under their headings."""
    notices = [n for n in NOTICES if n.applies_to(text.week)]
    extra = format_html_join("", "<h3>{}</h3><p>{}</p>", ((n.heading, n.text) for n in notices))
    return render_blocks(text.mother) + extra


def _index_parent() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None:
        return site.root_page
    root = Page.get_first_root_node()
    if root is not None:
        return root
    # A database built without Wagtail's migrations (the test suite): make the tree root Wagtail would have made.
    language = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    locale, _ = Locale.objects.get_or_create(language_code=language)
    return Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))


def _new_week_page(index: PregnancyWeekIndexPage, text: WeekText) -> PregnancyWeekPage:
    page = PregnancyWeekPage(title=f"Uke {text.week}", slug=f"uke-{text.week}", week=text.week, live=False)
    _fill(page, text)
    index.add_child(instance=page)
    return page


def _fill(page: PregnancyWeekPage, text: WeekText) -> None:
    page.summary = text.summary
    page.baby = render_blocks(text.baby)
    page.mother = mother_html(text)
    page.consultation = render_blocks(text.consultation)


def _differs(page: PregnancyWeekPage, text: WeekText) -> bool:
    shipped = PregnancyWeekPage(week=text.week)
    _fill(shipped, text)
    fields = ("summary", "baby", "mother", "consultation")
    return any(getattr(page, f) != getattr(shipped, f) for f in fields)


def _publish(page: PregnancyWeekPage) -> None:
    """Publish through a revision, so the page history in the admin starts with the shipped text."""
    page.save_revision(log_action=True).publish()
