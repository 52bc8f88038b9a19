"""Writes of editorial content: the week pages and their editors' group; the unit pages, staff and notices.

Week pages: everything here is safe to run again. Pages that already exist are left alone unless `overwrite` is
asked for: once loaded, the texts belong to the editors, and a later `helseportal demo` must not undo their work.

Unit pages, staff and notices (DOMAIN.md §4), two ways in with one set of rights: in Wagtail's admin (/cms/) a
Django user edits a unit's page and notices through the unit's own group ("Enhetsredaktører <orgnr>"), whose page
permissions sit on that unit page only; on the staff side (/helsepersonell/enhet/) a practitioner logged in with
HelseID edits the page of the unit they chose, when `organisations.Membership` says they are its editor. Every
staff-side write saves a Wagtail revision and publishes it through Wagtail's API, so the admin shows the same
history, with the practitioner's name in it.

The unit pages hold no personal health data (staff are shown only with their consent), so these writes are not
audited in `access`; Wagtail's page history records them.
"""

import datetime
import io
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.coreutils import find_available_slug, get_supported_content_language_variant
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Locale, Page, Revision, Site

from helseportal.content.models import (
    UNIT_KINDS,
    Notice,
    NoticeLink,
    PregnancyWeekIndexPage,
    PregnancyWeekPage,
    StaffMember,
    UnitIndexPage,
    UnitPage,
    grade_mask,
    validate_hpr,
    validate_https,
)
from helseportal.content.pregnancy_weeks import NOTICES, SHIPPED, Block, ShippedTexts, WeekText
from helseportal.content.pregnancy_weeks import Notice as WeekNotice
from helseportal.content.wagtail_hooks import STAFF_SIDE_ACTION
from helseportal.core.actor import Actor, Assurance
from helseportal.core.errors import Refused
from helseportal.organisations.models import Membership, Role, Unit, UnitKind

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
    parent = index_parent()
    index = PregnancyWeekIndexPage(title=INDEX_TITLE, slug=INDEX_SLUG, locale=locale)
    parent.add_child(instance=index)
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


def mother_html(text: WeekText, notices: Iterable[WeekNotice] = NOTICES) -> str:
    """Return the mother section with the notices that apply to the week appended under their headings."""
    applying = [n for n in notices if n.applies_to(text.week)]
    extra = format_html_join("", "<h3>{}</h3><p>{}</p>", ((n.heading, n.text) for n in applying))
    return render_blocks(text.mother) + extra


def index_parent() -> Page:
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
    fields = ("summary", "baby", "mother", "consultation")
    return any(getattr(page, f) != getattr(shipped, f) for f in fields)


def _publish(page: PregnancyWeekPage) -> None:
    """Publish through a revision, so the page history in the admin starts with the shipped text."""
    page.save_revision(log_action=True).publish()


UNIT_INDEX_TITLE = "Enheter"
UNIT_INDEX_SLUG = "enheter"
UNIT_EDITOR_GROUP_PREFIX = "Enhetsredaktører"
UNIT_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page")
IMAGE_PERMISSIONS = ("add_image", "choose_image", "change_image")
MAX_PICTURE_BYTES = 5 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000
PICTURE_FORMATS = {"JPEG": "jpg", "PNG": "png"}


# --- the tree and the rights (demo data, the admin) ----------------------------------------------------------


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


def unit_collection(unit: Unit) -> Collection:
    """The unit's own image collection, so one unit's editors never pick or change another's pictures."""
    name = f"{unit.orgnr} {unit.name}"[:255]
    root = Collection.get_first_root_node()
    if root is None:
        root = Collection.add_root(name="Root")
    existing = root.get_children().filter(name=name).first()
    return existing if existing is not None else root.add_child(name=name)


# --- scheduled publishing, checked at read time --------------------------------------------------------------


# --- the staff side: a practitioner editing the page of the unit they act for --------------------------------


def editor_unit(actor: Actor) -> Unit:
    """Return the unit `actor` acts for and may edit, or answer 404 (as if there were no such page)."""
    if not (actor.is_practitioner and actor.assurance >= Assurance.HIGH and actor.unit_id is not None):
        raise Http404
    is_editor = Membership.objects.filter(
        practitioner_id=actor.practitioner_key, unit_id=actor.unit_id, role=Role.EDITOR
    ).exists()
    unit = Unit.objects.filter(pk=actor.unit_id, kind__in=UNIT_KINDS).first() if is_editor else None
    if unit is None:
        raise Http404
    return unit


