"""Notices from a unit to grades at a school, published on a schedule (DOMAIN.md §4, "Redaktørløsning")."""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from helseportal.content.models.base import PortalPage, page_panels
from helseportal.content.models.units import UnitPage

FIRST_GRADE = 1
LAST_GRADE = 13
GRADES = range(FIRST_GRADE, LAST_GRADE + 1)


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


def grade_choices_field() -> forms.TypedMultipleChoiceField:
    """Grades 1–13 as checkboxes, at least one: the admin's notice form and the staff side's."""
    return forms.TypedMultipleChoiceField(
        label=_("Trinn"),
        choices=[(grade, _("%(grade)s. trinn") % {"grade": grade}) for grade in GRADES],
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Velg minst ett trinn.")},
    )


class NoticeAdminForm(WagtailAdminPageForm):
    """The admin's notice form: the grades as checkboxes, stored as a bit mask on the page."""

    grades = grade_choices_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.grade_mask:
            self.initial["grades"] = grades_of(self.instance.grade_mask)

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        self.instance.grade_mask = grade_mask(cleaned.get("grades") or [])
        return cleaned


class Notice(PortalPage):
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

    content_panels = page_panels(
        "school", "grades", "text", "sender", InlinePanel("links", heading=_("Lenker"), label=_("Lenke"))
    )

    class Meta:
        verbose_name = verbose_name_plural = _("oppslag")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade_mask__gte=0, grade_mask__lt=1 << (LAST_GRADE + 1)),
                name="content_notice_grades_in_range",
            )
        ]

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
