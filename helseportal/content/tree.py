"""The page tree: the root our indexes hang under, the unit index and pages, and each unit's editors' group.

Everything here is safe to run again: what exists is found and left as it is.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug, get_supported_content_language_variant
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Locale, Page, Site

from helseportal.content.models import UNIT_KINDS, UnitIndexPage, UnitPage
from helseportal.content.pictures import unit_collection
from helseportal.organisations.models import Unit

UNIT_INDEX_TITLE = "Enheter"
UNIT_INDEX_SLUG = "enheter"
UNIT_EDITOR_GROUP_PREFIX = "Enhetsredaktører"
UNIT_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
IMAGE_PERMISSIONS = ("add_image", "choose_image", "change_image")


def index_parent() -> Page:
    """The page our indexes hang under: the default site's root page, else the tree's root (made if missing)."""
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


def ensure_unit_index() -> UnitIndexPage:
    index = UnitIndexPage.objects.first()
    if index is not None:
        return index
    parent = index_parent()
    index = UnitIndexPage(title=UNIT_INDEX_TITLE, slug=UNIT_INDEX_SLUG, locale=parent.locale)
    parent.add_child(instance=index)
    index.save_revision().publish()
    return index


@transaction.atomic
def ensure_unit_page(unit: Unit) -> UnitPage:
    """Return the unit's page, creating and publishing it (with its editors' group) if it has none; idempotent."""
    if unit.kind not in UNIT_KINDS:
        raise ValueError(f"unit {unit.pk} is a {unit.kind}, which has no unit page")
    page = UnitPage.objects.filter(unit=unit).first()
    if page is None:
        index = ensure_unit_index()
        slug = find_available_slug(index, slugify(unit.shown_name) or f"enhet-{unit.pk}")
        page = UnitPage(title=unit.shown_name, slug=slug, unit=unit, display_name=unit.shown_name, live=False)
        index.add_child(instance=page)
        page.save_revision().publish()
    ensure_unit_editor_group(page)
    return page


def unit_editor_group_name(unit: Unit) -> str:
    return f"{UNIT_EDITOR_GROUP_PREFIX} {unit.orgnr}"


def ensure_unit_editor_group(page: UnitPage) -> Group:
    """The admin group for one unit: add/edit/publish on its page (and so its notices), its own image collection."""
    group, _created = Group.objects.get_or_create(name=unit_editor_group_name(page.unit))
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", content_type__model="page", codename__in=UNIT_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    collection = unit_collection(page.unit)
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailimages", codename__in=IMAGE_PERMISSIONS
    ):
        GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=permission)
    return group
