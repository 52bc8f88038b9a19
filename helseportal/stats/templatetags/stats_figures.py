"""`{{ cell|figure }}`: a dashboard cell as text, a count through `stats.suppression` ("< 5" under the threshold)."""

from django import template

from helseportal.stats.dashboard import Cell, cell_text

register = template.Library()


@register.filter
def figure(value: Cell) -> str:
    return cell_text(value)
