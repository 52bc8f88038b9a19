"""`helseportal import-units` and `import-postcodes` fed generated files: exit 0, 1 or 2, every row accounted for.

Issue 15, item 14 and "what it must show": at least 200 generated files per format, on SQLite and PostgreSQL.
A file is mostly good rows with hostile values in some fields (NUL, lone surrogates in JSON, NaN, huge numbers,
very long text, odd digits, nested values, broken quoting, bad bytes). The command must end with exit 0 (all
imported), 1 (some rows rejected, each with a reason) or 2 (the file itself unreadable, one line) and never
with a traceback; and no row may go missing from the report.
"""

import csv
import io
import json
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helseportal.organisations.importing import COLUMNS
from helseportal.organisations.models import Postcode, Unit, UnitKind
from helseportal.organisations.tests.factories import valid_orgnr
from tests import fuzzing

pytestmark = pytest.mark.django_db
EXAMPLES = int(os.environ.get("HELSEPORTAL_FUZZ_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
ORGNRS = [valid_orgnr() for _ in range(12)]
NOT_NUMBERS = ["NaN", "nan", "-NaN", "sNaN", "Infinity", "-inf", "1e999999", "1e-999999"]
SUMMARY = re.compile(r"(\d+) opprettet, (\d+) oppdatert, (\d+) uendret, (\d+) avvist\.")

GOOD: dict[str, st.SearchStrategy[Any]] = {
    "orgnr": st.sampled_from(ORGNRS),
    "kind": st.sampled_from(UnitKind.values),
    "name": st.sampled_from(["Helsestasjon for ungdom Nord", "Fjellhaug skole", "Legekontoret"]),
    "display_name": st.sampled_from(["", "HFU Nord"]),
    "street_address": st.just("Storgata 1"),
    "postcode": st.sampled_from(["", "0182", "5017"]),
    "post_place": st.just("OSLO"),
    "municipality_number": st.sampled_from(["0301", "4601"]),
    "municipality_name": st.sampled_from(["Oslo", "Bergen"]),
    "latitude": st.decimals(min_value=58, max_value=71, places=5).map(str),
    "longitude": st.decimals(min_value=5, max_value=30, places=5).map(str),
    "phone": st.sampled_from(["", "21 80 21 90", "+47 912 34 567"]),
    "parent_orgnr": st.sampled_from(["", *ORGNRS[:3]]),
    "opening_hours": st.sampled_from(["", "man-fre 08:00-15:30", "man 08:00-24:00; ons 17:00-19:00"]),
    "opening_exceptions": st.sampled_from(["", "2026-12-24 stengt Julaften", "2026-12-31 10:00-14:00"]),
}


@st.composite
def unit_row(draw: st.DrawFn, *, json_values: bool) -> dict[str, Any]:
    """A good row with one or two columns hostile, and now and then one missing."""
    hostile = draw(st.sets(st.sampled_from(COLUMNS), min_size=1, max_size=2))
    missing = draw(st.sets(st.sampled_from(COLUMNS), max_size=1))
    row: dict[str, Any] = {}
    for column in COLUMNS:
        if column in hostile:
            row[column] = draw(json_value() if json_values else hostile_cell())
            if column in ("latitude", "longitude") and draw(st.booleans()):
                row[column] = draw(st.sampled_from([*NOT_NUMBERS, *([float("nan"), float("inf")] * json_values)]))
        elif column not in missing:
            row[column] = draw(GOOD[column])
    return row


def hostile_cell() -> st.SearchStrategy[str]:
    return st.one_of(fuzzing.hostile_text(), st.sampled_from(["NaN", "x" * 140_000, "٠٣٠١", "sNaN", "1e999999"]))


def json_value() -> st.SearchStrategy[Any]:
    scalars = st.one_of(
        hostile_cell(),
        st.sampled_from([float("nan"), float("inf"), 10**4000]),
        st.text(max_size=10),  # in JSON, lone surrogates too
        st.integers(min_value=-(10**40), max_value=10**40),
        st.floats(),  # NaN and infinity, written as JSON's NaN and Infinity
        st.booleans(),
        st.none(),
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
        max_leaves=6,
    )


def run(command: str, path: Path) -> tuple[int, str]:
    """The command's exit code and output; any exception but the command's own is the traceback we forbid."""
    out = io.StringIO()
    try:
        call_command(command, str(path), stdout=out)
    except SystemExit as done:
        return int(done.code or 0), out.getvalue()
    except CommandError as error:
        message, code = str(error), error.returncode
    else:
        return 0, out.getvalue()
    assert "\n" not in message, f"more than one line: {message!r}"
    return code, message


def check_report(code: int, output: str, rows: int | None) -> None:
    assert code in (0, 1, 2), code
    if code == 2:
        return
    created, updated, unchanged, rejected = map(int, SUMMARY.search(output).groups())  # type: ignore[union-attr]
    assert (code == 1) == (rejected > 0)
    assert output.count(": AVVIST: ") == rejected  # a reason for each
    if rows is not None:
        assert created + updated + unchanged + rejected == rows


@FUZZ
@given(rows=st.lists(unit_row(json_values=False), max_size=6), delimiter=st.sampled_from([",", ";"]), data=st.data())
def test_generated_csv_files(tmp_path: Path, rows: list[dict[str, Any]], delimiter: str, data: st.DataObject) -> None:
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=COLUMNS, delimiter=delimiter, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    content = text.getvalue().encode("utf-8")
    if data.draw(st.booleans()):  # and sometimes broken on purpose: cut, or spliced with other bytes
        cut = data.draw(st.integers(0, len(content)))
        content = content[:cut] + data.draw(st.binary(max_size=20)) + content[cut:]
        rows_known = None
    else:
        rows_known = len(rows)
    path = tmp_path / "units.csv"
    path.write_bytes(content)
    with transaction.atomic():
        code, output = run("import-units", path)
        transaction.set_rollback(True)
    check_report(code, output, rows_known)


@pytest.mark.parametrize(
    "content",
    ["[" * 100_000 + "]" * 100_000, '{"units": [{"orgnr": ' + "9" * 5000 + "}]}", "", "null", '{"units": 5}', "[[[]]]"],
)
def test_pathological_json_files_are_unreadable_or_empty(tmp_path: Path, content: str) -> None:
    path = tmp_path / "units.json"
    path.write_text(content, encoding="utf-8")
    code, output = run("import-units", path)
    assert code in (0, 1, 2), output


@FUZZ
@given(
    rows=st.lists(unit_row(json_values=True), max_size=6), wrap=st.booleans(), extra=st.one_of(st.none(), json_value())
)
def test_generated_json_files(tmp_path: Path, rows: list[dict[str, Any]], wrap: bool, extra: Any) -> None:
    items: list[Any] = [*rows, extra] if extra is not None else list(rows)
    path = tmp_path / "units.json"
    path.write_text(json.dumps({"units": items} if wrap else items), encoding="utf-8")
    with transaction.atomic():
        before = Unit.objects.count()
        code, output = run("import-units", path)
        created = int(SUMMARY.search(output)[1]) if code != 2 and SUMMARY.search(output) else 0
        assert Unit.objects.count() == before + created
        transaction.set_rollback(True)
    check_report(code, output, len(items))


@st.composite
def postcode_line(draw: st.DrawFn) -> str:
    good = ["0555", "OSLO", "0301", "OSLO", "G"]
    cells = [
        draw(st.sampled_from([cell, cell, cell])) if draw(st.booleans()) else draw(fuzzing.hostile_text())
        for cell in good
    ]
    cells = cells[: draw(st.integers(0, 6))]
    return "\t".join(cells)


@FUZZ
@given(lines=st.lists(postcode_line(), max_size=8), encoding=st.sampled_from(["utf-8", "latin-1"]))
def test_generated_postcode_files(tmp_path: Path, lines: list[str], encoding: str) -> None:
    path = tmp_path / "postnummer.txt"
    path.write_bytes("\n".join(lines).encode(encoding, errors="replace"))
    with transaction.atomic():
        before = Postcode.objects.count()
        code, output = run("import-postcodes", path)
        assert code in (0, 1, 2)
        if code != 2:
            created = int(SUMMARY.search(output)[1])  # type: ignore[index]
            assert Postcode.objects.count() == before + created
            assert output.count(": AVVIST: ") == int(SUMMARY.search(output)[4])  # type: ignore[index]
        transaction.set_rollback(True)
