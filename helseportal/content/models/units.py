"""The pages of the school health services and health stations for youth, and their staff (DOMAIN.md §4)."""

from typing import Any

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable

from helseportal.content.models.base import IndexPage, PortalPage, page_panels
from helseportal.core.time import today
from helseportal.organisations import hours

# The about text of a unit: paragraphs, lists and links; headings are the page's own.
UNIT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]
UNIT_KINDS = ("sht", "hfu")  # organisations.UnitKind values that have a unit page

validate_hpr = RegexValidator(r"^[0-9]{4,9}$", _("HPR-nummeret skal bare ha sifre, 4 til 9 av dem."))


def picture_field() -> models.ForeignKey[Any, Any]:
    """A picture from Wagtail's image library; a deleted image leaves the page without one."""
    return models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bilde"),
    )


class UnitIndexPage(IndexPage):
    """The parent of every unit page; only administrators work on it. Unit editors get rights per unit page."""

    subpage_types = ["content.UnitPage"]

    class Meta:
        verbose_name = verbose_name_plural = _("enhetssider")


class UnitPage(PortalPage):
    """The page of one school health service (SHT) or health station for youth (HFU), kept by its editors.

    The unit's master data (name, address, phone, opening hours) stay in `organisations`; this page holds what
    the unit writes about itself. Created by `services.ensure_unit_page`, never in the admin, so that the link
    to the unit cannot be chosen (or changed) by an editor. The public reads it at /enhet/<slug>/.
    """

    unit = models.OneToOneField(
        "organisations.Unit", on_delete=models.PROTECT, related_name="content_page", verbose_name=_("enhet")
    )
    display_name = models.CharField(_("visningsnavn"), max_length=200, blank=True)
    picture = picture_field()
    about = RichTextField(_("om oss"), features=UNIT_RICH_TEXT_FEATURES, blank=True)
    hours_note = models.TextField(
        _("merknad om åpningstider"),
        blank=True,
        help_text=_("For eksempel: «Drop-in uten time tirsdager». Selve åpningstidene hentes fra enhetsregisteret."),
    )

    parent_page_types = ["content.UnitIndexPage"]
    subpage_types = ["content.Notice"]
    is_creatable = False
    template = "content/unit_page.html"

    content_panels = page_panels(
        "display_name", "picture", "about", "hours_note", InlinePanel("staff", heading=_("Ansatte"), label=_("Ansatt"))
    )

    class Meta:
        verbose_name = _("enhetsside")
        verbose_name_plural = _("enhetssider")

    @property
    def shown_name(self) -> str:
        return self.display_name or self.title

    def get_url_parts(self, request: HttpRequest | None = None) -> tuple[Any, str, str] | None:
        """Point Wagtail's links at the public view, /enhet/<slug>/ (`urls_public.py`), once it is mounted."""
        parts = super().get_url_parts(request=request)
        site_id = parts[0] if parts else None
        try:
            path = reverse("content_units:unit_page", kwargs={"slug": self.slug})
        except NoReverseMatch:
            return parts
        return (site_id, settings.WAGTAILADMIN_BASE_URL.rstrip("/"), path)

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context.update(self.public_context(preview=True))
        return context

    def visible_staff(self) -> list["StaffMember"]:
        """The staff who agreed to be shown, in the editors' order. Staff without consent are never returned."""
        return list(StaffMember.objects.filter(page=self, consent_to_show=True).select_related("picture"))

    def public_context(self, *, preview: bool = False) -> dict[str, Any]:
        """What the public page shows besides the page itself: consenting staff and the unit's opening hours.
        A preview shows the staff of the unsaved draft (its inline rows), not the saved ones."""
        staff = [member for member in self.staff.all() if member.consent_to_show] if preview else self.visible_staff()
        return {"staff": staff, "opening_hours": unit_opening_hours(self.unit)}


class StaffMember(Orderable):
    """A person at the unit, shown on the public page only when they have agreed to it (`consent_to_show`)."""

    page = ParentalKey(UnitPage, on_delete=models.CASCADE, related_name="staff")
    name = models.CharField(_("navn"), max_length=200)
    role = models.CharField(_("rolle"), max_length=100, help_text=_("For eksempel Helsesykepleier, Lege, Jordmor."))
    grades = models.CharField(
        _("trinn"), max_length=50, blank=True, help_text=_("Trinnene personen har ansvar for, for eksempel 8–10.")
    )
    hpr_number = models.CharField(_("HPR-nummer"), max_length=9, blank=True, validators=[validate_hpr])
    picture = picture_field()
    consent_to_show = models.BooleanField(
        _("samtykker til å vises på nettsiden"),
        default=False,
        help_text=_("Uten samtykke vises personen ikke på den offentlige siden."),
    )

    panels = [*map(FieldPanel, ("name", "role", "grades", "hpr_number", "picture", "consent_to_show"))]

    class Meta(Orderable.Meta):
        verbose_name = _("ansatt")
        verbose_name_plural = _("ansatte")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


def unit_opening_hours(unit: Any) -> list[Any] | None:
    """The unit's hours for the coming seven days, from `organisations` (never stored here), or None."""
    week: list[Any] = hours.week_for(unit, today())
    return week if any(day.intervals for day in week) else None
