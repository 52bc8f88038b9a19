"""The `<id:…>` path converter: a record id in a URL, at most 18 digits.

Django's `<id:…>` takes any length, and a 20-digit id overflows the database's 64-bit integer in a foreign-key
lookup (a 500 where a missing record must answer 404). 18 digits always fit; a longer number does not match
the route, so it answers 404 like any id that does not exist.
"""


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
