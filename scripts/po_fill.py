"""Fill translations into a .po file: `uv run python scripts/po_fill.py FILE.po TRANSLATIONS.tsv`.

TRANSLATIONS.tsv has one `msgid<TAB>msgstr` per line (plain text, no quotes; \\n for a newline). Each listed
msgid gets the msgstr and loses its "fuzzy" flag; entries not listed are left alone. The parser is line-based:
it finds single-line msgids only (a long msgid wrapped over lines is reported as not found).
"""

import ast
import sys
from pathlib import Path


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(po: Path, tsv: Path) -> int:
    wanted = {}
    for line in tsv.read_text(encoding="utf-8").splitlines():
        if line.strip():
            msgid, msgstr = line.split("\t", 1)
            wanted[msgid.replace("\\n", "\n")] = msgstr.replace("\\n", "\n")
    lines = po.read_text(encoding="utf-8").splitlines()
    out: list[str] = []
    i = 0
    filled = set()
    while i < len(lines):
        line = lines[i]
        if line.startswith("msgid ") and not line.startswith('msgid ""'):
            msgid = ast.literal_eval(line[6:])  # a quoted .po string is a Python literal
            if msgid in wanted and i + 1 < len(lines) and lines[i + 1].startswith("msgstr "):
                # drop a fuzzy flag and a previous-msgid comment just above
                while out and (out[-1].startswith("#| ") or out[-1].startswith("#, ")):
                    flag = out.pop()
                    if flag.startswith("#, "):
                        rest = [f for f in flag[3:].split(", ") if f != "fuzzy"]
                        if rest:
                            out.append("#, " + ", ".join(rest))
                        break
                out.append(line)
                out.append("msgstr " + quote(wanted[msgid]))
                filled.add(msgid)
                i += 2
                while i < len(lines) and lines[i].startswith('"'):
                    i += 1
                continue
        out.append(line)
        i += 1
    po.write_text("\n".join(out) + "\n", encoding="utf-8")
    missing = sorted(set(wanted) - filled)
    for msgid in missing:
        print(f"not found (multi-line msgid or not extracted): {msgid!r}", file=sys.stderr)
    print(f"{po}: filled {len(filled)}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), Path(sys.argv[2])))
