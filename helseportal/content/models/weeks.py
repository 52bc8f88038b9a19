"""The pregnancy week by week (Svangerskapet uke for uke): an index and one page per week and language.

Editors write the pages in Wagtail's admin at /cms/. The public reads them through our own view at
/gravid/uke/<week>/, not through Wagtail's page tree URLs, so the address stays stable whatever an editor
does to titles and slugs. The shipped texts and their loading live in `pregnancy.weeks`.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField

from helseportal.content.languages import with_fallback
from helseportal.content.models.base import IndexPage, PortalPage, page_panels

FIRST_WEEK = 4
LAST_WEEK = 42

# Plain, structured text only: no images, embeds or documents, which would need apps and storage we do not run.
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]


class PregnancyWeekIndexPage(IndexPage):
    """The parent of the week pages in one language: the editors' group has its rights here."""

    subpage_types = ["content.PregnancyWeekPage"]

    class Meta:
        verbose_name = verbose_name_plural = _("svangerskapet uke for uke")


class PregnancyWeekPage(PortalPage):
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

    content_panels = page_panels(
        MultiFieldPanel([FieldPanel("week"), FieldPanel("summary")], heading=_("Uke")), "baby", "mother", "consultation"
    )

    class Meta:
        verbose_name = _("svangerskapsuke")
        verbose_name_plural = _("svangerskapsuker")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(week__gte=FIRST_WEEK, week__lte=LAST_WEEK),
                name="content_pregnancy_week_in_range",
            )
        ]

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
