"""The form fuzzer's parts: the POST routes from the URLconf, the forms the pages show, hostile values, the checks.

Nothing here is written per form. The routes come from the URLconf (a view's `require_http_methods` says which
methods it takes); the forms, their fields, options and the ids in their actions come from the pages the
personas see (`<form method="post">` in the HTML). A new form, a new field or a new POST route is fuzzed without
a line changed here; a POST route that no page shows a form for fails `test_fuzz_forms.py`.
"""

import contextlib
import copy
import datetime
import functools
import logging
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from hypothesis import strategies as st

from helseportal.core import time

# Routes that are no form of the portal's: Django's and Wagtail's admin (behind their own login, `system`
# level), the development identity provider (never mounted in production) and the FHIR API (JSON for API
# clients, fuzzed from its OpenAPI document by helseportal/fhir/tests/test_openapi.py).
NOT_THE_PORTALS = ("admin/", "cms/", "dev-idp/", "fhir/")
# POST routes no page shows a form for, by name, with the reason. The OAuth 2 token and revocation endpoints are
# posted to by an app's or a record system's own code (RFC 6749 § 3.2, RFC 7009 § 2.1) and answer JSON; they are
# fuzzed by tests/test_fuzz_oauth.py, which takes its routes from this table.
MACHINE_ENDPOINTS = {
    "smart:token": "the OAuth 2 token endpoint: clients post to it from code, it answers JSON",
    "smart:revoke": "the OAuth 2 revocation endpoint: clients post to it from code, it answers JSON",
}
# Rows a rejected post may still write: the audit of the page it re-rendered, and the session.
MAY_CHANGE_ON_REJECTION = {"access_auditevent", "django_session"}


# --- the POST routes ----------------------------------------------------------------------------------------


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace or "") if part)
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else str(entry.name), entry


def allowed_methods(view: Callable[..., Any]) -> set[str] | None:
    """The methods `require_http_methods` lets through (read from its closure); None when it is not used."""
    function: Any = view
    while function is not None:
        for cell in getattr(function, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list | tuple) and value and all(isinstance(m, str) and m.isupper() for m in value):
                return set(value)
        function = getattr(function, "__wrapped__", None)
    return None


def post_routes() -> dict[str, str]:
    """Every route of the portal that takes a POST: its name ("pregnancy:measurements") and its pattern."""
    found = {}
    for pattern, name, entry in _walk(get_resolver().url_patterns):
        methods = allowed_methods(entry.callback)
        if (
            not pattern.startswith(NOT_THE_PORTALS)
            and name not in MACHINE_ENDPOINTS
            and (methods is None or "POST" in methods)
        ):
            found[name] = pattern
    return found


def route_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


# --- the forms on a page ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # the input's type ("text", "date", "file", …), "select", "textarea" or "submit"
    options: tuple[str, ...] = ()  # a select's, a radio group's or a submit button group's values
    value: str = ""  # what the page filled in
    attrs: tuple[tuple[str, str], ...] = ()

    def attr(self, name: str) -> str:
        return dict(self.attrs).get(name, "")


@dataclass(frozen=True)
class Form:
    action: str
    fields: tuple[Field, ...]
    page: str
    persona: str
    method: str = "post"

    @property
    def has_files(self) -> bool:
        return any(f.kind == "file" for f in self.fields)


