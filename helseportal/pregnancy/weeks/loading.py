"""Load the shipped week texts into Wagtail: an index and a published page per week in each language.

Everything here is safe to run again. Pages that already exist are left alone unless `overwrite` is asked for:
once loaded, the texts belong to the editors, and a later `helseportal demo` must not undo their work. The page
models and the tree are `content`'s (its `services`); the texts and how they become rich text are ours.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.html import format_html, format_html_join
from wagtail.coreutils import find_available_slug, get_supported_content_language_variant
from wagtail.models import GroupPagePermission, Locale, Page

from helseportal.content.services import PregnancyWeekIndexPage, PregnancyWeekPage, index_parent
from helseportal.pregnancy.weeks import NOTICES, SHIPPED, Block, Notice, ShippedTexts, WeekText

EDITOR_GROUP = "Innholdsredaktører"
# Page permissions are Wagtail's own, on its base Page model; granted on the index, they cover every week page.
EDITOR_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
INDEX_TITLE = "Svangerskapet uke for uke"
INDEX_SLUG = "gravid-uke-for-uke"
PAGE_FIELDS = ("summary", "baby", "mother", "consultation")


@dataclass(frozen=True)
class LoadSummary:
    created: int
    updated: int
    kept: int

    def __add__(self, other: "LoadSummary") -> "LoadSummary":
        return LoadSummary(self.created + other.created, self.updated + other.updated, self.kept + other.kept)


@transaction.atomic
def load_pregnancy_weeks(*, overwrite: bool = False) -> LoadSummary:
    """Create the week indexes, the editors' group and a published page for every shipped week in every language.

    Idempotent. Bokmål comes first: its index is the original, and the nynorsk and English indexes are its
    translations (Wagtail's `copy_for_translation`), so /cms/ shows one tree per language. The pages of one week
    share a translation key, so /cms/ knows them as translations of each other. Pages that exist are left alone
    unless `overwrite` is asked for (then every page whose text differs from the shipped one is replaced).
    """
    original = ensure_week_index()
    keys = _translation_keys()
    summary = LoadSummary(0, 0, 0)
    for texts in SHIPPED.values():
        locale = ensure_locale(texts.language)
        index = original if locale.pk == original.locale_id else ensure_translated_index(original, locale, texts)
        ensure_editor_group(index)
        summary += _load_language(index, texts, keys, overwrite=overwrite)
    return summary


def _load_language(
    index: PregnancyWeekIndexPage, texts: ShippedTexts, keys: dict[int, uuid.UUID], *, overwrite: bool
) -> LoadSummary:
    existing: dict[int, PregnancyWeekPage] = {}
    for page in PregnancyWeekPage.objects.filter(locale_id=index.locale_id).order_by("path"):
        existing.setdefault(page.week, page)
    created = updated = kept = 0
    for text in texts.weeks:
        page = existing.get(text.week)
        if page is None:
            page = _new_week_page(index, texts, text, keys.get(text.week))
            keys.setdefault(text.week, page.translation_key)
            created += 1
        elif overwrite and _differs(page, texts, text):
            _fill(page, texts, text)
            _publish(page)
            updated += 1
        else:
            kept += 1
    return LoadSummary(created, updated, kept)


def ensure_locale(language: str) -> Locale:
    locale, _ = Locale.objects.get_or_create(language_code=language)
    return locale


def ensure_week_index() -> PregnancyWeekIndexPage:
    """Return the week index in the default language (bokmål), creating it under the default site's root page."""
    locale = ensure_locale(get_supported_content_language_variant(settings.LANGUAGE_CODE))
    index = PregnancyWeekIndexPage.objects.filter(locale=locale).first()
    if index is not None:
        return index
    index = PregnancyWeekIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, locale=locale)
    index_parent().add_child(instance=index)
    return index


def ensure_translated_index(
    original: PregnancyWeekIndexPage, locale: Locale, texts: ShippedTexts
) -> PregnancyWeekIndexPage:
    """Return the translation of the week index in `locale`, copying and publishing it if there is none.

    Wagtail places the copy under the translation of the original's parent, making that parent (the site's home
    page) an alias in the new language if it has no translation yet: its usual tree of one home per language.
    """
    index: PregnancyWeekIndexPage | None = original.get_translation_or_none(locale)
    if index is None:
        index = original.copy_for_translation(locale, copy_parents=True)
        index.title = index.draft_title = texts.index_title
        index.save_revision().publish()
    return index


def ensure_editor_group(index: Page) -> Group:
    """Give "Innholdsredaktører" access to Wagtail's admin and add/edit/publish rights on the week pages.

    Called for each language's index, so editors work in every language's tree, and may copy a page into another
    language ("Oversett", `simple_translation`).
    """
    group, _ = Group.objects.get_or_create(name=EDITOR_GROUP)
    group.permissions.add(
        *Permission.objects.filter(
            Q(content_type__app_label="wagtailadmin", codename="access_admin")
            | Q(content_type__app_label="simple_translation", codename="submit_translation")
        )
    )
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


def mother_html(text: WeekText, notices: Iterable[Notice] = NOTICES) -> str:
    """Return the mother section with the notices that apply to the week appended under their headings."""
    applying = [n for n in notices if n.applies_to(text.week)]
    extra = format_html_join("", "<h3>{}</h3><p>{}</p>", ((n.heading, n.text) for n in applying))
    return render_blocks(text.mother) + extra


def _translation_keys() -> dict[int, uuid.UUID]:
    """The translation key of each week that has a page, taken from the default language's page where there is one."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    rows = PregnancyWeekPage.objects.order_by("path").values_list("week", "translation_key", "locale__language_code")
    keys: dict[int, uuid.UUID] = {}
    for week, key, _language in sorted(rows, key=lambda row: row[2] != default):
        keys.setdefault(week, key)
    return keys


def _new_week_page(
    index: PregnancyWeekIndexPage, texts: ShippedTexts, text: WeekText, key: uuid.UUID | None
) -> PregnancyWeekPage:
    """Make and publish the page of a week in the index's language, as a translation of the week's other pages."""
    slug = find_available_slug(index, f"uke-{text.week}")
    page = PregnancyWeekPage(title=texts.title(text.week), slug=slug, week=text.week, locale_id=index.locale_id)
    page.live = False
    if key is not None and not Page.objects.filter(translation_key=key, locale_id=index.locale_id).exists():
        page.translation_key = key
    _fill(page, texts, text)
    index.add_child(instance=page)
    _publish(page)
    return page


def _fill(page: PregnancyWeekPage, texts: ShippedTexts, text: WeekText) -> None:
    page.summary = text.summary
    page.baby = render_blocks(text.baby)
    page.mother = mother_html(text, texts.notices)
    page.consultation = render_blocks(text.consultation)


def _differs(page: PregnancyWeekPage, texts: ShippedTexts, text: WeekText) -> bool:
    shipped = PregnancyWeekPage(week=text.week)
    _fill(shipped, texts, text)
    return any(getattr(page, f) != getattr(shipped, f) for f in PAGE_FIELDS)


def _publish(page: PregnancyWeekPage) -> None:
    """Publish through a revision, so the page history in the admin starts with the shipped text."""
    page.save_revision(log_action=True).publish()
