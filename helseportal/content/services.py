"""Writes of editorial content: the unit pages, their staff and notices; and what other apps build pages with.

Unit pages, staff and notices (DOMAIN.md §4), two ways in with one set of rights: in Wagtail's admin (/cms/) a
Django user edits a unit's page and notices through the unit's own group ("Enhetsredaktører <orgnr>", made in
`tree.py`), whose page permissions sit on that unit page only; on the staff side (/helsepersonell/enhet/) a
practitioner logged in with HelseID edits the page of the unit they act for, when `access.policy` finds them its
editor. Every staff-side write saves a Wagtail revision and publishes it through Wagtail's API, so the admin
shows the same history, with the practitioner's name in it.

The unit pages hold no personal health data (staff are shown only with their consent), so these writes are not
audited in `access`; Wagtail's page history records them.

`pregnancy.weeks` loads the shipped week texts into the week pages: it takes the page models and the tree's
root from here (`PregnancyWeekIndexPage`, `PregnancyWeekPage`, `index_parent`). `keep_publishing()` starts the
worker's periodic task that publishes scheduled pages (`tasks.py`).
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.log_actions import log
from wagtail.models import Page, Revision

from helseportal.access.policy import require_unit_role
from helseportal.content.models import (
    UNIT_KINDS,
    Notice,
    NoticeLink,
    PregnancyWeekIndexPage,
    PregnancyWeekPage,
    StaffMember,
    UnitPage,
    grade_mask,
    validate_hpr,
    validate_https,
)
from helseportal.content.pictures import store_picture
from helseportal.content.tasks import keep_publishing
from helseportal.content.tree import ensure_unit_page, index_parent
from helseportal.content.wagtail_hooks import STAFF_SIDE_ACTION
from helseportal.core.actor import Actor
from helseportal.core.errors import NotFound, Refused
from helseportal.organisations.models import Role, Unit, UnitKind

__all__ = [
    "LinkFields",
    "PregnancyWeekIndexPage",
    "PregnancyWeekPage",
    "StaffFields",
    "add_staff",
    "allowed_schools",
    "create_notice",
    "editable_page",
    "editor_unit",
    "ensure_unit_page",
    "index_parent",
    "keep_publishing",
    "remove_staff",
    "update_staff",
    "update_unit_page",
    "withdraw_notice",
]


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


def editor_unit(actor: Actor) -> Unit:
    """The unit `actor` acts for and may edit the page of; `NotFound` otherwise (as if there were no page)."""
    unit = require_unit_role(actor, Role.EDITOR)
    if unit.kind not in UNIT_KINDS:
        raise NotFound
    return unit


def editable_page(actor: Actor) -> UnitPage:
    """The page of the actor's unit, made on first use; `NotFound` unless the actor is an editor there."""
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
    _set_picture(page, page, picture, remove_picture, title=page.shown_name)
    _publish_as(actor, page, "page")
    return page


@transaction.atomic
def add_staff(actor: Actor, fields: StaffFields, picture: UploadedFile | None = None) -> StaffMember:
    page = _locked_page(actor)
    member = StaffMember(**_staff_values(fields))
    _set_picture(page, member, picture, False, title=fields.name)
    page.staff = [*page.staff.all(), member]
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
        raise NotFound
    for name, value in _staff_values(fields).items():
        setattr(member, name, value)
    _set_picture(page, member, picture, remove_picture, title=fields.name)
    page.staff = members
    _publish_as(actor, page, "staff_changed")
    return member


@transaction.atomic
def remove_staff(actor: Actor, staff_id: int) -> None:
    page = _locked_page(actor)
    members = list(page.staff.all())
    if not any(m.pk == staff_id for m in members):
        raise NotFound
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
    """Write a notice to grades at a school, published now or scheduled for `go_live_at` (Wagtail's schedule,
    published by `content.tasks` when the time comes)."""
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
        raise NotFound
    notice = notice.specific
    Revision.page_revisions.filter(object_id=str(notice.pk), approved_go_live_at__isnull=False).update(
        approved_go_live_at=None
    )
    if notice.live:
        notice.unpublish(log_action=True)
    _log(actor, notice, "notice_withdrawn")
    return notice


def _set_picture(page: UnitPage, owner: Any, upload: UploadedFile | None, remove: bool, *, title: str) -> None:
    """Give the page or a staff member the uploaded picture, or take theirs away."""
    if upload is not None:
        owner.picture = store_picture(page.unit, upload, title=title)
    elif remove:
        owner.picture = None


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
