"""Editorial content as Wagtail pages: the pregnancy week by week (Svangerskapet uke for uke), and the pages,
staff lists and notices of the school health services and health stations for youth (DOMAIN.md §4).

Editors write the pages in Wagtail's admin at /cms/. The public reads them through our own view at
/gravid/uke/<week>/, not through Wagtail's page tree URLs, so the address stays stable whatever an editor
does to titles and slugs.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from helseportal.content.csp import preview_csp
from helseportal.content.languages import with_fallback
from helseportal.core.time import today
from helseportal.organisations import hours

FIRST_WEEK = 4
LAST_WEEK = 42

# Plain, structured text only: no images, embeds or documents, which would need apps and storage we do not run.
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]


class PregnancyWeekIndexPage(Page):
    """The parent of the week pages; editors' permissions are granted on it and inherited by its children."""

    subpage_types = ["content.PregnancyWeekPage"]
    max_count = 1

    class Meta:
        verbose_name = _("svangerskapet uke for uke")
        verbose_name_plural = _("svangerskapet uke for uke")


class PregnancyWeekPage(Page):
    """One week of the pregnancy in three parts: the baby, the mother, and the consultation that is due.

    The week is counted as in the health card: completed weeks since the first day of the last period. There is
    one page per week in each language (Wagtail's `locale`); translations of a week share its `translation_key`.
    A week is unique within a language: `clean()` checks it, since a database constraint cannot span the page's
    own table and Wagtail's (where `locale` lives).
    """

    week = models.IntegerField(
        _("svangerskapsuke"),
        validators=[MinValueValidator(FIRST_WEEK), MaxValueValidator(LAST_WEEK)],
        help_text=_("Et tall fra 4 til 42. Siden vises på /gravid/uke/<uke>/."),
    )
    summary = models.TextField(_("ingress"), help_text=_("Én eller to setninger øverst på siden."))
    baby = RichTextField(_("babyen"), features=RICH_TEXT_FEATURES)
    mother = RichTextField(_("mor"), features=RICH_TEXT_FEATURES)
    consultation = RichTextField(_("svangerskapskontroll"), features=RICH_TEXT_FEATURES)

    parent_page_types = ["content.PregnancyWeekIndexPage"]
    subpage_types: list[str] = []
    template = "content/pregnancy_week_page.html"

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel([FieldPanel("week"), FieldPanel("summary")], heading=_("Uke")),
        FieldPanel("baby"),
        FieldPanel("mother"),
        FieldPanel("consultation"),
    ]

    class Meta:
        verbose_name = _("svangerskapsuke")
        verbose_name_plural = _("svangerskapsuker")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(week__gte=FIRST_WEEK, week__lte=LAST_WEEK),
                name="content_pregnancy_week_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    def clean(self) -> None:
        """Refuse a second page for the same week in the same language (the admin shows it on the week field)."""
        super().clean()
        same_week = PregnancyWeekPage.objects.filter(week=self.week, locale_id=self.locale_id).exclude(pk=self.pk)
        if self.week is not None and same_week.exists():
            raise ValidationError(
                {"week": _("Det finnes allerede en side for uke %(week)s på dette språket.") % {"week": self.week}}
            )

    def get_url_parts(self, request: HttpRequest | None = None) -> tuple[Any, str, str] | None:
        """Point Wagtail's links ("Vis live", rich-text links, previews) at our own view.

        Wagtail's serve view is not mounted, so the default would find no URL. The site id still comes from
        Wagtail when the page sits under a site; the root URL is WAGTAILADMIN_BASE_URL, so `full_url` works.
        """
        parts = super().get_url_parts(request=request)
        site_id = parts[0] if parts else None
        path = reverse("content:pregnancy_week", kwargs={"week": self.week})
        return (site_id, settings.WAGTAILADMIN_BASE_URL.rstrip("/"), path)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """Render the preview as the public page, but let the admin (same origin) frame it in its preview panel.

        Wagtail runs the preview through the whole middleware stack again, so the policy must be set here: the
        admin view's own CSP override comes too late to replace the header.
        """
        serve = csp_override(preview_csp())(super().serve_preview)
        response: HttpResponse = serve(request, mode_name)
        return response

    def get_context(self, request: HttpRequest, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Give Wagtail's preview the same neighbours our view shows; the preview renders the same template."""
        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        language = self.locale.language_code
        context["previous_week"], context["next_week"] = self.published_neighbours(self.week, with_fallback(language))
        context["text_language"] = language
        return context

    @classmethod
    def published_neighbours(cls, week: int, languages: list[str]) -> tuple[int | None, int | None]:
        """The nearest weeks before and after `week` with a live page in one of `languages`; one query."""
        weeks = set(cls.objects.live().filter(locale__language_code__in=languages).values_list("week", flat=True))
        earlier = [w for w in weeks if w < week]
        later = [w for w in weeks if w > week]
        return (max(earlier) if earlier else None, min(later) if later else None)


# --- Unit pages, staff and notices (DOMAIN.md §4, "Redaktørløsning") -------------------------------------------

# The about text of a unit: paragraphs, lists and links; headings are the page's own.
UNIT_RICH_TEXT_FEATURES = ["bold", "italic", "ol", "ul", "link"]
UNIT_KINDS = ("sht", "hfu")  # organisations.UnitKind values that have a unit page
FIRST_GRADE = 1
LAST_GRADE = 13
GRADES = range(FIRST_GRADE, LAST_GRADE + 1)

validate_hpr = RegexValidator(r"^[0-9]{4,9}$", _("HPR-nummeret skal bare ha sifre, 4 til 9 av dem."))


def validate_https(value: str) -> None:
    if not value.lower().startswith("https://"):
        raise ValidationError(_("Lenken må begynne med https://."))


def grade_mask(grades: Iterable[int]) -> int:
    """Pack grades 1–13 into the bits of one integer (bit n is grade n): portable, and one indexed-free filter."""
    mask = 0
    for grade in grades:
        if not FIRST_GRADE <= grade <= LAST_GRADE:
            raise ValueError(f"grade {grade} is outside {FIRST_GRADE}–{LAST_GRADE}")
        mask |= 1 << grade
    return mask


def grades_of(mask: int) -> list[int]:
    return [grade for grade in GRADES if mask & (1 << grade)]


def grade_span(grades: Iterable[int]) -> str:
    """Write grades the way a school does: "8–10", "8, 10", "1.–13." is left to the template."""
    ordered = sorted(set(grades))
    runs: list[list[int]] = []
    for grade in ordered:
        if runs and grade == runs[-1][-1] + 1:
            runs[-1].append(grade)
        else:
            runs.append([grade])
    return ", ".join(f"{run[0]}–{run[-1]}" if len(run) > 2 else ", ".join(map(str, run)) for run in runs)


class UnitIndexPage(Page):
    """The parent of every unit page; only administrators work on it. Unit editors get rights per unit page."""

    subpage_types = ["content.UnitPage"]
    max_count = 1

    class Meta:
        verbose_name = _("enhetssider")
        verbose_name_plural = _("enhetssider")


class UnitPage(Page):
    """The page of one school health service (SHT) or health station for youth (HFU), kept by its editors.

    The unit's master data (name, address, phone, opening hours) stay in `organisations`; this page holds what
    the unit writes about itself. Created by `services.ensure_unit_page`, never in the admin, so that the link
    to the unit cannot be chosen (or changed) by an editor. The public reads it at /enhet/<slug>/.
    """

    unit = models.OneToOneField(
        "organisations.Unit", on_delete=models.PROTECT, related_name="content_page", verbose_name=_("enhet")
    )
    display_name = models.CharField(_("visningsnavn"), max_length=200, blank=True)
    picture = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bilde"),
    )
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

    content_panels = [
        *Page.content_panels,
        FieldPanel("display_name"),
        FieldPanel("picture"),
        FieldPanel("about"),
        FieldPanel("hours_note"),
        InlinePanel("staff", heading=_("Ansatte"), label=_("Ansatt")),
    ]

    class Meta:
        verbose_name = _("enhetsside")
        verbose_name_plural = _("enhetssider")

    def __str__(self) -> str:
        return str(self.title)

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

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        serve = csp_override(preview_csp())(super().serve_preview)
        response: HttpResponse = serve(request, mode_name)
        return response

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
    picture = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bilde"),
    )
    consent_to_show = models.BooleanField(
        _("samtykker til å vises på nettsiden"),
        default=False,
        help_text=_("Uten samtykke vises personen ikke på den offentlige siden."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("grades"),
        FieldPanel("hpr_number"),
        FieldPanel("picture"),
        FieldPanel("consent_to_show"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("ansatt")
        verbose_name_plural = _("ansatte")

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


class NoticeAdminForm(WagtailAdminPageForm):
    """The admin's notice form: the grades as checkboxes, stored as a bit mask on the page."""

    grades = forms.TypedMultipleChoiceField(
        label=_("Trinn"),
        choices=[(grade, _("%(grade)s. trinn") % {"grade": grade}) for grade in GRADES],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst ett trinn.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.grade_mask:
            self.initial["grades"] = grades_of(self.instance.grade_mask)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        self.instance.grade_mask = grade_mask(cleaned.get("grades") or [])
        return cleaned


class Notice(Page):
    """A notice from a unit to one or more grades at a school, published on `go_live_at` (Wagtail's schedule).

    A notice is a child page of the sending unit's page, so the unit's page permissions cover it. The sending
    unit is copied from that parent when the notice is saved. `expire_at` (Wagtail's) ends it.
    """

    school = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        related_name="+",  # read through content.queries, never from the unit
        limit_choices_to={"kind": "school"},
        verbose_name=_("skole"),
    )
    grade_mask = models.PositiveIntegerField(_("trinn"), default=0, editable=False)
    text = models.TextField(_("tekst"))
    sender = models.CharField(_("avsender"), max_length=200, help_text=_("For eksempel: Helsesykepleier Ingrid"))
    unit = models.ForeignKey(
        "organisations.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        editable=False,
        verbose_name=_("sendt fra"),
    )

    parent_page_types = ["content.UnitPage"]
    subpage_types: list[str] = []
    base_form_class = NoticeAdminForm
    template = "content/notice_preview.html"

    content_panels = [
        *Page.content_panels,
        FieldPanel("school"),
        FieldPanel("grades"),
        FieldPanel("text"),
        FieldPanel("sender"),
        InlinePanel("links", heading=_("Lenker"), label=_("Lenke")),
    ]

    class Meta:
        verbose_name = _("oppslag")
        verbose_name_plural = _("oppslag")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade_mask__gte=0, grade_mask__lt=1 << (LAST_GRADE + 1)),
                name="content_notice_grades_in_range",
            )
        ]

    def __str__(self) -> str:
        return str(self.title)

    @property
    def grades(self) -> list[int]:
        return grades_of(self.grade_mask)

    @property
    def grades_label(self) -> str:
        return grade_span(self.grades)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.unit is None and self.depth:
            parent = self.get_parent()
            if parent is not None and isinstance(parent.specific, UnitPage):
                self.unit = parent.specific.unit
        super().save(*args, **kwargs)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        serve = csp_override(preview_csp())(super().serve_preview)
        response: HttpResponse = serve(request, mode_name)
        return response


class NoticeLink(Orderable):
    """A link in a notice: a label and an https address."""

    notice = ParentalKey(Notice, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("lenketekst"), max_length=200)
    url = models.URLField(_("adresse"), max_length=500, validators=[validate_https])

    panels = [FieldPanel("label"), FieldPanel("url")]

    class Meta(Orderable.Meta):
        verbose_name = _("lenke")
        verbose_name_plural = _("lenker")

    def __str__(self) -> str:
        return str(self.label)


def unit_opening_hours(unit: Any) -> list[Any] | None:
    """The unit's hours for the coming seven days, from `organisations` (never stored here), or None."""
    week: list[Any] = hours.week_for(unit, today())
    return week if any(day.intervals for day in week) else None
