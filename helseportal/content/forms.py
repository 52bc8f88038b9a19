"""Forms of the staff side: the unit page, a staff member and a notice (every error in bokmål, on its field)."""

import datetime
import re
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.html import escape, strip_tags
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from helseportal.content.models import StaffMember, UnitPage, grade_choices_field
from helseportal.content.pictures import check_picture
from helseportal.content.services import LinkFields, StaffFields
from helseportal.core.errors import Refused
from helseportal.core.forms import DsForm
from helseportal.organisations.models import Unit

LINK_ROWS = 3
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
HPR_PATTERN = r"^[0-9]{4,9}$"


class PictureField(forms.FileField):
    """A JPEG or PNG of at most 5 MB, judged from its bytes."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Bilde"))
        kwargs.setdefault("help_text", _("JPEG eller PNG, høyst 5 MB."))
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if isinstance(upload, UploadedFile):
            try:
                check_picture(upload)
            except Refused as refusal:
                raise forms.ValidationError(refusal.message) from None
        return upload


def about_as_text(html: str) -> str:
    """The about text as the staff side edits it: paragraphs separated by a blank line, no markup."""
    paragraphs = re.split(r"</p>|<br\s*/?>|</li>|</h[1-6]>", html)
    return "\n\n".join(strip_tags(p).strip() for p in paragraphs if strip_tags(p).strip())


def about_as_html(text: str) -> str:
    """The staff side's paragraphs as the rich text Wagtail stores (escaped; no markup is let through)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join(f"<p>{escape(p).replace(chr(10), '<br/>')}</p>" for p in paragraphs)


def text_field(label: StrOrPromise, help_text: StrOrPromise, *, max_length: int, rows: int) -> forms.CharField:
    """An optional text of a few lines or paragraphs."""
    textarea = forms.Textarea(attrs={"rows": rows})
    return forms.CharField(label=label, help_text=help_text, required=False, max_length=max_length, widget=textarea)


class UnitPageForm(DsForm):
    display_name = forms.CharField(label=_("Visningsnavn"), max_length=200)
    about = text_field(
        _("Om oss"),
        _("Skriv i vanlige avsnitt med en tom linje mellom. Lister og lenker legges inn i /cms/."),
        max_length=5000,
        rows=8,
    )
    hours_note = text_field(
        _("Merknad om åpningstider"),
        _("For eksempel: «Drop-in uten time tirsdager». Selve åpningstidene hentes fra enhetsregisteret."),
        max_length=1000,
        rows=3,
    )
    picture = PictureField()
    remove_picture = forms.BooleanField(label=_("Fjern bildet"), required=False)

    @classmethod
    def for_page(cls, page: UnitPage, data: Any = None, files: Any = None) -> "UnitPageForm":
        initial = {"display_name": page.shown_name, "about": about_as_text(page.about), "hours_note": page.hours_note}
        form = cls(data, files, initial=initial)
        if page.picture_id is None:
            del form.fields["remove_picture"]
        return form

    def about_html(self, page: UnitPage) -> str:
        """Keep the stored rich text (lists, links made in /cms/) unless the text was actually changed here."""
        text = self.cleaned_data["about"]
        if text.strip() == about_as_text(page.about).strip():
            return page.about
        return about_as_html(text)


