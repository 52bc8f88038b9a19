"""A hostile or broken registry file: each bad row rejected with its reason, a bad file one line and exit 2.

Issue 15, item 14: `import-units` used to stop with a traceback on a latitude of NaN, a CSV field over
131,072 characters, JSON nested 100,000 deep and a NUL in a name; `import-postcodes` on the same kinds of input.
"""

import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helseportal.organisations.models import Postcode, Unit
from helseportal.organisations.tests.factories import valid_orgnr
from helseportal.organisations.tests.test_import_units import good_row, write_csv

pytestmark = pytest.mark.django_db


def run(command: str, path: Path) -> int:
    """Run the command as the operator would; its exit code. Any other exception is the traceback we forbid."""
    try:
        call_command(command, str(path), "--quiet") if command == "import-units" else call_command(command, str(path))
    except SystemExit as done:
        return int(done.code or 0)
    except CommandError as error:
        return error.returncode
    return 0


def write_json(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"units": rows}), encoding="utf-8")
    return path


@pytest.mark.parametrize("latitude", ["NaN", "nan", "-NaN", "sNaN", "Infinity", "-inf", "1e999999999"])
def test_a_latitude_that_is_no_number_rejects_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], latitude: str
) -> None:
    good, bad = valid_orgnr(), valid_orgnr()
    path = write_csv(tmp_path / "units.csv", [good_row(bad, latitude=latitude), good_row(good)])
    assert run("import-units", path) == 1
    assert f"rad 1 {bad}: AVVIST: Breddegrad" in capsys.readouterr().out
    assert list(Unit.objects.values_list("orgnr", flat=True)) == [good]


def test_json_nan_and_infinity_are_rejected_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "units.json"
    path.write_text(
        '{"units": [' + json.dumps(good_row(valid_orgnr())).replace('"59.92300"', "NaN") + ","
        + json.dumps(good_row(valid_orgnr())).replace('"10.75900"', "-Infinity") + "]}",
        encoding="utf-8",
    )  # fmt: skip
    assert run("import-units", path) == 1
    out = capsys.readouterr().out
    assert "rad 1 " in out.split("Breddegrad")[0]
    assert "rad 2 " in out.split("Lengdegrad")[0]


def test_a_csv_field_over_131072_characters_rejects_that_row_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long, good = valid_orgnr(), valid_orgnr()
    path = write_csv(tmp_path / "units.csv", [good_row(long, name="x" * 200_000), good_row(good)])
    assert run("import-units", path) == 1
    out = capsys.readouterr().out
    assert f"rad 1 {long}: AVVIST: " in out
    assert "200000" in out  # Django's length message: at most 200 characters, it has 200000
    assert list(Unit.objects.values_list("orgnr", flat=True)) == [good]


def test_a_csv_line_the_reader_cannot_parse_rejects_that_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = valid_orgnr()
    path = tmp_path / "units.csv"
    lines = "orgnr,kind,name,municipality_number,municipality_name,latitude,longitude\n"
    lines += "974589095,hfu,Carriage\rreturn,0301,Oslo,59.9,10.7\n"
    lines += f"{good},hfu,HFU,0301,Oslo,59.9,10.7\n"
    path.write_text(lines, encoding="utf-8", newline="")
    assert run("import-units", path) == 1
    assert "rad 1 -: AVVIST: " in capsys.readouterr().out
    assert list(Unit.objects.values_list("orgnr", flat=True)) == [good]


def test_json_nested_100000_deep_is_an_unreadable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "units.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import-units", str(path))
    assert error.value.returncode == 2
    assert "\n" not in str(error.value)
    assert "JSON" in str(error.value)


def test_a_json_integer_of_5000_digits_is_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "units.json"
    path.write_text('{"units": [{"orgnr": ' + "9" * 5000 + "}]}", encoding="utf-8")
    assert run("import-units", path) == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "HFU\x00Nord"),
        ("street_address", "Gate 1\x00"),
        ("name", "HFU \ud800 Nord"),  # a lone surrogate: no database can store it
        ("name", ["HFU", "Nord"]),
        ("latitude", {"lat": 59.9}),
        ("opening_hours", ["man 08:00-15:00\x00"]),
        ("opening_exceptions", [{"date": "2026-12-24", "hours": "stengt", "note": "Jul\x00"}]),
        ("opening_exceptions", [{"date": ["2026-12-24"], "hours": {"a": 1}}]),
    ],
)
def test_a_field_no_database_can_hold_rejects_the_row(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], field: str, value: object
) -> None:
    bad, good = valid_orgnr(), valid_orgnr()
    assert (
        run("import-units", write_json(tmp_path / "units.json", [good_row(bad, **{field: value}), good_row(good)])) == 1
    )
    assert f"rad 1 {bad}: AVVIST: " in capsys.readouterr().out
    assert list(Unit.objects.values_list("orgnr", flat=True)) == [good]


@pytest.mark.parametrize("field", ["orgnr", "postcode", "municipality_number"])
def test_digits_from_other_scripts_are_not_norwegian_numbers(field: str) -> None:
    from helseportal.organisations.services import import_units

    orgnr = valid_orgnr()
    arabic = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
    row = good_row(orgnr)
    row[field] = str(row[field]).translate(arabic)
    assert [o.status for o in import_units([row]).outcomes] == ["rejected"]


def test_a_non_utf8_file_is_unreadable_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_bytes(b"orgnr,kind\n\xff\xfe\x00")
    with pytest.raises(CommandError) as error:
        call_command("import-units", str(path))
    assert error.value.returncode == 2
    assert "\n" not in str(error.value)


# --- import-postcodes ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "0555\tOS\x00LO\t0301\tOSLO\tG",
        "0555\t" + "O" * 200_000 + "\t0301\tOSLO\tG",  # longer than the csv module's field limit, and the column
        "0555\tOSLO\t0301\t" + "K" * 101 + "\tG",
        "٠٥٥٥\tOSLO\t0301\tOSLO\tG",
        "0555\tOSLO\t03a1\tOSLO\tG",
        '"0555\tOSLO\t0301\tOSLO\tG',
    ],
)
def test_a_bad_postcode_line_is_rejected_and_the_rest_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str
) -> None:
    path = tmp_path / "postnummer.txt"
    path.write_text(f"{line}\n5017\tBERGEN\t4601\tBERGEN\tB\n", encoding="utf-8")
    assert run("import-postcodes", path) == 1
    out = capsys.readouterr().out
    assert "rad 1: AVVIST: " in out
    assert "1 opprettet" in out
    assert list(Postcode.objects.values_list("code", flat=True)) == ["5017"]


def test_an_unreadable_postcode_file_is_one_line_and_exit_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as error:
        call_command("import-postcodes", str(tmp_path))  # a directory
    assert error.value.returncode == 2
    assert "\n" not in str(error.value)