@dataclass
class _Building:
    action: str
    method: str
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Collect the page's forms with their fields (radio groups, select options and submit values merged)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[_Building] = []
        self._form: _Building | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = _Building(a.get("action") or self.page, a.get("method", "get").lower())
            self.forms.append(self._form)
        elif tag == "option" and self._form is not None and self._select is not None:
            self._add(Field(self._select, "select", (a.get("value", ""),)))
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            value = a.get("value", "on" if kind in ("checkbox", "radio") else "")
            self._add(
                Field(a["name"], kind, (value,) if kind in ("radio", "checkbox", "submit") else (), value, _keep(a))
            )
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._add(Field(a["name"], "submit", (a.get("value", ""),), a.get("value", "")))
        elif tag == "select":
            self._select = a["name"]
            self._add(Field(a["name"], "select", (), "", _keep(a)))
        elif tag == "textarea":
            self._textarea = a["name"]
            self._add(Field(a["name"], "textarea", (), "", _keep(a)))

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            old = self._form.fields[self._textarea]
            self._form.fields[self._textarea] = Field(old.name, old.kind, old.options, old.value + data, old.attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def _add(self, new: Field) -> None:
        assert self._form is not None
        old = self._form.fields.get(new.name)
        if old is None:
            self._form.fields[new.name] = new
            return
        options = old.options + tuple(o for o in new.options if o not in old.options)
        self._form.fields[new.name] = Field(old.name, old.kind, options, old.value or new.value, old.attrs)


def _keep(attrs: dict[str, str]) -> tuple[tuple[str, str], ...]:
    return tuple((k, v) for k, v in attrs.items() if k in ("min", "max", "maxlength", "required", "multiple"))


def _target(action: str, method: str, page: str) -> str:
    """Where a browser sends the form: a POST keeps its action's query (the consent page's OAuth parameters);
    a GET form's fields replace it."""
    parts = urlsplit(action)
    path = parts.path or page
    return f"{path}?{parts.query}" if method == "post" and parts.query else path


def forms_on(html: str, page: str, persona: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    return [
        Form(
            _target(b.action, b.method, page),
            tuple(f for n, f in b.fields.items() if n != "csrfmiddlewaretoken"),
            page,
            persona,
            "post" if b.method == "post" else "get",
        )
        for b in parser.forms
    ]


class Browser(Client):
    """A test client that always speaks HTTPS, as the portal is served (the OAuth pages refuse plain HTTP)."""

    def generic(
        self,
        method: str,
        path: Any,
        data: Any = "",
        content_type: str | None = "application/octet-stream",
        secure: bool = True,
        **extra: Any,
    ) -> Any:
        return super().generic(method, path, data, content_type, True, **extra)


class _LinkParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = urljoin(self.page, dict(attrs).get("href") or "#")
        if tag == "a" and href.startswith("/") and not href.startswith("//"):
            self.links.append(urlsplit(href)._replace(fragment="").geturl())


SKIP_LINKS = (
    ".pdf",
    ".ics",
    "/logout/",
    "/login/",
    "/i18n/",
    "/static/",
    "/cms/",
    "/admin/",
    "/dev-idp/",
    "vedlegg/",
    "bilde/",
)


def crawl(client: Client, persona: str, start: list[str], prefixes: tuple[str, ...], limit: int = 60) -> list[Form]:
    """Open the start pages and the pages they link to under `prefixes` (breadth first); their forms."""
    seen: set[str] = set()
    queue = list(start)
    found: dict[tuple[str, tuple[str, ...]], Form] = {}
    while queue and len(seen) < limit:
        page = queue.pop(0)
        if page in seen:
            continue
        seen.add(page)
        response = client.get(page)
        if (
            response.status_code == 302
            and response["Location"].startswith("/")
            and "/login/" not in response["Location"]
        ):
            page = response["Location"]
            response = client.get(page)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for form in forms_on(html, urlsplit(page).path, persona):
            found.setdefault((form.action, tuple(f.name for f in form.fields)), form)
        links = _LinkParser(page)
        links.feed(html)
        queue += [
            link
            for link in links.links
            if link.startswith(prefixes) and not any(skip in link for skip in SKIP_LINKS) and link not in seen
        ]
    return list(found.values())


# --- hostile values -----------------------------------------------------------------------------------------

_ODD = [
    "", " ", "0", "-0", "-1", "1e3", "1e308", "-1e308", "NaN", "nan", "-NaN", "sNaN", "inf", "-Infinity",
    "9" * 20, "-" + "9" * 20, "9" * 400, "0x1F", "1_000", "١٢٣", "²", "½", "72,5", "72.5", "3,14159265358979",
    "9999-12-31", "0001-01-01", "31.12.9999", "01.01.0001", "2026-02-30", "2026-13-01", "99999-01-01", "-2026-01-01",
    "00:00", "24:00", "23:59:60", "25:61", "12:00:00.000001", "9999-12-31T23:59", "0001-01-01T00:00",
    "2027-03-28T02:30", "2027-10-31T02:30", "true", "false", "on", "None", "null", "[]", "{}", "a\x00b", "\x00",
    "x" * 10_000, "ø" * 3000, "<script>alert(1)</script>", "' OR 1=1 --", "\u202eevil", "\u200b", "👶🏽", "ﬀ",
    "e\u0301",
    "\r\n", "\t", "../../etc/passwd", "//evil.example/", "https://evil.example/", "javascript:alert(1)",
    "%00", "%s%n", "{{ 7*7 }}", "12345678901", "01019012345", "+4791234567", "91234567",
]  # fmt: skip
_NO_SURROGATES = st.characters(exclude_categories=("Cs",))


def hostile_text() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(_ODD),
        st.text(_NO_SURROGATES, max_size=30),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats().map(str),
        st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: d.isoformat()),
        st.dates(min_value=datetime.date(1, 1, 1)).map(lambda d: f"{d.day:02}.{d.month:02}.{d.year:04}"),
        st.times().map(str),
    )


