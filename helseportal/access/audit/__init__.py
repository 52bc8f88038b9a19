"""The audit log: the hash-chained record every service writes (`chain`; the task worker links it, ADR 0013) and its
codes (`codes`). The person's own view of it is `access/queries/log.py` and `access/views/audit.py`; the audited
read every query uses is `access.reads`.

`audit.record(...)` and `audit.record_many(...)` are the two calls a service makes; both run inside the
transaction of the work they describe (ARCHITECTURE.md rule 3).
"""

from helseportal.access.audit.chain import (
    GENESIS_HASH,
    HASHED_FIELDS,
    ChainCheck,
    canonical_json,
    chain_pending,
    check_events,
    compute_hash,
    missing_triggers,
    record,
    record_many,
    verify_chain,
)

__all__ = [
    "GENESIS_HASH",
    "HASHED_FIELDS",
    "ChainCheck",
    "canonical_json",
    "chain_pending",
    "check_events",
    "compute_hash",
    "missing_triggers",
    "record",
    "record_many",
    "verify_chain",
]
