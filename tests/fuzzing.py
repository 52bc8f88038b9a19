"""The form fuzzer's parts: the POST routes from the URLconf, the forms the pages show, hostile values, the checks.

Nothing here is written per form. The routes come from the URLconf (a view's `require_http_methods` says which
methods it takes); the forms, their fields, options and the ids in their actions come from the pages the
personas see (`<form method="post">` in the HTML). A new form, a new field or a new POST route is fuzzed without
a line changed here; a POST route that no page shows a form for fails `test_fuzz_forms.py`.
"""

import contextlib
import copy
import datetime
import logging
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
# level) and the development identity provider (never mounted in production).
NOT_THE_PORTALS = ("admin/", "cms/", "dev-idp/")
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
        if not pattern.startswith(NOT_THE_PORTALS) and (methods is None or "POST" in methods):
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

    @property
    def has_files(self) -> bool:
        return any(f.kind == "file" for f in self.fields)


@dataclass
class _Building:
    action: str
    fields: dict[str, Field] = field(default_factory=dict)


class FormParser(HTMLParser):
    """Collect the page's POST forms with their fields (radio groups, select options and submit values merged)."""

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
            post = a.get("method", "get").lower() == "post"
            self._form = _Building(a.get("action") or self.page) if post else None
            if self._form:
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


def forms_on(html: str, page: str, persona: str) -> list[Form]:
    parser = FormParser(page)
    parser.feed(html)
    return [
        Form(
            urlsplit(b.action).path or page,
            tuple(f for n, f in b.fields.items() if n != "csrfmiddlewaretoken"),
            page,
            persona,
        )
        for b in parser.forms
    ]


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
    """Open the start pages and the pages they link to under `prefixes` (breadth first); their POST forms."""
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
    "00:00", "24:00", "23:59:60", "25:61", "12:00:00.000001", "9999-12-31T23:59", "0001-01-01T00:00", "2027-03-28T02:30",
    "2027-10-31T02:30", "true", "false", "on", "None", "null", "[]", "{}", "a\x00b", "\x00", "x" * 10_000,
    "ø" * 3000, "<script>alert(1)</script>", "' OR 1=1 --", "\u202eevil", "\u200b", "👶🏽", "ﬀ", "e\u0301",
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


def _plausible(item: Field) -> str:
    """A value a user might well type, so some posts get past the form to the service."""
    if item.value or item.options:
        return item.value or item.options[0]
    today = time.today()
    by_kind = {
        "date": today.isoformat(),
        "time": "10:00",
        "datetime-local": f"{today.isoformat()}T10:00",
        "number": item.attr("min") or "1",
        "email": "kari@example.no",
        "tel": "91234567",
    }
    return by_kind.get(item.kind, "Test")


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
def payload(draw: st.DrawFn, form: Form) -> dict[str, Any]:
    """Values for the form's fields: mostly what a user would send, each field sometimes missing, hostile or many."""
    data: dict[str, Any] = {}
    for item in form.fields:
        mode = draw(st.sampled_from(["plausible", "plausible", "hostile", "missing", "many"]))
        if mode == "missing":
            continue
        if item.kind == "file":
            data[item.name] = [draw(upload()) for _ in range(draw(st.integers(0, 3)))] if mode != "plausible" else []
            continue
        one = st.sampled_from(item.options) if item.options and mode == "plausible" else hostile_text()
        if mode == "plausible":
            data[item.name] = draw(one) if item.options else _plausible(item)
        elif mode == "hostile":
            data[item.name] = draw(hostile_text())
        else:
            choices = st.one_of(st.sampled_from(item.options), hostile_text()) if item.options else hostile_text()
            data[item.name] = draw(st.lists(choices, min_size=2, max_size=4))
    if draw(st.booleans()):
        data[draw(st.sampled_from(["extra", "id", "pk", "person_id", "actor", "__proto__"]))] = draw(hostile_text())
    return data


def post(client: Client, form: Form, data: dict[str, Any]) -> Any:
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


def row_counts() -> dict[str, int]:
    """Rows per table (one query), for "a rejected post writes nothing"."""
    tables = sorted({m._meta.db_table for m in apps.get_models() if m._meta.managed} - MAY_CHANGE_ON_REJECTION)
    existing = set(connection.introspection.table_names())
    tables = [t for t in tables if t in existing]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(t)})" for t in tables)
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
