from pathlib import Path

import pytest
from django.core.management import call_command

from helseportal.organisations.postcodes import PostcodeEntry, postcode_directory

pytestmark = pytest.mark.django_db

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "data" / "postcodes.tsv"


def test_it_imports_brings_register_in_its_old_latin_1_encoding(tmp_path: Path) -> None:
    path = tmp_path / "Postnummerregister-ansi.txt"
    path.write_bytes(
        "0555\tOSLO\t0301\tOSLO\tG\n5017\tBERGEN\t4601\tBERGEN\tB\n9170\tLONGYEARBYEN\t2111\tSVALBARD\tG\n".encode(
            "iso-8859-1"
        )
    )
    call_command("import-postcodes", str(path))
    assert postcode_directory().lookup("5017") == PostcodeEntry("5017", "BERGEN", "4601", "BERGEN")


def test_a_second_import_updates_changed_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "postnummer.txt"
    path.write_text("0555\tOSLO\t0301\tOSLO\tG\n", encoding="utf-8")
    call_command("import-postcodes", str(path))
    path.write_text("0555\tOSLO\t0301\tOSLO\tG\n0556\tOSLO\t0301\tOSLO\tG\n", encoding="utf-8")
    call_command("import-postcodes", str(path))
    assert "1 opprettet, 0 oppdatert, 1 uendret, 0 avvist." in capsys.readouterr().out


def test_a_bad_line_is_rejected_and_the_rest_imported(tmp_path: Path) -> None:
    path = tmp_path / "postnummer.txt"
    path.write_text("ABCD\tOSLO\t0301\tOSLO\tG\n0555\tOSLO\t0301\tOSLO\tG\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exit_info:
        call_command("import-postcodes", str(path))
    assert exit_info.value.code == 1
    assert postcode_directory().lookup("0555") is not None


@pytest.mark.parametrize("code", ["", "05", "05555", "abcd", "9999"])
def test_unknown_or_malformed_postcodes_give_none(code: str) -> None:
    assert postcode_directory().lookup(code) is None


def test_the_demo_subset_covers_the_demo_units() -> None:
    call_command("import-postcodes", str(DEMO_FILE))
    for code in ("0182", "0263", "0364", "0369", "0450", "5017", "5035"):
        assert postcode_directory().lookup(code) is not None, code
