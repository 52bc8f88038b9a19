"""Fill translations into a .po file: `uv run python scripts/po_fill.py FILE.po TRANSLATIONS.tsv`.

TRANSLATIONS.tsv has one `msgid<TAB>msgstr` per line (plain text, no quotes; \\n for a newline). Each listed
msgid gets the msgstr and loses its "fuzzy" flag (and the previous-msgid comment that comes with it); entries
not listed are left alone. Msgids wrapped over several lines are found too. A plural entry is filled when both its
msgid and its msgid_plural are listed (msgstr[0] and msgstr[1]: nynorsk and English have two forms).
"""

import ast
import sys
from pathlib import Path


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def read_string(lines: list[str], i: int, keyword: str) -> tuple[str, int]:
    """The string of `keyword "..."` at line i and its continuation lines; returns it and the next line's index."""
    text = ast.literal_eval(lines[i][len(keyword) + 1 :])  # a quoted .po string is a Python literal
    i += 1
    while i < len(lines) and lines[i].startswith('"'):
        text += ast.literal_eval(lines[i])
        i += 1
    return text, i


def drop_fuzzy(out: list[str]) -> None:
    """Remove the fuzzy flag and previous-msgid comments from the comment block just written."""
    j = len(out)
    while j > 0 and out[j - 1].startswith("#"):
        j -= 1
    block = out[j:]
    del out[j:]
    for line in block:
        if line.startswith("#| "):
            continue
        if line.startswith("#, "):
            flags = [f for f in line[3:].split(", ") if f != "fuzzy"]
            if flags:
                out.append("#, " + ", ".join(flags))
            continue
        out.append(line)


def main(po: Path, tsv: Path) -> int:
    wanted = {}
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if line.strip():
            msgid, msgstr = line.split("\t", 1)
            wanted[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
    lines = po.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    filled = set()
    i = 0
    while i < len(lines):
        if lines[i].startswith("msgid "):
            start = i
            msgid, msgid_end = read_string(lines, i, "msgid")
            i = msgid_end
            if msgid and msgid in wanted and i < len(lines) and lines[i].startswith("msgstr "):
                _, i = read_string(lines, i, "msgstr")
                drop_fuzzy(out)
                out.extend(lines[start:msgid_end])
                out.append("msgstr " + quote(wanted[msgid]))
                filled.add(msgid)
                continue
            if msgid in wanted and i < len(lines) and lines[i].startswith("msgid_plural "):
                # A plural: the TSV gives the singular and the plural msgid each a line (msgstr[0] and [1]).
                plural, i = read_string(lines, i, "msgid_plural")
                end = i
                while end < len(lines) and lines[end].startswith(("msgstr[", '"')):
                    end += 1
                if plural in wanted:
                    drop_fuzzy(out)
                    out.extend(lines[start:i])
                    out.append("msgstr[0] " + quote(wanted[msgid]))
                    out.append("msgstr[1] " + quote(wanted[plural]))
                    filled |= {msgid, plural}
                    i = end
                    continue
                out.extend(lines[start:end])
                i = end
                continue
            out.extend(lines[start:i])
            continue
        out.append(lines[i])
        i += 1
    po.write_text("\n".join(out) + "\n", encoding="utf-8")
    for msgid in sorted(set(wanted) - filled):
        print(f"not found (not extracted): {msgid!r}", file=sys.stderr)
    print(f"{po}: filled {len(filled)}")
    return 1 if set(wanted) - filled else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
