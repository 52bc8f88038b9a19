"""The citizen's connected apps: the list is an include on the profile page (templatetags), disconnecting is here."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helseportal.core.request import actor_of
from helseportal.core.routes import high
from helseportal.smart import services


@high
@require_POST
def disconnect(request: HttpRequest, connection_id: int) -> HttpResponse:
    """Revoke one connected app and every token it holds; someone else's connection is a 404 (`NotFound`)."""
    connection = services.disconnect(actor_of(request), connection_id)
    messages.success(request, _("%(app)s er koblet fra og har ikke lenger tilgang.") % {"app": connection.client.name})
    return redirect("access:profile")
