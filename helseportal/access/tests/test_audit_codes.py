"""The audit codes: registered once, shaped alike, described in bokmål, and documented in docs/audit-codes.md."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from helseportal.access.audit.codes import API_AREAS, CODES, api_code, describe

DOC = Path(__file__).resolve().parents[3] / "docs" / "audit-codes.md"
DOC_ROW = re.compile(r"^\| `([^`]+)` \|", re.MULTILINE)


def documented_codes() -> list[str]:
    """The doc's codes, each API row (`api:<area>:read`) standing for its action in every area."""
    rows = DOC_ROW.findall(DOC.read_text(encoding="utf-8"))
    return [code.replace("<area>", area) for code in rows for area in (API_AREAS if "<area>" in code else ("",))]


def test_the_doc_lists_exactly_the_registered_codes():
    documented = documented_codes()
    assert len(documented) == len(set(documented)), "a code is listed twice in docs/audit-codes.md"
    assert set(documented) == set(CODES), (
        f"only in the code: {sorted(set(CODES) - set(documented))}; "
        f"only in the doc: {sorted(set(documented) - set(CODES))}"
    )


def test_every_code_is_lowercase_words_joined_by_colons():
    malformed = [code for code in CODES if not re.fullmatch(r"[a-z_]+(:[a-z_]+){1,2}", code)]
    assert not malformed


def test_every_code_has_a_bokmaal_description():
    with translation.override("nb"):
        assert describe("audit:log:read") == "Så hvem som har sett opplysningene"
        assert all(describe(code) and describe(code) != code for code in CODES)


def test_an_unknown_code_is_shown_as_itself_rather_than_failing():
    assert describe("test:never:registered") == "test:never:registered"


def test_every_code_belongs_to_an_area_so_the_log_knows_who_may_see_it():
    from helseportal.access.audit.codes import area_of
    from helseportal.access.rules import AREAS

    assert {code: area_of(code) for code in CODES if area_of(code) not in AREAS} == {}


def test_the_longest_matching_start_decides_the_area():
    from helseportal.access.audit.codes import area_of

    assert area_of("access:sharing:granted") == "pregnancy"
    assert area_of("access:power_of_attorney:granted") == "account"
    assert area_of("messaging:thread:read") == "messages"
    assert area_of("records:journal:read") is None  # a domain the table does not know: never shown to others


def test_an_api_event_is_coded_by_its_area_and_described_with_the_areas_name():
    from helseportal.access.audit.codes import area_of

    with translation.override("nb"):
        assert describe(api_code("appointments", "read")) == "Hentet opplysninger (Timeavtaler)"
        assert describe(api_code("pregnancy", "everything")) == "Hentet alle opplysninger (Helsekort for gravide)"
    with translation.override("en"):
        assert describe(api_code("appointments", "search")).endswith("(Appointments)")  # the area's name translated
    assert area_of("api:messages:search") == "messages"
    assert area_of("api:youth:read") == "youth"
    for area, action in (("nowhere", "read"), ("appointments", "delete")):
        with pytest.raises(ValueError, match="no API audit code"):
            api_code(area, action)