# Values a user might well type, by input type: the fields not made hostile get one of these, so a post gets past
# the form's other checks to the field under attack, and on to the service.
def _plausible_values(item: Field) -> list[str]:
    today = time.today()
    days = [today + datetime.timedelta(days=n) for n in (0, 1, -1, 3, -60, 30, 200)]
    if item.kind == "date":
        return [d.isoformat() for d in days] + [f"{today:%d.%m.%Y}"]
    if item.kind == "datetime-local":
        return [f"{d.isoformat()}T{t}" for d in days[:4] for t in ("08:00", "23:00")]
    if item.kind == "time":
        return ["08:00", "10:30", "14:30", "23:00"]
    numbers = [n for n in (item.attr("min"), item.attr("max")) if n] + ["1", "5", "20", "40", "72", "80", "120", "145"]
    if item.kind == "number":
        return numbers
    if item.kind == "email":
        return ["kari@example.no"]
    if item.kind in ("tel", "url"):
        return ["91234567", "https://www.helsenorge.no/"]
    return [
        "Test",
        "Nordmann",
        "72,5",
        "5,4",
        "91234567",
        "08:00-15:30",
        *numbers[-4:],
        "Kjære lege, jeg lurer på noe.",
    ]


def plausible_values(item: Field) -> list[str]:
    if item.options:
        return list(item.options)
    if item.value and item.kind in ("hidden", "submit"):
        return [item.value]
    return ([item.value] if item.value else []) + _plausible_values(item)


def plausible(item: Field) -> st.SearchStrategy[str]:
    return st.sampled_from(plausible_values(item))


def accepted_posts(client: Client, form: Form, tries: int = 40, wanted: int = 4) -> list[dict[str, Any]]:
    """Posts of plausible values the view accepts (it redirects; a search answers 200), found by trying.

    The fuzzer starts most examples from one of them and changes one or two fields, so the hostile value meets
    the code behind a form that is otherwise valid: the service, the database.
    """
    chance = random.Random(form.action)  # the same tries every run
    found: list[dict[str, Any]] = []
    for _ in range(tries):
        data = {
            item.name: chance.choice(plausible_values(item))
            for item in form.fields
            if item.kind != "file" and (item.kind != "checkbox" or chance.random() < 0.5)
        }
        with rolled_back(client):
            response = post(client, form, data)
        if response.status_code in ((200,) if form.method == "get" else (301, 302, 303)):
            found.append(data)
            if len(found) == wanted:
                break
    return found


# Edge values by input type, drawn far more often than anything generic: the 500s live at the edges.
NUMBER_EDGES = [
    "-1", "0", "-0", "1e3", "1e20", "NaN", "inf", "-Infinity", "9" * 20, "-" + "9" * 20, "9" * 5000, "2147483648",
    "-2147483649", "32768", "65536", "1,5", "1.5", "1.05", "0.001", "٣", "+5", " 7 ", "5 000",
]  # fmt: skip
DATE_EDGES = [
    "9999-12-31", "0001-01-01", "31.12.9999", "01.01.0001", "1899-12-31", "2200-01-01", "2026-02-30", "2026-13-01",
    "2027-03-28", "2027-10-31", "99999-01-01", "-2026-01-01", "2026-6-1", "20260610",
]  # fmt: skip
TIME_EDGES = ["00:00", "24:00", "23:59:59", "02:30", "25:00", "-1:00", "12:60", "9999", "2:30 PM"]
TEXT_EDGES = ["a\x00b", "\x00", "x" * 10_000, "ø" * 3000, "\u202eevil", "e\u0301" * 50, "👶🏽" * 200, "\r\n" * 100]


def hostile(item: Field) -> st.SearchStrategy[str]:
    edges = {"number": NUMBER_EDGES, "date": DATE_EDGES, "time": TIME_EDGES}.get(item.kind)
    if item.kind == "datetime-local":
        edges = [f"{d}T{t}" for d in DATE_EDGES[:6] for t in ("00:00", "02:30")] + DATE_EDGES
    mixed = NUMBER_EDGES + DATE_EDGES + TIME_EDGES + TEXT_EDGES
    return st.one_of(
        st.sampled_from(edges or mixed), st.sampled_from(edges or mixed), st.sampled_from(mixed), hostile_text()
    )


