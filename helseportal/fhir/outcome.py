"""A domain error (core/errors.py) as a FHIR `OperationOutcome`, the API's answer to what a page shows as 404/400.

`Problem` is the API's own error (a bad search parameter, a structural error in a resource, a version that does
not match): a `DomainError` with its own HTTP status, issue code and FHIRPath `expression`s, so that the engine
and the domains answer every error the same way.
"""

from collections.abc import Sequence

from helseportal.core.errors import DomainError
from helseportal.fhir import JSON


def issue(code: str, text: str = "", expression: Sequence[str] = (), severity: str = "error") -> JSON:
    """One `OperationOutcome.issue`: its code (https://hl7.org/fhir/R4/valueset-issue-type.html), text, paths."""
    found: JSON = {"severity": severity, "code": code}
    if text:
        found["details"] = {"text": text}
    if expression:
        found["expression"] = list(expression)
    return found


class Problem(DomainError):
    """An error the API answers with `status` and one or more issues (all of them `code` unless `issues` says)."""

    def __init__(
        self,
        message: str = "",
        *,
        status: int = 400,
        code: str = "invalid",
        expression: Sequence[str] = (),
        issues: Sequence[JSON] = (),
    ) -> None:
        super().__init__(message)
        self.status = status
        self.issue_type = code
        self.issues = list(issues) or [issue(code, message, expression)]


def operation_outcome(error: DomainError) -> JSON:
    """One error issue; its code is the error's FHIR issue type, its text the message for the user (if any)."""
    if isinstance(error, Problem):
        return {"resourceType": "OperationOutcome", "issue": error.issues}
    return {"resourceType": "OperationOutcome", "issue": [issue(error.issue_type, error.message)]}


def status_and_outcome(error: DomainError) -> tuple[int, JSON]:
    """The HTTP status and body the API answers a domain error with (NotFound 404, Invalid 400, Refused 422)."""
    return error.status, operation_outcome(error)
