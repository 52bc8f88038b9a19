import datetime
import json
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helseportal.organisations import hours
from helseportal.organisations.files import read_units_file
from helseportal.organisations.hours_notation import format_hours
from helseportal.organisations.models import Unit
from helseportal.organisations.services import import_units
from helseportal.organisations.tests.factories import valid_orgnr

pytestmark = pytest.mark.django_db

HEADER = (
    "orgnr,kind,name,display_name,street_address,postcode,post_place,municipality_number,municipality_name,"
    "latitude,longitude,phone,parent_orgnr,opening_hours"
)


def good_row(orgnr: str, **overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "orgnr": orgnr, "kind": "hfu", "name": "Helsestasjon for ungdom Grünerløkka", "display_name": "",
        "street_address": "Thorvald Meyers gate 30", "postcode": "0555", "post_place": "Oslo",
        "municipality_number": "0301", "municipality_name": "Oslo", "latitude": "59.92300",
        "longitude": "10.75900", "phone": "21 80 21 90", "parent_orgnr": "", "opening_hours": "man,ons 14:00-18:00",
    }  # fmt: skip
    row.update(overrides)
    return row


def write_csv(path: Path, rows: list[dict[str, object]]) -> Path:
    lines = [HEADER] + [",".join(f'"{row.get(c, "")}"' for c in HEADER.split(",")) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_it_imports_good_rows_and_reports_each_bad_row_with_its_reason(tmp_path: Path) -> None:
    first, second, third = valid_orgnr(), valid_orgnr(), valid_orgnr()
    path = write_csv(
        tmp_path / "units.csv",
        [
            good_row(first),
            good_row("123456789"),  # invalid check digit
            good_row(second, latitude=""),  # missing coordinates
            good_row(first, name="Again"),  # duplicate of row 1
            good_row(third, kind="fastlege"),
            good_row(valid_orgnr(), phone="12345"),
            good_row(valid_orgnr(), parent_orgnr=valid_orgnr()),
            good_row(valid_orgnr(), opening_hours="man 08:00"),
            good_row(valid_orgnr(), latitude="10.75900", longitude="59.92300"),  # swapped
            good_row(second, name="Second, written after its bad row"),
        ],
    )
    report = import_units(read_units_file(path))
    reasons = {o.row: o.reason for o in report.rejected}
    assert [o.row for o in report.created] == [1, 10]
    assert "ugyldig" in reasons[2]
    assert reasons[3] == "Breddegrad mangler."
    assert reasons[4] == "Samme organisasjonsnummer som rad 1."
    assert "Ukjent type «fastlege»" in reasons[5]
    assert "Telefonnummeret" in reasons[6]
    assert "Ukjent overordnet enhet" in reasons[7]
    assert "Åpningstidene er feil" in reasons[8]
    assert "utenfor Norge" in reasons[9]
    assert set(Unit.objects.values_list("orgnr", flat=True)) == {first, second}
    unit = Unit.objects.get(orgnr=first)
    assert unit.phone == "21 80 21 90"
    assert format_hours(hours.weekly_of(unit)) == "man,ons 14:00-18:00"


def test_running_the_same_file_twice_reports_unchanged(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "units.csv", [good_row(valid_orgnr()), good_row(valid_orgnr())])
    assert len(import_units(read_units_file(path)).created) == 2
    again = import_units(read_units_file(path))
    assert [o.status for o in again.outcomes] == ["unchanged", "unchanged"]


def test_a_changed_row_is_updated_with_its_hours(tmp_path: Path) -> None:
    orgnr = valid_orgnr()
    import_units([good_row(orgnr)])
    report = import_units([good_row(orgnr, display_name="HFU Løkka", opening_hours="tir 15:00-19:00")])
    assert [o.status for o in report.outcomes] == ["updated"]
    unit = Unit.objects.get(orgnr=orgnr)
    assert unit.shown_name == "HFU Løkka"
    assert format_hours(hours.weekly_of(unit)) == "tir 15:00-19:00"
    assert (
        import_units([good_row(orgnr, display_name="HFU Løkka", opening_hours="tir 15:00-19:00")]).outcomes[0].status
        == "unchanged"
    )


def test_a_row_without_the_hours_key_leaves_the_hours_alone() -> None:
    orgnr = valid_orgnr()
    import_units([good_row(orgnr)])
    row = good_row(orgnr)
    del row["opening_hours"]
    assert import_units([row]).outcomes[0].status == "unchanged"
    assert len(hours.weekly_of(Unit.objects.get(orgnr=orgnr))) == 2


def test_a_bad_update_leaves_the_unit_as_it_was() -> None:
    orgnr = valid_orgnr()
    import_units([good_row(orgnr)])
    report = import_units([good_row(orgnr, name="Nytt navn", opening_hours="man 18:00-08:00")])
    assert report.outcomes[0].status == "rejected"
    unit = Unit.objects.get(orgnr=orgnr)
    assert unit.name == "Helsestasjon for ungdom Grünerløkka"
    assert len(hours.weekly_of(unit)) == 2


def test_a_child_may_name_a_parent_earlier_in_the_same_file() -> None:
    school, sht = valid_orgnr(), valid_orgnr()
    report = import_units([good_row(school, kind="school"), good_row(sht, kind="sht", parent_orgnr=school)])
    assert len(report.created) == 2
    assert Unit.objects.get(orgnr=sht).parent == Unit.objects.get(orgnr=school)


def test_json_rows_take_hours_as_a_list(tmp_path: Path) -> None:
    orgnr = valid_orgnr()
    path = tmp_path / "units.json"
    row = good_row(orgnr, opening_hours=["man-fre 08:00-15:30", {"days": "ons", "opens": "17:00", "closes": "19:00"}])
    path.write_text(json.dumps({"units": [row]}), encoding="utf-8")
    report = import_units(read_units_file(path))
    assert len(report.created) == 1
    assert len(hours.weekly_of(Unit.objects.get(orgnr=orgnr))) == 6


def test_a_semicolon_separated_csv_with_decimal_commas_is_read(tmp_path: Path) -> None:
    orgnr = valid_orgnr()
    path = tmp_path / "units.csv"
    path.write_text(
        "orgnr;kind;name;municipality_number;municipality_name;latitude;longitude;phone\n"
        f"{orgnr};hfu;HFU Nord;0301;Oslo;59,95;10,77;+47 912 34 567\n",
        encoding="utf-8",
    )
    report = import_units(read_units_file(path))
    assert len(report.created) == 1
    assert Unit.objects.get(orgnr=orgnr).phone == "912 34 567"


def test_the_command_exits_0_when_all_rows_are_imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("import-units", str(write_csv(tmp_path / "units.csv", [good_row(valid_orgnr())])))
    assert "1 opprettet, 0 oppdatert, 0 uendret, 0 avvist." in capsys.readouterr().out


def test_the_command_exits_1_when_some_rows_are_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write_csv(tmp_path / "units.csv", [good_row(valid_orgnr()), good_row("123456789")])
    with pytest.raises(SystemExit) as exit_info:
        call_command("import-units", str(path))
    assert exit_info.value.code == 1
    out = capsys.readouterr().out
    assert "rad 2 123456789: AVVIST: Organisasjonsnummeret 123456789 er ugyldig" in out
    assert Unit.objects.count() == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("units.json", "{not json"), ("units.xlsx", "x"), ("units.csv", "navn,adresse\nx,y\n"), ("missing.csv", None)],
)
def test_the_command_exits_2_for_an_unreadable_file(tmp_path: Path, name: str, content: str | None) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        call_command("import-units", str(path))
    assert error.value.returncode == 2


