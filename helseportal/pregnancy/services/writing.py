"""What every write to the card shares: the access check, who wrote it (copied into the entry), the audit record
in the same transaction, and the PDF laid out anew once it is committed."""

from typing import Any

from django.utils.translation import gettext as _

from helseportal.access import audit
from helseportal.access.policy import require
from helseportal.core.actor import Actor
from helseportal.core.errors import Refused
from helseportal.identity.models import Practitioner
from helseportal.organisations.models import Unit
from helseportal.pregnancy.models import AuthorKind, Pregnancy, Provenance
from helseportal.pregnancy.models.card import new_version
from helseportal.pregnancy.rules import AREA
from helseportal.pregnancy.tasks import card_changed


def provenance(actor: Actor, person_id: int) -> dict[str, Any]:
    """Who is writing, copied into the entry so it stays true when people change jobs."""
    if not actor.is_practitioner:
        return {"person_id": person_id, "author_kind": AuthorKind.WOMAN, "author_name": actor.display_name}
    unit = Unit.objects.filter(pk=actor.unit_id).first() if actor.unit_id else None
    name = actor.display_name or Practitioner.objects.get(pk=actor.practitioner_key).full_name
    return {
        "person_id": person_id,
        "author_kind": AuthorKind.PRACTITIONER,
        "author_name": name,
        "author_practitioner_id": actor.practitioner_id,
        "author_hpr_number": actor.hpr_number or "",
        "author_unit_name": unit.shown_name if unit else "",
        "author_unit_orgnr": unit.orgnr if unit else "",
    }


def may_write(actor: Actor, pregnancy: Pregnancy) -> None:
    """`NotFound` unless the actor may write on this card (her own, or one shared read-and-write)."""
    require(actor, subject_id=pregnancy.person_id, area=AREA, write=True)


def write_entry[E: Provenance](actor: Actor, pregnancy: Pregnancy, action: str, model: type[E], **fields: Any) -> E:
    """Add one entry to the card, with who wrote it, and its audit record. The caller holds the transaction."""
    may_write(actor, pregnancy)
    entry = model._default_manager.create(pregnancy=pregnancy, **provenance(actor, pregnancy.person_id), **fields)
    recorded(actor, pregnancy, action, f"{model.__name__}/{entry.pk}")
    return entry


def recorded(actor: Actor, pregnancy: Pregnancy, action: str, *resources: str) -> None:
    """The audit record of a write to this card, its version moved and its PDF laid out anew after the commit."""
    audit.record(actor, action, subject_id=pregnancy.person_id, resources=list(resources))
    changed(pregnancy)


def changed(pregnancy: Pregnancy) -> None:
    """Every write to the card calls this in its transaction: the card gets a new version (her overview's rendered part
    is kept under it: `pregnancy.overview`) and the PDF is laid out anew once the write is committed."""
    Pregnancy.objects.filter(pk=pregnancy.pk).update(version=new_version())
    card_changed(pregnancy)


def practitioner_only(actor: Actor) -> None:
    """Refuse what only health personnel write (who writes what: `rules.py`)."""
    if not actor.is_practitioner:
        raise Refused(_("Dette fylles ut av helsepersonell."))
