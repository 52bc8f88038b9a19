"""The domain's errors: what a service or query raises when it cannot do what it was asked.

Services and queries never raise Django's 404 exception or return HTTP answers (the domain knows no HTTP).
They raise one of these, and one place turns it into an answer for the reader:

- a page: `helseportal.views.errors.domain_errors` answers with the portal's 404 or 400 page;
- the FHIR API: `helseportal.fhir.outcome` answers with an `OperationOutcome`.

`issue_type` is the FHIR `OperationOutcome.issue.code` (https://hl7.org/fhir/R4/valueset-issue-type.html) and
`status` the HTTP status both answers use.
"""


class DomainError(Exception):
    """A request the domain will not carry out. `message` is for the user, in Norwegian (gettext'ed)."""

    status = 400
    issue_type = "processing"

    def __init__(self, message: str = "") -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """No such record, or the actor may not see it: both answer the same, so that a refusal tells nothing about
    what exists (ARCHITECTURE.md rule 1: denied reads look like a missing record)."""

    status = 404
    issue_type = "not-found"


class Refused(DomainError):
    """The request breaks a rule of the service (a power of attorney to oneself, a second open request, a booked
    time that is gone); `message` says which, for the form."""

    status = 422
    issue_type = "business-rule"


class Invalid(DomainError):
    """The input itself is wrong (a date that does not exist, a value out of range); `message` says what."""

    status = 400
    issue_type = "invalid"