class StaffForm(DsForm):
    name = forms.CharField(label=_("Navn"), max_length=200)
    role = forms.CharField(
        label=_("Rolle"), max_length=100, help_text=_("For eksempel Helsesykepleier, Lege eller Jordmor.")
    )
    grades = forms.CharField(
        label=_("Trinn"), max_length=50, required=False, help_text=_("For eksempel 8–10. Kan stå tomt.")
    )
    hpr_number = forms.RegexField(
        label=_("HPR-nummer"),
        regex=HPR_PATTERN,
        required=False,
        max_length=9,
        error_messages={"invalid": _("HPR-nummeret skal bare ha sifre, 4 til 9 av dem.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    consent_to_show = forms.BooleanField(
        label=_("Personen har samtykket til å vises på den offentlige siden"), required=False
    )
    picture = PictureField()
    remove_picture = forms.BooleanField(label=_("Fjern bildet"), required=False)

    @classmethod
    def for_member(cls, member: StaffMember, data: Any = None, files: Any = None) -> "StaffForm":
        """The form filled with what is stored about `member`; "remove the picture" only if there is one."""
        names = ("name", "role", "grades", "hpr_number", "consent_to_show")
        form = cls(data, files, initial={name: getattr(member, name) for name in names})
        if member.picture_id is None:
            del form.fields["remove_picture"]
        return form

    def staff_fields(self) -> StaffFields:
        data = self.cleaned_data
        return StaffFields(
            name=data["name"],
            role=data["role"],
            grades=data["grades"],
            hpr_number=data["hpr_number"],
            consent_to_show=data["consent_to_show"],
        )


def moment_field(label: StrOrPromise, help_text: StrOrPromise, invalid: StrOrPromise) -> forms.DateTimeField:
    """An optional date and time, typed in the browser's own picker (`datetime-local`)."""
    return forms.DateTimeField(
        label=label,
        required=False,
        input_formats=[DATETIME_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        help_text=help_text,
        error_messages={"invalid": invalid},
    )


class NoticeForm(DsForm):
    title = forms.CharField(label=_("Overskrift"), max_length=200)
    school = forms.TypedChoiceField(label=_("Skole"), coerce=int)
    grades = grade_choices_field()
    text = forms.CharField(label=_("Tekst"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8}))
    sender = forms.CharField(
        label=_("Avsender"),
        max_length=200,
        help_text=_("Slik elevene skal se det, for eksempel «Helsesykepleier Ingrid»."),
    )
    go_live_at = moment_field(
        _("Publiseres"),
        _("La stå tomt for å publisere med en gang."),
        _("Skriv dato og klokkeslett, for eksempel 2026-12-01T08:00."),
    )
    expire_at = moment_field(
        _("Utløper"),
        _("Valgfritt. Etter dette vises ikke oppslaget lenger."),
        _("Skriv dato og klokkeslett, for eksempel 2026-12-15T16:00."),
    )

    def __init__(self, *args: Any, schools: list[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        school_field = self.fields["school"]
        assert isinstance(school_field, forms.TypedChoiceField)
        school_field.choices = [(school.pk, school.shown_name) for school in schools]
        if len(schools) == 1:
            self.fields["school"].initial = schools[0].pk
        for row in range(1, LINK_ROWS + 1):
            self.add_field(
                f"link{row}_label",
                forms.CharField(label=_("Lenketekst %(row)s") % {"row": row}, max_length=200, required=False),
            )
            self.add_field(
                f"link{row}_url",
                forms.URLField(
                    label=_("Adresse %(row)s") % {"row": row},
                    max_length=500,
                    required=False,
                    assume_scheme="https",
                    help_text=_("Må begynne med https://."),
                    error_messages={"invalid": _("Skriv en hel adresse som begynner med https://.")},
                ),
            )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        for row in range(1, LINK_ROWS + 1):
            label, url = cleaned.get(f"link{row}_label", ""), cleaned.get(f"link{row}_url", "")
            if url and not url.lower().startswith("https://"):
                self.add_error(f"link{row}_url", _("Lenken må begynne med https://."))
            if url and not label:
                self.add_error(f"link{row}_label", _("Skriv en lenketekst til adressen."))
            if label and not url and f"link{row}_url" not in self.errors:
                self.add_error(f"link{row}_url", _("Skriv adressen lenken skal gå til."))
        go_live_at: datetime.datetime | None = cleaned.get("go_live_at")
        expire_at: datetime.datetime | None = cleaned.get("expire_at")
        if expire_at is not None and expire_at <= (go_live_at or timezone.now()):
            self.add_error("expire_at", _("Oppslaget må utløpe etter at det er publisert."))
        return cleaned

    def links(self) -> list[LinkFields]:
        data = self.cleaned_data
        rows = ((data.get(f"link{row}_label", ""), data.get(f"link{row}_url", "")) for row in range(1, LINK_ROWS + 1))
        return [LinkFields(label=label, url=url) for label, url in rows if label and url]

    def link_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"link{row}_label"], self[f"link{row}_url"]) for row in range(1, LINK_ROWS + 1)]
