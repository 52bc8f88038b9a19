"""A domain error (core/errors.py) as a FHIR `OperationOutcome`, the API's answer to what a page shows as 404/400."""

from helseportal.core.errors import DomainError
from helseportal.fhir import JSON


def operation_outcome(error: DomainError) -> JSON:
    """One error issue; its code is the error's FHIR issue type, its text the message for the user (if any)."""
    issue: JSON = {"severity": "error", "code": error.issue_type}
    if error.message:
        issue["details"] = {"text": error.message}
    return {"resourceType": "OperationOutcome", "issue": [issue]}


def status_and_outcome(error: DomainError) -> tuple[int, JSON]:
    """The HTTP status and body the API answers a domain error with (NotFound 404, Invalid 400, Refused 422)."""
    return error.status, operation_outcome(error)
