"""A document's bytes: checked when a source sends them, kept beside the row, served as `Binary/document-<n>`.

A `DocumentReference` carries its document in `content.attachment` (R4 documentreference.html): `data` (base64) or a
`url`. The JSON row is not the place for a 10 MB PDF (every list and search would carry it), so the writer takes
the bytes out before the store sees the resource (`prepare`): they go to the file storage under their SHA-256
(content-addressed: the same document sent again is the same file, and the name says nothing of person or content;
a file left by a send the store then refused is never named by a row, and harmless), and the stored attachment keeps
`contentType`, `size`, `hash` (R4: SHA-1, base64), what else the source said (`title`, `creation`, `language`), and
in `url` our pointer `urn:helseportal:document-content:<sha256>`, served as `Binary/document-<record key>`.

Our choices (docs/fhir-api.md says them to source systems):
- One document per DocumentReference: exactly one `content`. A source with a PDF and its text sends two.
- PDF (`application/pdf`, the bytes begin `%PDF-`) and plain text (`text/plain`, UTF-8 without NUL bytes) only:
  what a browser shows safely. The type is read from the bytes, never taken from `contentType` alone.
- At most `max_bytes()` (10 MB, as an attachment to a message; `HELSEPORTAL_DOCUMENT_MAX_BYTES`).
- `url`: only `Binary/document-<n>` of a document the same unit sent (what the API served it); the portal fetches
  nothing from other addresses. A `size` or `hash` the source sends must agree with the bytes.
"""

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _

from helseportal.core.errors import Invalid
from helseportal.fhir import JSON
from helseportal.fhir.codes import LOCAL
from helseportal.records.models import Record

