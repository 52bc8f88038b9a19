"""Publishing (issue 17 item 4): a unit's editors upload a Questionnaire version, preview it, send it to the
operator, and retire it; the operator approves (it is published) or refuses it with a reason the unit sees.

States of a `Form` row: draft → pending (venter på godkjenning) → active (publisert) → retired (trukket tilbake);
a refusal sends it back to draft. Every change is a `FormChange` row (who, when, the reason) and an audit event
(`forms:form:<action>`, no subject: a form is no one's health data) in the same transaction.

**Every form a unit uploads waits for the operator.** The roadmap's routine is for forms from external parties;
units carry no such flag, and to the portal's operator every unit is an external party (the operator runs no
unit), so all of them go through it. Forms the operator imports herself (`services.import_form`, the demo loader)
are published directly.

A version is fixed once it is sent to the operator: a draft of the same `url` and `version` may be uploaded again
(it replaces the draft), a pending, published or retired one may not (upload a new version: a new row). A `url`
belongs to the unit that first uploaded it. Editors are practitioners with the unit's editor role (`access`); the
operator is a Django admin user (`admin.py`, behind the admin's own login).
"""

import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access.policy import require_unit_role
from helseportal.core.actor import Actor
from helseportal.core.errors import Invalid, NotFound
from helseportal.forms import checklist
from helseportal.forms.definition import load
from helseportal.forms.models import Form, FormChange, FormStatus
from helseportal.forms.services import area_for, import_form
from helseportal.organisations.models import Role as UnitRole
from helseportal.organisations.models import Unit

MAX_UPLOAD_BYTES = 512 * 1024  # our own choice: the largest shipped form is 20 kB; a form of 500 items fits
REASON_MAX_LENGTH = 2000


@dataclass(frozen=True)
class UnitForm:
    """A form version on the editors' list: the row, its history, and the operator's last refusal if any."""

    form: Form
    changes: list[FormChange]

    @property
    def refusal(self) -> str:
        last = self.changes[-1] if self.changes else None
        return last.reason if last is not None and last.action == FormChange.Action.REFUSED else ""


def editor_unit(actor: Actor) -> Unit:
    """The unit whose forms the practitioner edits: she holds its editor role; `NotFound` otherwise."""
    return require_unit_role(actor, UnitRole.EDITOR)


def parse_upload(data: bytes) -> Any:
    """The uploaded file as JSON, or `Invalid` saying why not."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise Invalid(_("Filen er større enn %(size)s kB.") % {"size": MAX_UPLOAD_BYTES // 1024})
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise Invalid(_("Filen er ikke JSON (UTF-8).")) from None
    except RecursionError:  # `[[[[…` nested past Python's stack
        raise Invalid(_("Filen er nøstet for dypt til å være et skjema.")) from None


def upload(actor: Actor, resource: Any, *, public: bool = False) -> Form:
    """A unit editor's upload: a new draft version, or a draft of the same version replaced. `public`: who may fill
    it in once published, every citizen (true) or the unit's own (false: those in contact with it, a school health
    service's pupils; `queries._offered`). The operator sees the choice when she approves it."""
    unit = require_unit_role(actor, UnitRole.EDITOR)
    definition = load(resource)
    if Form.objects.filter(url=definition.url).exclude(unit=unit).exists():
        raise Invalid(_("Skjemaadressen (url) %(url)s tilhører en annen enhet.") % {"url": definition.url})
    with transaction.atomic():
        existing = (
            Form.objects.select_for_update().filter(url=definition.url, version=definition.version, unit=unit).first()
        )
        if existing is not None and existing.status != FormStatus.DRAFT:
            raise Invalid(
                _("Versjon %(version)s er allerede sendt til godkjenning eller publisert. Gi den nye en ny versjon.")
                % {"version": definition.version}
            )
        if existing is not None:
            existing.resource, existing.title, existing.public = resource, definition.title.nb[:255], public
            existing.area = _area(definition.url, unit)
            existing.save()
            form = existing
        else:
            form = import_form(
                resource, unit=unit, status=FormStatus.DRAFT, public=public, area=_area(definition.url, unit)
            )
        _change(actor, form, FormChange.Action.IMPORTED)
    return form


def _area(url: str, unit: Unit) -> str:
    """The area of a new version: that of the url's earlier versions when it has any (a domain's own form keeps its
    owner's area, the pregnancy survey's), else the unit's (`services.area_for`)."""
    earlier = Form.objects.filter(url=url, unit=unit).order_by("-imported_at", "-pk").values_list("area", flat=True)
    return earlier.first() or area_for(unit)


