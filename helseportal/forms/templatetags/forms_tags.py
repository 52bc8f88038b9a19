"""Template tags for other apps' pages that point to the forms: `{% offered_by unit as forms %}` gives the forms the
unit offers the person the page is for (the school health service's page for youth links to them)."""

from typing import Any

from django import template

from helseportal.core.request import actor_of
from helseportal.forms import queries
from helseportal.forms.models import Form
from helseportal.organisations.models import Unit

register = template.Library()


@register.simple_tag(takes_context=True)
def offered_by(context: dict[str, Any], unit: Unit | None) -> list[Form]:
    """The forms `unit` offers the actor of the page's request (`queries.offered`: her access, the form's audience)."""
    request = context.get("request")
    if unit is None or request is None:
        return []
    return [form for form in queries.offered(actor_of(request)) if form.unit_id == unit.pk]
