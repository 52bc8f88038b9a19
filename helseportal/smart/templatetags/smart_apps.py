"""`{% connected_apps %}`: the profile page's list of the apps she has connected, each with a disconnect button.

A template tag rather than a view's context, so the profile (in `access`, a lower layer) needs one line in its
template and no import of this app.
"""

from typing import Any

from django import template

from helseportal.core.request import actor_of
from helseportal.smart import queries

register = template.Library()


@register.inclusion_tag("smart/includes/connected_apps.html", takes_context=True)
def connected_apps(context: template.Context) -> dict[str, Any]:
    request = context["request"]
    actor = actor_of(request)
    connections = queries.connected_apps(actor) if actor.is_citizen else []
    return {"connections": connections, "me": actor.person_id, "csrf_token": context.get("csrf_token")}
