"""Template source checks that a rendered page would only show by accident."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    path
    for pattern in (
        "templates/**/*.html",
        "templates/**/*.txt",
        "helseportal/**/templates/**/*.html",
        "helseportal/**/templates/**/*.txt",
    )
    for path in ROOT.glob(pattern)
)
# Django's {# … #} comment ends on its own line; one spread over several lines is printed on the page as text.
UNCLOSED_COMMENT = re.compile(r"\{#(?:(?!#\}).)*$", re.MULTILINE)


def test_the_check_finds_a_comment_over_two_lines():
    assert UNCLOSED_COMMENT.search("{# one\n two #}")
    assert not UNCLOSED_COMMENT.search("{# one #} {# two #}\n")


def test_no_template_has_a_comment_over_several_lines():
    assert len(TEMPLATES) > 50
    found = [
        f"{path.relative_to(ROOT)}:{path.read_text()[: match.start()].count(chr(10)) + 1}"
        for path in TEMPLATES
        for match in UNCLOSED_COMMENT.finditer(path.read_text())
    ]
    assert not found, f"use {{% comment %}} for a comment over several lines: {found}"