_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"
_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


@st.composite
def upload(draw: st.DrawFn) -> SimpleUploadedFile:
    name = draw(
        st.one_of(
            st.sampled_from(["a.pdf", "b.png", "c.jpg", "d.exe", ".pdf", "x" * 300 + ".pdf"]),
            st.text(_NO_SURROGATES, min_size=1, max_size=40),
        )
    )
    head = draw(st.sampled_from([b"", _PDF, _PNG, _JPEG, b"MZ", b"<html>"]))
    tail = draw(st.binary(max_size=200))
    kind = draw(
        st.sampled_from(["application/pdf", "image/png", "image/jpeg", "text/html", "application/octet-stream"])
    )
    name = name.replace("\x00", "").replace("/", "_").replace("\\", "_")  # a browser sends no path
    return SimpleUploadedFile(name if name.strip(". ") else "f", head + tail, content_type=kind)


@st.composite
def payload(draw: st.DrawFn, form: Form, accepted: list[dict[str, Any]]) -> dict[str, Any]:
    """Plausible values, with up to two fields hostile, one missing and one sent several times (and a stray one).

    Three times in four, when there is one, the plausible values are those of a post the view accepted.
    """
    names = [item.name for item in form.fields]
    base = draw(st.sampled_from(accepted)) if accepted and draw(st.integers(0, 3)) else None
    pick = st.sets(st.sampled_from(names), max_size=2) if names else st.just(set())
    attacked = draw(st.sets(st.sampled_from(names), min_size=1, max_size=2) if names and base else pick)
    missing, many = draw(pick), draw(pick)
    data: dict[str, Any] = {}
    for item in form.fields:
        if base is not None and item.name not in attacked | missing | many:
            if item.name in base:
                data[item.name] = base[item.name]
            continue
        if item.name in missing and item.name not in attacked:
            continue
        if item.kind == "file":
            data[item.name] = [draw(upload()) for _ in range(draw(st.integers(0, 3)))] if item.name in attacked else []
        elif item.name in many:
            values = st.one_of(plausible(item), hostile(item))
            data[item.name] = draw(st.lists(values, min_size=2, max_size=4))
        else:
            data[item.name] = draw(hostile(item) if item.name in attacked else plausible(item))
    if draw(st.booleans()):
        data[draw(st.sampled_from(["extra", "id", "pk", "person_id", "actor", "__proto__"]))] = draw(hostile_text())
    return data


def post(client: Client, form: Form, data: dict[str, Any]) -> Any:
    """Send the form as a browser would: GET with a query string, POST urlencoded, or multipart with files."""
    if form.method == "get":
        return client.get(form.action, data)
    if form.has_files:
        return client.post(form.action, data)
    return client.post(form.action, urlencode(data, doseq=True), content_type="application/x-www-form-urlencoded")


# --- the checks ---------------------------------------------------------------------------------------------


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextlib.contextmanager
def no_tracebacks() -> Iterator[list[str]]:
    """Collect every error logged and every exception a request raised: the list must stay empty."""
    problems: list[str] = []
    handler = _Errors()
    root = logging.getLogger()
    root.addHandler(handler)

    def caught(sender: object, request: object = None, **kwargs: object) -> None:
        problems.append(f"exception in a request: {request}")

    got_request_exception.connect(caught)
    try:
        yield problems
    finally:
        got_request_exception.disconnect(caught)
        root.removeHandler(handler)
        problems += [f"{r.name}: {r.getMessage()}" for r in handler.records]


@functools.cache
def _counting_sql(vendor: str) -> tuple[list[str], str]:
    """The tables to count and the one query that counts them (built once per database kind)."""
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed} - MAY_CHANGE_ON_REJECTION)
    existing = set(connection.introspection.table_names())
    tables = [t for t in tables if t in existing]
    quote = connection.ops.quote_name
    # Table names from the models, quoted: no outside text reaches this SQL.
    return tables, "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)  # noqa: S608


def row_counts() -> dict[str, int]:
    """Rows per table (one query), for "a rejected post writes nothing"."""
    tables, sql = _counting_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(zip(tables, cursor.fetchone(), strict=True))


@contextlib.contextmanager
def rolled_back(client: Client) -> Iterator[None]:
    """Run one example in a savepoint that is rolled back, and give the client its cookies back after it."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        try:
            yield
        finally:
            transaction.set_rollback(True)
            client.cookies = cookies
