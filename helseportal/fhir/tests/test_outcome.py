"""A domain error as an OperationOutcome: the code, the status and the user's message, valid FHIR R4."""

import pytest
from fhir.resources.R4B.operationoutcome import OperationOutcome

from helseportal.core.errors import DomainError, Invalid, NotFound, Refused
from helseportal.fhir.outcome import status_and_outcome


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotFound(), 404, "not-found"),
        (Refused("Tiden er ikke lenger ledig. Velg en annen tid."), 422, "business-rule"),
        (Invalid("Skriv et norsk mobilnummer med 8 sifre."), 400, "invalid"),
    ],
)
def test_each_domain_error_answers_with_its_status_and_issue_code(error: DomainError, status: int, code: str):
    answer_status, body = status_and_outcome(error)
    outcome = OperationOutcome.model_validate(body)
    assert answer_status == status
    assert outcome.issue[0].code == code
    assert outcome.issue[0].severity == "error"
    assert (outcome.issue[0].details.text if outcome.issue[0].details else "") == error.message
