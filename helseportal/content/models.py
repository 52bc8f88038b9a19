"""Editorial content as Wagtail pages: the pregnancy week by week (Svangerskapet uke for uke).

Editors write the pages in Wagtail's admin at /cms/. The public reads them through our own view at
/gravid/uke/<week>/, not through Wagtail's page tree URLs, so the address stays stable whatever an editor
does to titles and slugs.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csp import csp_override
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from helseportal.content.csp import preview_csp

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

    The week is counted as in the health card: completed weeks since the first day of the last period.
    """

    week = models.IntegerField(
        _("svangerskapsuke"),
        unique=True,
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
        from helseportal.content.queries import published_neighbours

        context: dict[str, Any] = super().get_context(request, *args, **kwargs)
        context["previous_week"], context["next_week"] = published_neighbours(self.week)
        return context
