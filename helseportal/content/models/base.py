"""What every page of ours shares: the public template in Wagtail's preview, framed by the admin only."""

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csp import csp_override
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
