"""Norwegian mobile numbers: eight digits starting with 4 or 9, optionally written with +47 or 0047."""

import re

_SEPARATORS = re.compile(r"[\s().-]")


def normalise_mobile(text: str) -> str | None:
    """Return the eight-digit number, or None when `text` is not a Norwegian mobile number."""
    digits = _SEPARATORS.sub("", text or "")
    for prefix in ("+47", "0047"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
    if len(digits) == 8 and digits.isascii() and digits.isdigit() and digits[0] in "49":
        return digits
    return None
