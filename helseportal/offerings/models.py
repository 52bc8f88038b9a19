"""A unit's choice of one service kind (`kinds.py`): offered or not, with its own text, price and answer time.

Master data of the unit, not personal data: the citizen's pages read it without an audit record; every change by
the unit's editors is audited (`services.py`). A row is never deleted when a kind is turned off (`enabled` false),
so that the unit's texts survive, and a kind in the registry is never removed while a row uses it (`checks.py`).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from helseportal.organisations.models import Unit

TEXT_MAX_LENGTH = 1000


class Offering(models.Model):
    """Tjenestetilbud: whether a unit offers one kind of service on the portal, and on which terms."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("tjeneste"), max_length=40)  # a code of kinds.KINDS; kept when the code is retired
    enabled = models.BooleanField(_("tilbys på helseportalen"), default=False)
    text = models.TextField(_("tekst til innbyggerne"), max_length=TEXT_MAX_LENGTH, blank=True)
    price = models.PositiveIntegerField(_("pris i kroner"), null=True, blank=True)
    answer_days = models.PositiveSmallIntegerField(_("svartid i virkedager"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("tjenestetilbud")
        verbose_name_plural = _("tjenestetilbud")
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="one_offering_per_unit_and_kind")]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.kind}"