BINARY_PREFIX = "document-"  # `Binary/document-7`: beside messaging's `Binary/attachment-<n>`
POINTER = LOCAL + "document-content:"
PDF, TEXT = "application/pdf", "text/plain"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024  # our choice: as a message's attachment (messaging/files.py)
_SERVED_URL = re.compile(r"^(?:.*/)?Binary/" + BINARY_PREFIX + r"(\d{1,18})$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def max_bytes() -> int:
    return int(getattr(settings, "HELSEPORTAL_DOCUMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def prepare(unit_id: int, resource: JSON) -> JSON:
    """The resource as the store keeps it: its document's bytes checked and stored, `data` replaced by our pointer.
    `Invalid` (an OperationOutcome) for a document we do not take."""
    content = resource.get("content")
    if not isinstance(content, list) or len(content) != 1 or not isinstance(content[0], dict):
        raise Invalid(_("Send ett dokument per DocumentReference (nøyaktig ett content)."))
    attachment = content[0].get("attachment")
    if not isinstance(attachment, dict):
        raise Invalid(_("Dokumentet mangler (content.attachment)."))
    kept = _stored(attachment) if attachment.get("data") is None else _received(attachment)
    if kept is None:
        kept = _sent_before(unit_id, attachment)
    return {**resource, "content": [{**content[0], "attachment": kept}]}


def _received(attachment: JSON) -> JSON:
    data = _decoded(attachment.get("data"))
    content_type = _checked_type(str(attachment.get("contentType") or ""), data)
    digest = hashlib.sha256(data).hexdigest()
    sha1 = base64.b64encode(hashlib.sha1(data, usedforsecurity=False).digest()).decode("ascii")
    if attachment.get("size") is not None and attachment.get("size") != len(data):
        raise Invalid(_("content.attachment.size stemmer ikke med dokumentets størrelse."))
    if attachment.get("hash") is not None and attachment.get("hash") != sha1:
        raise Invalid(_("content.attachment.hash stemmer ikke med dokumentet (SHA-1, base64)."))
    _keep(digest, data)
    kept = {name: value for name, value in attachment.items() if name not in ("data", "url")}
    return kept | {"contentType": content_type, "size": len(data), "hash": sha1, "url": POINTER + digest}


def _decoded(data: Any) -> bytes:
    try:
        decoded = base64.b64decode(str(data), validate=True)
    except (binascii.Error, ValueError):
        raise Invalid(_("Dokumentet i content.attachment.data er ikke gyldig base64.")) from None
    if not decoded:
        raise Invalid(_("Dokumentet i content.attachment.data er tomt."))
    if len(decoded) > max_bytes():
        raise Invalid(_("Dokumentet er større enn %(limit)s MB.") % {"limit": max_bytes() // (1024 * 1024)})
    return decoded


def _checked_type(sent: str, data: bytes) -> str:
    """The content type, if the bytes are what it says: a PDF begins with `%PDF-`, a text is UTF-8 without NUL."""
    base = sent.split(";")[0].strip().lower()
    if base == PDF and data.startswith(b"%PDF-"):
        return PDF
    if base == TEXT and b"\x00" not in data and not data.startswith(b"%PDF-"):
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        else:
            return "text/plain; charset=utf-8"
    raise Invalid(
        _("Dokumentet må være en PDF (application/pdf) eller ren tekst i UTF-8 (text/plain), og innholdet må stemme.")
    )


def _keep(digest: str, data: bytes) -> None:
    path = _path(digest)
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(data))


def _path(digest: str) -> str:
    return f"records/documents/{digest[:2]}/{digest}"


def stored_paths() -> Iterator[str]:
    """The files under MEDIA_ROOT that documents name (their bytes): what `helseportal backup` copies."""
    rows = Record.objects.filter(resource_type="DocumentReference").values_list("resource", flat=True)
    for resource in rows.iterator(chunk_size=500):
        digest = str((stored_attachment(resource) or {}).get("url") or "").removeprefix(POINTER)
        if _SHA256.match(digest):
            yield _path(digest)


def _stored(attachment: JSON) -> JSON | None:
    """An attachment already in our stored form is never taken from a source: the pointer is ours."""
    if str(attachment.get("url") or "").startswith(POINTER):
        raise Invalid(_("Adressen i content.attachment.url er ikke en du kan sende."))
    return None


def _sent_before(unit_id: int, attachment: JSON) -> JSON:
    """`url: Binary/document-<n>`: the document the same unit sent before (as the API served it back)."""
    found = _SERVED_URL.match(str(attachment.get("url") or ""))
    rows = Record.objects.filter(source_unit_id=unit_id, resource_type="DocumentReference")
    row = rows.filter(pk=int(found.group(1))).first() if found is not None else None
    if row is None:
        raise Invalid(
            _(
                "Send dokumentet i content.attachment.data (base64). Helseportalen henter ikke dokumenter fra andre "
                "adresser; url kan bare være Binary/document-<id> for et dokument dere har sendt før."
            )
        )
    before = stored_attachment(row.resource) or {}
    kept = {name: value for name, value in attachment.items() if name != "url"}
    return kept | {name: before[name] for name in ("contentType", "size", "hash", "url") if name in before}


def stored_attachment(resource: JSON) -> JSON | None:
    """The stored attachment of a document as the store keeps it, or None."""
    content = resource.get("content")
    if isinstance(content, list) and content and isinstance(content[0], dict):
        attachment = content[0].get("attachment")
        return attachment if isinstance(attachment, dict) else None
    return None


def served(resource: JSON, pk: int) -> JSON:
    """The resource as the API serves it: our pointer as `Binary/document-<pk>`."""
    attachment = stored_attachment(resource)
    if attachment is None or not str(attachment.get("url") or "").startswith(POINTER):
        return resource
    content = resource["content"]
    linked = {**attachment, "url": f"Binary/{BINARY_PREFIX}{pk}"}
    return {**resource, "content": [{**content[0], "attachment": linked}, *content[1:]]}


def content_type(resource: JSON) -> str:
    attachment = stored_attachment(resource) or {}
    return str(attachment.get("contentType") or "")


def is_pdf(resource: JSON) -> bool:
    return content_type(resource) == PDF


def read_bytes(resource: JSON) -> bytes:
    """The document's bytes; `FileNotFoundError` when the row names none or the file is gone (an operations fault)."""
    pointer = str((stored_attachment(resource) or {}).get("url") or "")
    digest = pointer.removeprefix(POINTER)
    if not pointer.startswith(POINTER) or not _SHA256.match(digest):
        raise FileNotFoundError("the document names no stored content")
    with default_storage.open(_path(digest), "rb") as handle:
        data: bytes = handle.read()
    return data


def text_of(resource: JSON) -> str:
    """A text document as text (checked as UTF-8 when received)."""
    return read_bytes(resource).decode("utf-8", errors="replace")