def test_reasons_come_from_the_apps_own_catalogue_in_nynorsk_and_english() -> None:
    from django.utils import translation

    with translation.override("nn"):
        assert import_units([good_row("123456789")]).rejected[0].reason.endswith("(9 siffer med kontrollsiffer).")
    with translation.override("en"):
        assert import_units([good_row("")]).rejected[0].reason == "The organisation number is missing."


# --- Dated exceptions ---------------------------------------------------------------------------------------

CHRISTMAS = "2026-12-24 stengt Julaften; 2026-12-31 10:00-12:00,13:00-14:00 Nyttårsaften"


def test_dated_exceptions_come_with_the_row_and_decide_those_days(tmp_path: Path) -> None:
    orgnr = valid_orgnr()
    csv_header = HEADER + ",opening_exceptions"
    path = tmp_path / "units.csv"
    row = good_row(orgnr, opening_hours="man-fre 08:00-15:30", opening_exceptions=CHRISTMAS)
    path.write_text(
        csv_header + "\n" + ",".join(f'"{row.get(c, "")}"' for c in csv_header.split(",")) + "\n", encoding="utf-8"
    )
    assert [o.status for o in import_units(read_units_file(path)).outcomes] == ["created"]
    unit = Unit.objects.get(orgnr=orgnr)
    christmas_eve = hours.hours_on(unit, datetime.date(2026, 12, 24))  # a Thursday: open by the weekly pattern
    assert christmas_eve.closed
    assert christmas_eve.note == "Julaften"
    new_years_eve = hours.hours_on(unit, datetime.date(2026, 12, 31))
    assert [str(i) for i in new_years_eve.intervals] == ["10:00-12:00", "13:00-14:00"]
    assert import_units(read_units_file(path)).outcomes[0].status == "unchanged"


def test_json_exceptions_may_be_objects_and_an_empty_list_clears_them() -> None:
    orgnr = valid_orgnr()
    exceptions = [{"date": "2026-12-24", "hours": "stengt", "note": "Julaften"}, "2026-12-31 10:00-14:00"]
    import_units([good_row(orgnr, opening_exceptions=exceptions)])
    unit = Unit.objects.get(orgnr=orgnr)
    assert unit.opening_exceptions.count() == 2
    row = good_row(orgnr)  # no key: the exceptions stay
    assert import_units([row]).outcomes[0].status == "unchanged"
    assert import_units([good_row(orgnr, opening_exceptions=[])]).outcomes[0].status == "updated"
    assert not unit.opening_exceptions.exists()


@pytest.mark.parametrize(
    ("exceptions", "reason"),
    [
        ("24.12.2026 stengt", "må begynne med en dato som 2026-12-24"),
        ("2026-12-24", "mangler «stengt» eller et tidsrom"),
        ("2026-12-24 stengt; 2026-12-24 10:00-12:00", "står både som stengt og med åpningstid"),
        ("2026-12-31 10:00-13:00,12:00-14:00", "overlapper"),
        ("2026-12-31 14:00-10:00", "må sluttiden være etter starttiden"),
    ],
)
def test_a_bad_exception_rejects_the_row_with_its_reason_and_writes_nothing(exceptions: str, reason: str) -> None:
    orgnr = valid_orgnr()
    report = import_units([good_row(orgnr, opening_exceptions=exceptions)])
    assert report.outcomes[0].status == "rejected"
    assert reason in report.outcomes[0].reason
    assert not Unit.objects.filter(orgnr=orgnr).exists()
