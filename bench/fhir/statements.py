"""What an audited read costs PostgreSQL, against the reference's read: pgbench on the profile's cluster.

    uv run --frozen --group bench python -m bench.fhir.profile statements [--clients 4] [--seconds 6]

Three statements, each sent by pgbench (`-M prepared`, random record keys) for `--seconds` from `--clients`
connections, and for each the machine's CPU per statement (`/proc/stat`, every process: the backends, the WAL writer
and pgbench itself, whose own share is printed beside it):

1. the reference's read (`bench/fhir/store.py` `read_sql`: the row and its person, nothing else);
2. the hot read's statement without its audit insert (the token's check and the scoped read with its newest version);
3. the hot read's statement as it is sent (`fhir/api/hot.py`: the same, and the read's audit event inserted and
   committed in it).

The hot statement is the one the portal sent for a hot read in this process, with its parameters as literals
(psycopg's own quoting, `compose_sql`); the record's key is pgbench's `:id`. Session 26's numbers and what they
mean for issue 10's goals are in bench/README.md ("Results").
"""

import os
import re
import resource
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.fhir import store
from bench.fhir.cluster import BINDIR, DATABASE, USER, Cluster

_KEY = 987_654_321  # the sentinel key the captured statement is composed with (never a real key of the data)


def measure(
    pg: Cluster, sql: str, params: list[Any], key: int, keys: tuple[int, int], clients: int, seconds: int
) -> None:
    """Print the three statements' rate and machine CPU; `sql`/`params` the hot statement as sent for row `key`."""
    from django.db import connection

    sentinel = [_KEY if value == key else str(_KEY) if value == str(key) else value for value in params]
    hot = connection.ops.compose_sql(sql, sentinel)  # type: ignore[attr-defined] (PostgreSQL's)
    if str(_KEY) not in hot:
        raise RuntimeError("the hot statement does not carry the record's key where expected")
    # The audited resource's name (`["Observation/<key>"]`, a literal) stays one name: pgbench would make a parameter
    # of a variable inside a literal. Its value does not change what the insert costs.
    hot = hot.replace(f"/{_KEY}", "/1").replace(f"'{_KEY}'", "CAST(:id AS text)").replace(str(_KEY), ":id")
    # A `:name` in a literal (an audit code such as api:results:read) would be a pgbench variable: spell its colon.
    hot = re.sub(r"(?<!:):(?!id\b)([A-Za-z_]\w*)", r"' || chr(58) || '\1", hot)  # (not a `::` cast)
    audit = r", a AS \(INSERT INTO .*? FROM r WHERE EXISTS \(SELECT 1 FROM t\)\) SELECT "  # (`plans.Plan._text`)
    without_audit = re.sub(audit, " SELECT ", hot, count=1, flags=re.S)
    if "INSERT" in without_audit:
        raise RuntimeError("could not take the audit insert out of the hot statement")
    reference = store.read_sql().replace("%s", ":id")
    print(
        f"\npgbench: {clients} clients, {seconds} s each, random keys {keys[0]}–{keys[1]} (machine CPU per statement)"
    )
    print("| Statement | statements/s | machine µs each | of it pgbench |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="bench-fhir-statements.") as tmp:
        for label, text in (
            ("the reference's read", reference),
            ("the hot statement without its audit insert", without_audit),
            ("the hot statement as sent", hot),
        ):
            script = Path(tmp) / "script.sql"
            script.write_text(f"\\set id random({keys[0]}, {keys[1]})\n{' '.join(text.split())};\n")
            rate, machine, own = _pgbench(pg, script, clients, seconds)
            print(f"| {label} | {rate:,.0f} | {machine:.0f} | {own:.0f} |")


def _pgbench(pg: Cluster, script: Path, clients: int, seconds: int) -> tuple[float, float, float]:
    argv = [str(BINDIR / "pgbench"), "-n", "-M", "prepared", "-f", str(script), "-T", str(seconds)]
    argv += ["-c", str(clients), "-j", str(min(clients, 2)), "-h", pg.host, "-p", str(pg.port), "-U", USER]
    argv.append(DATABASE)
    before, children = _busy(), resource.getrusage(resource.RUSAGE_CHILDREN)
    done = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 60, check=False)  # noqa: S603
    after, spent = _busy(), resource.getrusage(resource.RUSAGE_CHILDREN)
    found = re.search(r"actually processed: (\d+)", done.stdout)
    if done.returncode != 0 or found is None or "error" in done.stderr.lower():
        kept = Path(tempfile.gettempdir()) / "bench-fhir-failed-statement.sql"
        kept.write_text(script.read_text())
        raise RuntimeError(
            f"pgbench failed (script: {kept}): {done.stderr.strip()[:700] or done.stdout.strip()[-500:]}"
        )
    count = int(found.group(1))
    own = (spent.ru_utime + spent.ru_stime) - (children.ru_utime + children.ru_stime)
    return count / seconds, (after - before) / count * 1e6, own / count * 1e6


def _busy() -> float:
    """Seconds of CPU the whole machine has spent outside idle and I/O wait since it started."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(x) for x in fields[:7])
    return (user + nice + system + irq + softirq) / os.sysconf("SC_CLK_TCK")
