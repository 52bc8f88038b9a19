"""Pictures on the unit pages: checked from their bytes, kept in the unit's own Wagtail image collection."""

import io
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Collection

from helseportal.core.errors import Refused
from helseportal.organisations.models import Unit

MAX_PICTURE_BYTES = 5 * 1024 * 1024
MAX_PICTURE_PIXELS = 40_000_000
PICTURE_FORMATS = {"JPEG": "jpg", "PNG": "png"}
PICTURE_RENDITION = "max-800x800"


def unit_collection(unit: Unit) -> Collection:
    """The unit's own image collection, so one unit's editors never pick or change another's pictures."""
    name = f"{unit.orgnr} {unit.name}"[:255]
    root = Collection.get_first_root_node()
    if root is None:
        root = Collection.add_root(name="Root")
    existing = root.get_children().filter(name=name).first()
    return existing if existing is not None else root.add_child(name=name)


def store_picture(unit: Unit, upload: UploadedFile, *, title: str) -> Any:
    """Save an uploaded JPEG or PNG as a Wagtail image in the unit's collection; the type comes from the content."""
    extension = check_picture(upload)
    upload.seek(0)
    image_model = get_image_model()
    image = image_model(title=title[:255] or "bilde", collection=unit_collection(unit))
    image.file.save(f"enhet-{unit.pk}.{extension}", upload, save=False)
    image.save()
    return image


def check_picture(upload: UploadedFile) -> str:
    """Return the file extension for a JPEG or PNG, judged from the bytes (not the name or the browser's type).

    Raises Refused with a message for the form when the file is too big, not an image, or another format.
    """
    if upload.size is not None and upload.size > MAX_PICTURE_BYTES:
        raise Refused(_("Bildet er for stort. Største filstørrelse er 5 MB."))
    upload.seek(0)
    data = upload.read(MAX_PICTURE_BYTES + 1)
    if len(data) > MAX_PICTURE_BYTES:
        raise Refused(_("Bildet er for stort. Største filstørrelse er 5 MB."))
    try:
        with PILImage.open(io.BytesIO(data)) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            probe.verify()
    except (OSError, SyntaxError, ValueError, PILImage.DecompressionBombError):
        raise Refused(_("Filen er ikke et bilde vi kan lese. Bruk JPEG eller PNG.")) from None
    if image_format not in PICTURE_FORMATS:
        raise Refused(_("Bildet må være JPEG eller PNG."))
    if width * height > MAX_PICTURE_PIXELS:
        raise Refused(_("Bildet har for mange piksler. Gjør det mindre og prøv igjen."))
    return PICTURE_FORMATS[image_format]
