"""`{% once "name" value… %}…{% endonce %}`: a template's static part rendered once per process and language.

Every page's header, footer and menus are mostly `{% translate %}` and `{% url %}`: the same text for every request
in a language, yet Django works it out again each time (issue 14: a third of a page's CPU). Inside `once`, the
block is rendered the first time and its text kept, keyed on the block (as parsed), the active language, the
script prefix its links begin with, and the values given after its name (whatever else the block shows must be one
of them):

    {% once "footer" contact_phone contact_email %}…{% endonce %}
    {% once "pregnancy-nav" request.path %}…{% endonce %}

Only for what is the same for everyone who gives the same values: never a name, a person, a CSRF token or anything
from the database. The text depends on the templates, the translations and the URL configuration, which are fixed
while a process runs (as the cached template loader assumes); a settings change (the tests' `override_settings`)
empties it. Kept per process, bounded: a value with many forms (a path) cannot fill the memory.
"""

import itertools
from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.loader_tags import BlockNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

LIMIT = 2048  # texts kept per process (our choice: each a few kB; a page has a handful)
_texts: dict[tuple[Any, ...], SafeString] = {}
_serials = itertools.count()


class OnceNode(template.Node):
    # Not searched for nodes: `{% extends %}` looks for its parent's blocks through the whole tree on every render
    # (`get_nodes_by_type`), and most of the layout is inside `once`. So no `{% block %}` may be inside one (`once`
    # refuses it), where it would be rendered once anyway.
    child_nodelists = ()

    def __init__(self, nodelist: NodeList, name: str, values: list[FilterExpression]) -> None:
        self.nodelist = nodelist
        self.name = name
        self.values = values
        # Each block as parsed: a template parsed again (a new process, the loader's reload in development) gets a
        # new number, never another block's text.
        self.serial = next(_serials)

    def render(self, context: template.Context) -> str:
        key = (self.serial, get_language(), get_script_prefix(), *(str(v.resolve(context)) for v in self.values))
        text = _texts.get(key)
        if text is None:
            text = mark_safe(self.nodelist.render(context))  # noqa: S308 (the template's own rendering)
            if len(_texts) >= LIMIT:
                _texts.clear()
            _texts[key] = text
        return text


@register.tag("once")
def once(parser: Parser, token: Token) -> OnceNode:
    bits = token.split_contents()
    if len(bits) < 2 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError('{% once "name" value… %} needs a quoted name')
    nodelist = parser.parse(("endonce",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError("{% once %} cannot hold a {% block %}: its text is kept as first rendered")
    return OnceNode(nodelist, bits[1][1:-1], [parser.compile_filter(bit) for bit in bits[2:]])


def forget(**_: object) -> None:
    """Drop every kept text (a setting changed: the URLs, the translations or a value may have)."""
    _texts.clear()


setting_changed.connect(forget)
