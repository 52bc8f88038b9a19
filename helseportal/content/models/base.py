"""What our pages share: the public template in Wagtail's preview (framed by the admin only), the one index
per kind of page, and the admin's panels."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override
from wagtail.admin.panels import FieldPanel, Panel
from wagtail.models import Page

from helseportal.content.csp import preview_csp


class PortalPage(Page):
    """A page the public reads through our own views, previewed in /cms/ with the same template."""

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return str(self.title)

    def serve_preview(self, request: HttpRequest, mode_name: str) -> HttpResponse:
        """Render the preview as the public page, but let the admin (same origin) frame it in its preview panel.

        Wagtail runs the preview through the whole middleware stack again, so the policy must be set here: the
        admin view's own CSP override comes too late to replace the header.
        """
        serve = csp_override(preview_csp())(super().serve_preview)
        response: HttpResponse = serve(request, mode_name)
        return response


class IndexPage(Page):
    """The one parent of the pages of one kind; page permissions granted on it are inherited by its children."""

    max_count = 1

    class Meta:
        abstract = True


def page_panels(*fields: str | Panel) -> list[Panel]:
    """The admin's panels of a page: Wagtail's title and slug, then `fields` (a field's name or a panel)."""
    return [*Page.content_panels, *(FieldPanel(f) if isinstance(f, str) else f for f in fields)]
