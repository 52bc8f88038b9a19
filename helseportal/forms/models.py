"""Skjema: the forms units publish (a FHIR Questionnaire, one row per version) and the answers citizens send.

`Form` keeps the Questionnaire as imported (JSON) with its canonical URL and version; a version is never changed
once imported (a new version is a new row), and each response points at the row it was filled in on.
`FormResponse` holds one person's answers to one form version: a draft (`in-progress`, changed on every step) until
she sends it, then the QuestionnaireResponse as built and validated (`resource`), with the indexed columns the
FHIR API and the lists search on (person, form, unit, authored). Nothing is deleted.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from helseportal.access.models import ServiceArea
from helseportal.identity.models import Person, Practitioner
from helseportal.organisations.models import Unit

URL_MAX_LENGTH = 255


class FormStatus(models.TextChoices):
    DRAFT = "draft", _("Utkast")
    PENDING = "pending", _("Venter på godkjenning")  # publishing.py: the operator's approval (issue 17 item 4)
    ACTIVE = "active", _("Publisert")
    RETIRED = "retired", _("Trukket tilbake")


class Form(models.Model):
    """One version of a Questionnaire a unit receives answers to."""

    url = models.CharField(_("kanonisk URL"), max_length=URL_MAX_LENGTH)
    version = models.CharField(_("versjon"), max_length=64)
    title = models.CharField(_("tittel"), max_length=255)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="forms")
    # The access area the answers belong to: the youth services' for a school health service or a youth health
    # station (hidden from parents), else messages (a form to a unit is a message with structure: our reading).
    area = models.CharField(_("tjenesteområde"), max_length=32, choices=ServiceArea.choices)
    public = models.BooleanField(_("åpent for alle"), default=False)
    status = models.CharField(_("status"), max_length=16, choices=FormStatus.choices, default=FormStatus.ACTIVE)
    resource = models.JSONField(_("Questionnaire"))
    imported_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("skjema")
        verbose_name_plural = _("skjemaer")
        constraints = [models.UniqueConstraint(fields=["url", "version"], name="forms_one_row_per_version")]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.version})"

    @property
    def canonical(self) -> str:
        return f"{self.url}|{self.version}"


# http://hl7.org/fhir/request-priority, in the words staff read (our wording).
PRIORITY_LABELS = {
    "stat": _("Straks"),
    "asap": _("Så snart som mulig"),
    "urgent": _("Haster"),
    "routine": _("Rutine"),
}


class ResponseStatus(models.TextChoices):
    IN_PROGRESS = "in-progress", _("Utkast")
    COMPLETED = "completed", _("Sendt")


class FormResponse(models.Model):
    """One person's answers to one form version: a draft while she fills it in, then what she sent."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="form_responses")
    # Who filled it in: the person herself, or a parent or proxy acting for her (the QuestionnaireResponse's author).
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="form_responses_written")
    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="responses")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="form_responses")
    area = models.CharField(max_length=32, choices=ServiceArea.choices)
    status = models.CharField(max_length=16, choices=ResponseStatus.choices, default=ResponseStatus.IN_PROGRESS)
    answers = models.JSONField(default=dict)  # linkId → answer elements, while it is a draft (and kept after)
    step = models.PositiveSmallIntegerField(default=0)  # the step she was last on, to resume there
    resource = models.JSONField(null=True, blank=True)  # the QuestionnaireResponse as sent
    authored = models.DateTimeField(null=True, blank=True)
    priority = models.CharField(max_length=16, blank=True)  # the triage outcome's request-priority code
    triage_rule = models.SmallIntegerField(null=True, blank=True)  # which rule gave it: its advice text
    read_by_unit_at = models.DateTimeField(null=True, blank=True)  # first opened by the unit's staff (inbox.py)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("skjemasvar")
        verbose_name_plural = _("skjemasvar")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "form"], condition=Q(status="in-progress"), name="forms_one_draft_per_form"
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "person"]),
            models.Index(fields=["person", "status", "authored"]),
            models.Index(fields=["unit", "status", "authored"]),
        ]

    def __str__(self) -> str:
        return f"{self.form} {self.status}"

    @property
    def hidden_from_representatives(self) -> bool:
        return self.area == ServiceArea.YOUTH

    @property
    def priority_label(self) -> str:
        """The triage outcome in words, for staff (request-priority codes; "" when the form has no triage)."""
        return str(PRIORITY_LABELS.get(self.priority, self.priority))


class FormChange(models.Model):
    """One step of a form version's publishing (publishing.py): who did what when, and the operator's reason when
    she refused it (the unit sees it). Appended, never changed; the audit log has the same events."""

    class Action(models.TextChoices):
        IMPORTED = "imported", _("Lastet opp")
        SUBMITTED = "submitted", _("Sendt til godkjenning")
        APPROVED = "approved", _("Godkjent og publisert")
        REFUSED = "refused", _("Avvist")
        RETIRED = "retired", _("Trukket tilbake")

    form = models.ForeignKey(Form, on_delete=models.PROTECT, related_name="changes")
    action = models.CharField(max_length=16, choices=Action.choices)
    at = models.DateTimeField()
    by_name = models.CharField(max_length=200)  # the editor's or operator's name as it was then
    by_practitioner = models.ForeignKey(
        Practitioner, on_delete=models.PROTECT, null=True, blank=True, related_name="form_changes"
    )
    reason = models.TextField(blank=True)

    class Meta:
        verbose_name = _("endring i skjema")
        verbose_name_plural = _("endringer i skjema")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.form} {self.action}"