def editable_page(actor: Actor) -> UnitPage:
    """The page of the actor's unit, made on first use; 404 unless the actor is an editor there."""
    unit = editor_unit(actor)
    page = UnitPage.objects.filter(unit=unit).select_related("unit", "picture").first()
    return page if page is not None else ensure_unit_page(unit)


def allowed_schools(unit: Unit) -> list[Unit]:
    """The schools a unit may send notices to: an SHT its own school, an HFU the schools in its municipality."""
    if unit.kind == UnitKind.SCHOOL_HEALTH_SERVICE:
        schools = Unit.objects.filter(children=unit, kind=UnitKind.SCHOOL)
    else:
        schools = Unit.objects.filter(kind=UnitKind.SCHOOL, municipality_number=unit.municipality_number)
    return sorted(schools, key=lambda school: school.shown_name)


@dataclass(frozen=True)
class StaffFields:
    name: str
    role: str
    grades: str = ""
    hpr_number: str = ""
    consent_to_show: bool = False


@dataclass(frozen=True)
class LinkFields:
    label: str
    url: str


@transaction.atomic
def update_unit_page(
    actor: Actor,
    *,
    display_name: str,
    about: str,
    hours_note: str,
    picture: UploadedFile | None = None,
    remove_picture: bool = False,
) -> UnitPage:
    """Change the texts (and picture) of the actor's unit page: a new revision, published at once."""
    page = _locked_page(actor)
    page.display_name = display_name.strip()
    page.about = about
    page.hours_note = hours_note.strip()
    if picture is not None:
        page.picture = store_picture(page.unit, picture, title=page.shown_name)
    elif remove_picture:
        page.picture = None
    _publish_as(actor, page, "page")
    return page


@transaction.atomic
def add_staff(actor: Actor, fields: StaffFields, picture: UploadedFile | None = None) -> StaffMember:
    page = _locked_page(actor)
    member = StaffMember(**_staff_values(fields))
    if picture is not None:
        member.picture = store_picture(page.unit, picture, title=fields.name)
    members = [*page.staff.all(), member]
    page.staff = members
    _publish_as(actor, page, "staff_added")
    added = StaffMember.objects.filter(page=page).order_by("-pk").first()
    assert added is not None
    return added


@transaction.atomic
def update_staff(
    actor: Actor, staff_id: int, fields: StaffFields, picture: UploadedFile | None = None, remove_picture: bool = False
) -> StaffMember:
    page = _locked_page(actor)
    members = list(page.staff.all())
    member = next((m for m in members if m.pk == staff_id), None)
    if member is None:
        raise Http404
    for name, value in _staff_values(fields).items():
        setattr(member, name, value)
    if picture is not None:
        member.picture = store_picture(page.unit, picture, title=fields.name)
    elif remove_picture:
        member.picture = None
    page.staff = members
    _publish_as(actor, page, "staff_changed")
    return member


@transaction.atomic
def remove_staff(actor: Actor, staff_id: int) -> None:
    page = _locked_page(actor)
    members = list(page.staff.all())
    if not any(m.pk == staff_id for m in members):
        raise Http404
    page.staff = [m for m in members if m.pk != staff_id]
    _publish_as(actor, page, "staff_removed")


@transaction.atomic
def create_notice(
    actor: Actor,
    *,
    title: str,
    school_id: int,
    grades: Iterable[int],
    text: str,
    sender: str,
    links: Sequence[LinkFields] = (),
    go_live_at: datetime.datetime | None = None,
    expire_at: datetime.datetime | None = None,
) -> Notice:
    """Write a notice to grades at a school, published now or scheduled for `go_live_at` (Wagtail's schedule)."""
    page = _locked_page(actor)
    if school_id not in {school.pk for school in allowed_schools(page.unit)}:
        raise Refused(_("Enheten kan ikke sende oppslag til denne skolen."))
    chosen = sorted(set(grades))
    if not chosen:
        raise Refused(_("Velg minst ett trinn."))
    now = timezone.now()
    if go_live_at is not None and go_live_at <= now:
        go_live_at = None
    if expire_at is not None and expire_at <= (go_live_at or now):
        raise Refused(_("Oppslaget må utløpe etter at det er publisert."))
    for link in links:
        _validate_link(link)
    notice = Notice(
        title=title.strip(),
        slug=find_available_slug(page, slugify(title) or "oppslag"),
        school_id=school_id,
        grade_mask=grade_mask(chosen),
        text=text.strip(),
        sender=sender.strip(),
        unit=page.unit,
        go_live_at=go_live_at,
        expire_at=expire_at,
        live=False,
    )
    notice.links = [NoticeLink(label=link.label.strip(), url=link.url.strip()) for link in links]
    page.add_child(instance=notice)
    _publish_as(actor, notice, "notice_created")
    return notice


