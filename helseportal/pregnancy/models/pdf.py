"""The card's PDF as last laid out, kept so that an unchanged card is served without laying it out again."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from helseportal.identity.models import Person
from helseportal.pregnancy.models.card import Pregnancy


class PdfVariant(models.TextChoices):
    OWN = "own", _("Egen kopi")  # her full fødselsnummer
    COPY = "copy", _("Kopi for andre")  # a parent's, a proxy's or a clinician's: masked


class CardPdf(models.Model):
    """The last PDF made of a card, kept with the hash of the HTML it was laid out from.

    Laying out the card takes WeasyPrint most of a second; an unchanged card (same HTML apart from the time it
    was made) is served from here instead (`pdf.card_pdf`). One row per pregnancy, variant and language; a new
    render replaces it. A copy of health data: it carries the person key and goes with the pregnancy.
    """

    pregnancy = models.ForeignKey(Pregnancy, on_delete=models.CASCADE, related_name="pdfs")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    variant = models.CharField(max_length=4, choices=PdfVariant.choices)
    language = models.CharField(max_length=5)
    content_hash = models.CharField(max_length=64)  # sha256 of the HTML with the time it was made left out
    made_at = models.DateTimeField()
    pdf = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["pregnancy", "variant", "language"], name="one_stored_pdf_per_variant"),
        ]

    def __str__(self) -> str:
        return f"PDF {self.variant}/{self.language} of pregnancy {self.pregnancy_id}"
