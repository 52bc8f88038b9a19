"""One appointment as an iCalendar file (RFC 5545): CRLF lines, folded at 75 octets, times in UTC."""

import datetime

ICS_PRODID = "-//helseportal//Timeavtaler//NB"


def escape(text: str) -> str:
    """Escape TEXT values (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r\n", "\\n").replace("\n", "\\n")
    )


def fold(line: str) -> bytes:
    """Split a content line into 75-octet pieces, never inside a UTF-8 character (RFC 5545 §3.1)."""
    data = line.encode()
    pieces: list[bytes] = []
    limit = 75
    while len(data) > limit:
        cut = limit
        while (data[cut] & 0xC0) == 0x80:  # a continuation byte: step back to the character's start
            cut -= 1
        pieces.append(data[:cut])
        data = data[cut:]
        limit = 74  # following lines start with one space
    pieces.append(data)
    return b"\r\n ".join(pieces) + b"\r\n"


def utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(
    *,
    uid: str,
    stamp: datetime.datetime,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    summary: str,
    location: str,
    description: str = "",
    cancelled: bool = False,
) -> bytes:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{ICS_PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(starts_at)}",
        f"DTEND:{utc(ends_at)}",
        f"SUMMARY:{escape(summary)}",
        f"LOCATION:{escape(location)}",
        *([f"DESCRIPTION:{escape(description)}"] if description else []),
        f"STATUS:{'CANCELLED' if cancelled else 'CONFIRMED'}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return b"".join(fold(line) for line in lines)
