"""The message catalogues: nynorsk and English are complete, compiled, and keep every placeholder.

Bokmål is the source language (the msgids are bokmål), so locale/nb keeps empty msgstrs on purpose.
The .po files are parsed by hand: the project does not depend on polib.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
# The project's catalogue and each app's own (an app with many strings of its own keeps them beside it).
LOCALES = [ROOT / "locale", *sorted((ROOT / "helseportal").glob("**/locale"))]
LOCALE_IDS = [str(locale.relative_to(ROOT)) for locale in LOCALES]
LANGUAGES = ("nb", "nn", "en")
TRANSLATED = ("nn", "en")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(text: str, path: Path, number: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text.startswith('"') and text.endswith('"')):
        raise ValueError(f"{path}:{number}: expected a quoted string, got {text!r}")
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Every entry of a .po file, the header (msgid "") included, in file order."""
    entries: list[Entry] = []
    entry: Entry | None = None
    field_name: str | None = None  # "msgid", "msgid_plural", "msgctxt" or "msgstr[N]"
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].strip()
            if line.startswith("|"):  # the previous msgid of an obsolete fuzzy entry
                line = "#" + line
        if not line:
            entry, field_name = None, None
            continue
        if line.startswith("#"):
            if entry is not None and field_name is not None:
                entry, field_name = None, None
            if entry is None:
                entry = Entry(line=number)
                entries.append(entry)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):
            if entry is None or field_name is None:
                raise ValueError(f"{path}:{number}: continuation string outside an entry")
            value = _unquote(line, path, number)
        else:
            if entry is None or (keyword in ("msgid", "msgctxt") and field_name is not None):
                entry = Entry(line=number)
                entries.append(entry)
            entry.obsolete = entry.obsolete or obsolete
            match = re.fullmatch(r"msgstr(?:\[(\d+)\])?", keyword)
            if match:
                field_name = f"msgstr[{match.group(1) or 0}]"
            elif keyword in ("msgid", "msgid_plural", "msgctxt"):
                field_name = keyword
            else:
                raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
            value = _unquote(rest, path, number)
            if field_name.startswith("msgstr"):
                entry.msgstr.setdefault(int(field_name[7:-1]), "")
            elif field_name == "msgid_plural":
                entry.msgid_plural = ""
        if field_name == "msgid":
            entry.msgid += value
        elif field_name == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif field_name.startswith("msgstr"):
            entry.msgstr[int(field_name[7:-1])] += value
    return [entry for entry in entries if entry.msgstr and not entry.obsolete]


def po_path(language: str, locale: Path = ROOT / "locale") -> Path:
    return locale / language / "LC_MESSAGES" / "django.po"


def placeholders(text: str) -> list[str]:
    return sorted(match.group(0) for match in PLACEHOLDER.finditer(text))


@pytest.fixture(scope="module")
def compiled() -> None:
    call_command("compilemessages", ignore_patterns=[".venv", "node_modules", "var"], verbosity=0)


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_a_catalogue(language, locale):
    assert po_path(language, locale).is_file(), f"{po_path(language, locale)} is missing"


def test_the_parser_reads_multiline_strings_plurals_and_flags(tmp_path):
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: nn\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid ""\n"To "\n"linjer %(n)s"\nmsgstr "Two lines %(n)s"\n\n'
        'msgid "ei fil"\nmsgid_plural "%(n)s filer"\nmsgstr[0] "éi fil"\nmsgstr[1] ""\n\n'
        '#~ msgid "gammal"\n#~ msgstr "old"\n',
        encoding="utf-8",
    )
    header, multiline, plural = parse_po(po)
    assert header.msgid == ""
    assert header.msgstr == {0: "Language: nn\n"}
    assert multiline.msgid == "To linjer %(n)s"
    assert multiline.flags == {"fuzzy", "python-format"}
    assert plural.msgid_plural == "%(n)s filer"
    assert plural.msgstr == {0: "éi fil", 1: ""}


def untranslated(language: str, locale: Path) -> list[str]:
    entries = parse_po(po_path(language, locale))
    assert len(entries) > 1, f"{language}: the catalogue has no messages"
    return [entry.label for entry in entries if not all(entry.msgstr.values())]


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALE_IDS)
def test_every_nynorsk_string_is_translated(locale):
    missing = untranslated("nn", locale)
    assert not missing, f"{len(missing)} nynorsk strings have an empty msgstr:\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALE_IDS)
def test_every_english_string_is_translated(locale):
    missing = untranslated("en", locale)
    assert not missing, f"{len(missing)} English strings have an empty msgstr:\n" + "\n".join(missing)


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALE_IDS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_no_translation_is_left_fuzzy(language, locale):
    fuzzy = [entry.label for entry in parse_po(po_path(language, locale)) if "fuzzy" in entry.flags]
    assert not fuzzy, f"{language}: {len(fuzzy)} entries are marked fuzzy:\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALE_IDS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_placeholders_of_the_bokmaal_text(language, locale):
    wrong = []
    for entry in parse_po(po_path(language, locale)):
        if not entry.msgid:
            continue
        for index, text in entry.msgstr.items():
            source = entry.msgid if index == 0 or entry.msgid_plural is None else entry.msgid_plural
            if text and placeholders(text) != placeholders(source):
                wrong.append(f"{entry.label}: msgstr[{index}] has {placeholders(text)}, not {placeholders(source)}")
    assert not wrong, f"{language}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("locale", LOCALES, ids=LOCALE_IDS)
@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalogue_is_compiled_next_to_its_source(compiled, language, locale):
    mo = po_path(language, locale).with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing"
    assert mo.stat().st_size > 0
