"""Attachments: the type is read from the file's first bytes, the name is cleaned, the limits come from settings.

The name a browser sends and its Content-Type header are both chosen by the sender, so neither decides what a
file is: an executable renamed to `.pdf` starts with `MZ`, not `%PDF-`, and is refused.
"""

import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from helseportal.core.errors import Refused

# (magic bytes, content type, extension). PDF, JPEG and PNG only (issue #5).
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_COUNT = 5
NAME_MAX_LENGTH = 100
UNSAFE = re.compile(r"[^\w .()+-]")


class BadAttachment(Refused):
    """An upload was refused; the form shows the message at the attachments field."""


@dataclass(frozen=True)
class Checked:
    """An upload that passed: what it is and what it will be called when downloaded."""

    upload: UploadedFile
    content_type: str
    name: str
    size: int


def max_bytes() -> int:
    return int(getattr(settings, "HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_count() -> int:
    return int(getattr(settings, "HELSEPORTAL_MESSAGE_ATTACHMENT_MAX_COUNT", DEFAULT_MAX_COUNT))


def sniff(head: bytes) -> tuple[str, str] | None:
    """The content type and extension the first bytes prove, or None."""
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def clean_name(name: str, extension: str) -> str:
    """The last path part, without control or path characters, ending in the detected type's extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = PureWindowsPath(PurePosixPath(name).name).name
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = UNSAFE.sub("_", stem).strip(" ._") or _("vedlegg")
    return f"{stem[: NAME_MAX_LENGTH - len(extension) - 1]}.{extension}"


def check(uploads: list[UploadedFile]) -> list[Checked]:
    """Check every upload, or refuse them all with a message naming the file and what is wrong."""
    if len(uploads) > max_count():
        raise BadAttachment(_("Du kan legge ved høyst %(count)s filer.") % {"count": max_count()})
    return [check_one(upload) for upload in uploads]


def check_one(upload: UploadedFile) -> Checked:
    shown = clean_name(upload.name or "", "x")[:-2]
    size = upload.size or 0
    if size == 0:
        raise BadAttachment(_("Filen «%(name)s» er tom.") % {"name": shown})
    if size > max_bytes():
        limit = max_bytes() // (1024 * 1024)
        raise BadAttachment(_("Filen «%(name)s» er større enn %(limit)s MB.") % {"name": shown, "limit": limit})
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    found = sniff(head)
    if found is None:
        raise BadAttachment(
            _("Filen «%(name)s» er ikke en PDF, JPEG eller PNG. Du kan bare legge ved slike filer.") % {"name": shown}
        )
    content_type, extension = found
    return Checked(upload, content_type, clean_name(upload.name or "", extension), size)