def unit_forms(actor: Actor) -> list[UnitForm]:
    """The forms of the unit the editor acts for, by title and newest version first, each with its history."""
    unit = require_unit_role(actor, UnitRole.EDITOR)
    forms = list(Form.objects.filter(unit=unit).order_by("title", "url", "-imported_at"))
    history: dict[int, list[FormChange]] = {form.pk: [] for form in forms}
    for change in FormChange.objects.filter(form__in=forms).order_by("at", "pk"):
        history[change.form_id].append(change)
    return [UnitForm(form, history[form.pk]) for form in forms]


def unit_form(actor: Actor, form_id: int) -> UnitForm:
    """One form version of the editor's unit; `NotFound` for another unit's or none."""
    unit = require_unit_role(actor, UnitRole.EDITOR)
    form = Form.objects.filter(pk=form_id, unit=unit).select_related("unit").first()
    if form is None:
        raise NotFound
    return UnitForm(form, list(form.changes.order_by("at", "pk")))


def submit(actor: Actor, form_id: int) -> Form:
    """The editor sends a draft to the operator; refused when the checklist fails (she sees why on the page)."""
    with transaction.atomic():
        form = _locked(actor, form_id, FormStatus.DRAFT)
        if not checklist.passed(checklist.run(form.resource)):
            raise Invalid(_("Skjemaet består ikke sjekklisten. Rett feilene og last det opp på nytt."))
        return _move(actor, form, FormStatus.PENDING, FormChange.Action.SUBMITTED)


def retire(actor: Actor, form_id: int) -> Form:
    """The editor retires a published version: citizens no longer see it; sent responses keep pointing at it."""
    with transaction.atomic():
        return _move(actor, _locked(actor, form_id, FormStatus.ACTIVE), FormStatus.RETIRED, FormChange.Action.RETIRED)


def approve(operator: Actor, form_id: int) -> Form:
    """The operator approves a pending version: it is published. Only when the checklist has no failure."""
    with transaction.atomic():
        form = _pending(form_id)
        if not checklist.passed(checklist.run(form.resource)):
            raise Invalid(_("Skjemaet består ikke sjekklisten og kan bare avvises."))
        return _move(operator, form, FormStatus.ACTIVE, FormChange.Action.APPROVED)


def refuse(operator: Actor, form_id: int, reason: str) -> Form:
    """The operator refuses a pending version with a reason the unit sees; it goes back to draft."""
    reason = reason.strip()
    if not reason:
        raise Invalid(_("Skriv hvorfor skjemaet avvises; enheten ser begrunnelsen."))
    if len(reason) > REASON_MAX_LENGTH:
        raise Invalid(_("Begrunnelsen kan ha høyst %(count)s tegn.") % {"count": REASON_MAX_LENGTH})
    with transaction.atomic():
        return _move(operator, _pending(form_id), FormStatus.DRAFT, FormChange.Action.REFUSED, reason)


def _locked(actor: Actor, form_id: int, status: str) -> Form:
    unit = require_unit_role(actor, UnitRole.EDITOR)
    form = Form.objects.select_for_update().filter(pk=form_id, unit=unit).first()
    if form is None:
        raise NotFound
    if form.status != status:
        raise Invalid(_("Skjemaet har endret status i mellomtiden. Last siden på nytt."))
    return form


def _pending(form_id: int) -> Form:
    form = Form.objects.select_for_update().filter(pk=form_id).first()
    if form is None:
        raise NotFound
    if form.status != FormStatus.PENDING:
        raise Invalid(_("Skjemaet venter ikke på godkjenning."))
    return form


def _move(actor: Actor, form: Form, status: str, action: str, reason: str = "") -> Form:
    form.status = status
    form.save(update_fields=["status", "updated_at"])
    _change(actor, form, action, reason)
    return form


def _change(actor: Actor, form: Form, action: str, reason: str = "") -> None:
    FormChange.objects.create(
        form=form,
        action=action,
        at=timezone.now(),
        by_name=actor.display_name[:200],
        by_practitioner_id=actor.practitioner_id,
        reason=reason,
    )
    audit.record(actor, f"forms:form:{action}", subject_id=None, resources=[f"Questionnaire/{form.pk}"])