@transaction.atomic
def withdraw_notice(actor: Actor, notice_id: int) -> Notice:
    """Take a notice down (unpublish it, and cancel its schedule); it stays in the history, nothing is deleted."""
    page = _locked_page(actor)
    notice = Notice.objects.child_of(page).filter(pk=notice_id).first()
    if notice is None:
        raise Http404
    notice = notice.specific
    Revision.page_revisions.filter(object_id=str(notice.pk), approved_go_live_at__isnull=False).update(
        approved_go_live_at=None
    )
    if notice.live:
        notice.unpublish(log_action=True)
    _log(actor, notice, "notice_withdrawn")
    return notice


def store_picture(unit: Unit, upload: UploadedFile, *, title: str) -> Any:
    """Save an uploaded JPEG or PNG as a Wagtail image in the unit's collection; the type comes from the content."""
    extension = check_picture(upload)
    upload.seek(0)
    image_model = get_image_model()
    image = image_model(title=title[:255] or "bilde", collection=unit_collection(unit))
    image.file.save(f"enhet-{unit.pk}.{extension}", upload, save=False)
    image.save()
    return image


def check_picture(upload: UploadedFile) -> str:
    """Return the file extension for a JPEG or PNG, judged from the bytes (not the name or the browser's type).

    Raises Refused with a message for the form when the file is too big, not an image, or another format.
    """
    if upload.size is not None and upload.size > MAX_PICTURE_BYTES:
        raise Refused(_("Bildet er for stort. Største filstørrelse er 5 MB."))
    upload.seek(0)
    data = upload.read(MAX_PICTURE_BYTES + 1)
    if len(data) > MAX_PICTURE_BYTES:
        raise Refused(_("Bildet er for stort. Største filstørrelse er 5 MB."))
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            probe.verify()
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
        raise Refused(_("Filen er ikke et bilde vi kan lese. Bruk JPEG eller PNG.")) from None
    if image_format not in PICTURE_FORMATS:
        raise Refused(_("Bildet må være JPEG eller PNG."))
    if width * height > MAX_PICTURE_PIXELS:
        raise Refused(_("Bildet har for mange piksler. Gjør det mindre og prøv igjen."))
    return PICTURE_FORMATS[image_format]


def _staff_values(fields: StaffFields) -> dict[str, Any]:
    hpr = fields.hpr_number.strip()
    if hpr:
        try:
            validate_hpr(hpr)
        except ValidationError:
            raise Refused(_("HPR-nummeret skal bare ha sifre, 4 til 9 av dem.")) from None
    return {
        "name": fields.name.strip(),
        "role": fields.role.strip(),
        "grades": fields.grades.strip(),
        "hpr_number": hpr,
        "consent_to_show": fields.consent_to_show,
    }


def _validate_link(link: LinkFields) -> None:
    try:
        validate_https(link.url.strip())
    except ValidationError:
        raise Refused(_("Lenken må begynne med https://.")) from None
    if not link.label.strip():
        raise Refused(_("Hver lenke trenger en lenketekst."))


def _locked_page(actor: Actor) -> UnitPage:
    """The actor's unit page as it is live, locked for this transaction (PostgreSQL) so edits queue up."""
    unit = editor_unit(actor)
    page = UnitPage.objects.select_for_update().filter(unit=unit).first()
    if page is None:
        page = ensure_unit_page(unit)
    return page


def _publish_as(actor: Actor, page: Page, what: str) -> None:
    """Save a revision and publish it through Wagtail, then note on the page's history who did it."""
    page.save_revision(log_action=True).publish(log_action=True)
    _log(actor, page, what)


def _log(actor: Actor, page: Page, what: str) -> None:
    log(
        instance=page,
        action=STAFF_SIDE_ACTION,
        data={"what": what, "practitioner": actor.display_name, "hpr": actor.hpr_number or ""},
    )
