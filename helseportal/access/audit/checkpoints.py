"""Signed checkpoints of the audit chain's head, kept outside the database (ADR 0015).

The hash chain (`chain.py`) shows a change to one event, but someone who can write the table can also recompute
every later hash with `compute_hash`, or delete the newest events: the chain that remains is whole. So after the task
worker chains, at most every `CHECKPOINT_EVERY`, it writes a **checkpoint** of the chain's head — `{seq, hash,
count, at}` — signed with an Ed25519 key the database never holds (a compact JWS, `alg` "Ed25519" of RFC 9864,
`kid` the key's RFC 7638 thumbprint) to a **store outside the database** (`CheckpointStore`; the one built is an
append-only file, `FileCheckpointStore`). `audit verify` then checks each checkpoint's signature, that the event at
its position still has its hash (catches a rewritten chain), and that the chain reaches the newest one (catches a cut
tail). What is chained after the newest checkpoint is covered by the chain alone until the next one.

Settings: `HELSEPORTAL_AUDIT_SIGNING_KEY_FILE` (the private key, PEM; generated under var/ in development and
test, required in production), `HELSEPORTAL_AUDIT_CHECKPOINTS` (the store: a file, or a directory that holds
`audit-checkpoints.jws`), `HELSEPORTAL_AUDIT_PUBLIC_KEYS_FILE` (optional: a JWK Set of earlier keys' public
halves, so checkpoints signed before a key rotation still verify).
"""

import base64
import dataclasses
import datetime
import functools
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

from helseportal.access.models import AuditEvent

# Our own choice, not a rule's: a checkpoint at most once a minute while the chain grows (the worker chains every
# 5 s). What is chained after the newest checkpoint is protected by the chain only: a minute of events at most
# while the worker runs. About half a million lines (≈ 200 MB) a year of a busy log; none while nothing happens.
CHECKPOINT_EVERY = datetime.timedelta(seconds=60)
# Our own choice: an event the newest checkpoint has not covered for five minutes means checkpoints stopped
# (worker down, store unwritable): `audit verify` alerts, as for events not chained (`UNCHAINED_ALERT_AFTER`).
UNCOVERED_ALERT_AFTER = datetime.timedelta(minutes=5)
ALGORITHM = "Ed25519"  # RFC 9864's fully specified name for EdDSA over Ed25519
FILE_NAME = "audit-checkpoints.jws"
VERSION = 1


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at a moment: position `seq` has `hash`; `count` positions (1 … seq) were chained."""

    seq: int
    hash: str
    count: int
    at: datetime.datetime
    kid: str = ""

    def payload(self) -> bytes:
        data = {"v": VERSION, "seq": self.seq, "hash": self.hash, "count": self.count, "at": self.at.isoformat()}
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode()

    @classmethod
    def from_payload(cls, payload: bytes, kid: str) -> "Checkpoint":
        data = json.loads(payload)
        if data.get("v") != VERSION:
            raise ValueError(f"unknown checkpoint version {data.get('v')!r}")
        if data.get("kind", "checkpoint") != "checkpoint":
            raise ValueError(f"not a checkpoint but a {data.get('kind')!r} record")
        at = datetime.datetime.fromisoformat(data["at"])
        return cls(int(data["seq"]), str(data["hash"]), int(data["count"]), at, kid)


@dataclass(frozen=True)
class Retention:
    """A signed retention record (ADR 0018): retention removed the chain's positions up to `seq`, whose event had
    `hash`; `count` events went; `kept` lists the events at or before `seq` still in the table (position → hash); the
    rule it applied (`rule`, `period_months`, `basis`, `verified`) and the partitions it dropped. `audit verify` then
    starts the chain after `seq`, its first event following `hash`."""

    seq: int
    hash: str
    count: int
    kept: dict[int, str]
    rule: str
    period_months: int
    basis: str
    verified: bool
    partitions: tuple[str, ...]
    at: datetime.datetime
    kid: str = ""

    def payload(self) -> bytes:
        data = {
            "v": VERSION,
            "kind": "retention",
            "seq": self.seq,
            "hash": self.hash,
            "count": self.count,
            "kept": [[seq, digest] for seq, digest in sorted(self.kept.items())],
            "rule": self.rule,
            "period_months": self.period_months,
            "basis": self.basis,
            "verified": self.verified,
            "partitions": list(self.partitions),
            "at": self.at.isoformat(),
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

    @classmethod
    def from_payload(cls, payload: bytes, kid: str) -> "Retention":
        data = json.loads(payload)
        if data.get("v") != VERSION or data.get("kind") != "retention":
            raise ValueError("not a retention record")
        return cls(
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            count=int(data["count"]),
            kept={int(seq): str(digest) for seq, digest in data["kept"]},
            rule=str(data["rule"]),
            period_months=int(data["period_months"]),
            basis=str(data["basis"]),
            verified=bool(data["verified"]),
            partitions=tuple(str(name) for name in data["partitions"]),
            at=datetime.datetime.fromisoformat(data["at"]),
            kid=kid,
        )


class CheckpointStore(Protocol):
    """A place outside the database that keeps every signed checkpoint, in the order written, and refuses to
    change or drop one (by its nature or its permissions: an append-only file, a write-once object bucket)."""

    def append(self, line: str) -> None:
        """Keep one signed checkpoint (a compact JWS) durably before returning."""

    def lines(self) -> Iterator[str]:
        """Every checkpoint kept, oldest first."""

    def last(self) -> str | None:
        """The newest checkpoint kept, or None (read cheaply: the worker asks every few seconds)."""


class FileCheckpointStore:
    """One compact JWS per line in a file opened with O_APPEND and fsynced after each line.

    Put the file where the database's users cannot write (another host's mount, a volume only the worker's user
    may append to; `chattr +a` makes it append-only for root too). A line torn by a crash is not ended by a newline:
    `lines()` leaves it out while it is the last; the next append starts on a new line, and `check()` then skips it
    as torn (a warning, not a failure: it vouches for nothing, and an append-only file cannot be mended).
    """

    def __init__(self, path: str | Path) -> None:
        file = Path(path)
        self.path = file / FILE_NAME if file.is_dir() else file

    def append(self, line: str) -> None:
        created = not self.path.exists()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
        try:
            data = line.encode("ascii") + b"\n"
            if not created and not self._ends_with_newline():
                data = b"\n" + data  # after a torn line (a crash mid-write), start a new one
            os.write(descriptor, data)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        if created:  # the new file's name must survive a crash too
            directory = os.open(self.path.parent, os.O_RDONLY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def lines(self) -> Iterator[str]:
        if not self.path.exists():
            return
        with self.path.open("rb") as file:
            for raw in file:
                if raw.endswith(b"\n") and raw.strip():
                    yield raw.strip().decode("ascii", errors="replace")

    def last(self) -> str | None:
        if not self.path.exists():
            return None
        with self.path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            file.seek(max(0, size - 8192))
            tail = file.read()
        complete = [line for line in tail.split(b"\n")[:-1] if line.strip()]
        return complete[-1].decode("ascii", errors="replace") if complete else None

    def _ends_with_newline(self) -> bool:
        with self.path.open("rb") as file:
            size = file.seek(0, os.SEEK_END)
            if size == 0:
                return True
            file.seek(size - 1)
            return file.read(1) == b"\n"


class ObjectStoreCheckpointStore:
    """NOT BUILT — a stub that shows the shape. An object store with write-once retention (S3 Object Lock in
    compliance mode, or the like) would keep one object per checkpoint under a sortable key (`<seq>-<at>.jws`),
    `last()` listing the newest key. `HELSEPORTAL_AUDIT_CHECKPOINTS=s3://…` is refused until it is built."""

    def __init__(self, url: str) -> None:
        raise ImproperlyConfigured(
            f"HELSEPORTAL_AUDIT_CHECKPOINTS={url}: an object store for audit checkpoints is not built; "
            "use a file path (ADR 0015)"
        )


def store() -> CheckpointStore | None:
    """The configured store, or None when none is (never in production: the settings refuse that)."""
    location = settings.HELSEPORTAL_AUDIT_CHECKPOINTS
    if not location:
        return None
    if "://" in location:
        ObjectStoreCheckpointStore(location)
    return FileCheckpointStore(location)


@functools.cache
def _load_key(path: str, mtime: float) -> OKPKey:
    key = OKPKey.import_key(Path(path).read_bytes())
    if key.curve_name != "Ed25519" or not key.is_private:
        raise ImproperlyConfigured(f"{path} is not an Ed25519 private key (PEM)")
    return key


def signing_key() -> OKPKey:
    """The private key checkpoints are signed with; in development and test, generated at its path when missing."""
    path = Path(settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE)
    if not settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE:
        raise ImproperlyConfigured("HELSEPORTAL_AUDIT_SIGNING_KEY_FILE is not set")
    if not path.exists():
        if settings.PRODUCTION:
            raise ImproperlyConfigured(f"the audit signing key file {path} does not exist")
        generate_key(path)
    return _load_key(str(path), path.stat().st_mtime)


def generate_key(path: Path) -> None:
    """A new Ed25519 private key as PKCS#8 PEM, readable by its owner only."""
    pem = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)


def key_id(key: OKPKey) -> str:
    return key.thumbprint()


def public_jwk(key: OKPKey) -> dict[str, object]:
    """The key's public half as a JWK, with its `kid`: what `HELSEPORTAL_AUDIT_PUBLIC_KEYS_FILE` lists."""
    return {**key.as_dict(private=False), "kid": key_id(key), "alg": ALGORITHM, "use": "sig"}


def verification_keys() -> dict[str, OKPKey]:
    """The public keys checkpoints may be signed with, by key id: the current key's and the listed earlier ones."""
    keys: dict[str, OKPKey] = {}
    listed = settings.HELSEPORTAL_AUDIT_PUBLIC_KEYS_FILE
    if listed:
        data = json.loads(Path(listed).read_text())
        for item in data.get("keys", []) if isinstance(data, dict) else []:
            key = OKPKey.import_key({name: value for name, value in item.items() if name != "d"})
            keys[key_id(key)] = key
    current = settings.HELSEPORTAL_AUDIT_SIGNING_KEY_FILE
    if current and Path(current).exists():
        key = signing_key()
        keys[key_id(key)] = OKPKey.import_key(key.as_dict(private=False))
    return keys


def sign(checkpoint: Checkpoint | Retention, key: OKPKey) -> str:
    kind = "retention" if isinstance(checkpoint, Retention) else "checkpoint"
    header = {"alg": ALGORITHM, "kid": key_id(key), "typ": f"helseportal-audit-{kind}"}
    return jws.serialize_compact(header, checkpoint.payload(), key, algorithms=[ALGORITHM])


def read(line: str, keys: dict[str, OKPKey]) -> Checkpoint:
    """The checkpoint in a signed line; ValueError says why it cannot be trusted (or that it is not a checkpoint)."""
    found = read_any(line, keys)
    if not isinstance(found, Checkpoint):
        raise ValueError("not a checkpoint but a retention record")
    return found


def read_any(line: str, keys: dict[str, OKPKey]) -> Checkpoint | Retention:
    """The checkpoint or retention record in a signed line; ValueError says why it cannot be trusted."""
    try:
        header = json.loads(_b64decode(line.split(".")[0]))
        kid = str(header.get("kid", ""))
    except (ValueError, IndexError):
        raise ValueError("not a signed checkpoint") from None
    key = keys.get(kid)
    if key is None:
        raise ValueError(f"signed by an unknown key (kid {kid!r}; list earlier keys in the public keys file)")
    try:
        payload = jws.deserialize_compact(line, key, algorithms=[ALGORITHM]).payload
    except JoseError:
        raise ValueError("the signature is not valid (the checkpoint was changed or forged)") from None
    if json.loads(payload).get("kind") == "retention":
        return Retention.from_payload(payload, kid)
    return Checkpoint.from_payload(payload, kid)


def _unverified(line: str) -> Checkpoint:
    """The payload of a line without checking its signature: only the worker's timing reads it this way."""
    parts = line.split(".")
    return Checkpoint.from_payload(_b64decode(parts[1]), "")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def head() -> tuple[int, str] | None:
    """The chain's committed head: its position and hash."""
    found = AuditEvent.objects.filter(seq__isnull=False).order_by("-seq").values_list("seq", "hash").first()
    return (found[0], found[1]) if found and found[0] is not None and found[1] else None


def write(*, force: bool = False) -> Checkpoint | None:
    """Sign the chain's head and keep it in the store, when the head moved since the newest checkpoint and that
    one is `CHECKPOINT_EVERY` old (or `force`); return the checkpoint written, if any. Call it after the chaining
    committed (the task worker does, `access.tasks`)."""
    kept = store()
    top = head()
    if kept is None or top is None:
        return None
    now = timezone.now()
    last = kept.last()
    if last is not None:
        try:
            previous = _unverified(last)
        except (ValueError, KeyError, IndexError):
            previous = None  # unreadable: write a fresh one; `audit verify` reports the bad line
        if previous is not None:
            if previous.seq == top[0] and previous.hash == top[1]:
                return None
            if not force and now - previous.at < CHECKPOINT_EVERY:
                return None
    key = signing_key()
    checkpoint = Checkpoint(seq=top[0], hash=top[1], count=top[0], at=now, kid=key_id(key))
    kept.append(sign(checkpoint, key))
    return checkpoint


@dataclass(frozen=True)
class AnchorCheck:
    """The chain held against its checkpoints: `problems` (each a reason `audit verify` fails), how many were
    checked, the newest, and the events chained after it (the oldest's time: an alert past `UNCOVERED_ALERT_AFTER`)."""

    configured: bool
    checkpoints: int = 0
    newest: Checkpoint | None = None
    problems: tuple[str, ...] = ()
    uncovered: int = 0
    oldest_uncovered: datetime.datetime | None = None
    torn: int = 0  # lines a crash cut short (skipped, a warning)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def overdue(self) -> bool:
        oldest = self.oldest_uncovered
        return oldest is not None and timezone.now() - oldest > UNCOVERED_ALERT_AFTER


@dataclass(frozen=True)
class StoreContents:
    """What the store holds, signatures checked: the checkpoints and retention records that verify, the problems
    with the lines that do not, and the lines a crash cut short."""

    configured: bool
    checkpoints: tuple[Checkpoint, ...] = ()
    retentions: tuple[Retention, ...] = ()
    problems: tuple[str, ...] = ()
    torn: int = 0

    @property
    def cut(self) -> Retention | None:
        """The newest retention record (the highest cut): where the chain now starts."""
        return max(self.retentions, key=lambda record: record.seq, default=None)


def read_store() -> StoreContents:
    """Every line of the store, each checked against the known public keys."""
    kept = store()
    if kept is None:
        return StoreContents(configured=False)
    keys = verification_keys()
    problems: list[str] = []
    trusted: list[Checkpoint] = []
    retentions: list[Retention] = []
    torn = 0
    for number, line in enumerate(kept.lines(), start=1):
        if _torn(line):
            torn += 1  # a prefix of a line a crash cut short, ended by the next append: it vouches for nothing
            continue
        try:
            found = read_any(line, keys)
        except (ValueError, KeyError) as error:
            problems.append(f"checkpoint {number} in the store: {error}")
            continue
        (retentions if isinstance(found, Retention) else trusted).append(found)  # type: ignore[arg-type]
    return StoreContents(True, tuple(trusted), tuple(retentions), tuple(problems), torn)


def write_retention(record: Retention) -> Retention:
    """Sign a retention record and keep it in the store (before anything is dropped: `retention.apply`)."""
    kept = store()
    if kept is None:
        raise ImproperlyConfigured("no checkpoint store (HELSEPORTAL_AUDIT_CHECKPOINTS): retention cannot sign its cut")
    key = signing_key()
    signed = dataclasses.replace(record, kid=key_id(key))
    kept.append(sign(signed, key))
    return signed


def check(batch_size: int = 2000, contents: StoreContents | None = None) -> AnchorCheck:
    """Hold the chain in the database against every signed checkpoint in the store (those at or before the newest
    retention cut name events retention removed: they are not compared)."""
    contents = contents or read_store()
    if not contents.configured:
        return AnchorCheck(configured=False)
    problems = list(contents.problems)
    trusted = list(contents.checkpoints)
    torn = contents.torn
    top = head()
    head_seq = top[0] if top else 0
    newest = max(trusted, key=lambda checkpoint: checkpoint.seq, default=None)
    if newest is not None and head_seq < newest.seq:
        problems.append(
            f"the chain ends at position {head_seq}, before the signed checkpoint at position {newest.seq} of "
            f"{newest.at.isoformat()}: the newest events were deleted"
        )
    cut = contents.cut
    problems += _compare([c for c in trusted if cut is None or c.seq > cut.seq], head_seq, batch_size)
    covered = newest.seq if newest else 0
    after = AuditEvent.objects.filter(seq__gt=covered)
    uncovered = max(0, head_seq - covered)
    oldest = after.order_by("seq").values_list("occurred_at", flat=True).first() if uncovered else None
    return AnchorCheck(True, len(trusted), newest, tuple(problems), uncovered, oldest, torn)


# An Ed25519 signature is 64 bytes: 86 characters of unpadded base64url.
_SIGNATURE_LENGTH = 86


def _torn(line: str) -> bool:
    """Whether a line is shorter than any whole checkpoint can be: fewer than three parts, or a signature cut short.
    A line with a whole signature that does not verify is not torn: it is a problem."""
    parts = line.split(".")
    return len(parts) < 3 or len(parts[2]) < _SIGNATURE_LENGTH


def _compare(checkpoints: Iterable[Checkpoint], head_seq: int, batch_size: int) -> list[str]:
    """Each checkpoint within the chain against the event at its position, `batch_size` positions a query."""
    problems: list[str] = []
    within = sorted((c for c in checkpoints if c.seq <= head_seq), key=lambda checkpoint: checkpoint.seq)
    for start in range(0, len(within), batch_size):
        batch = within[start : start + batch_size]
        stored = dict(AuditEvent.objects.filter(seq__in={c.seq for c in batch}).values_list("seq", "hash").iterator())
        for checkpoint in batch:
            when = checkpoint.at.isoformat()
            if checkpoint.count != checkpoint.seq:
                problems.append(f"the signed checkpoint of {when} is not well formed (count ≠ seq)")
            elif checkpoint.seq not in stored:
                problems.append(f"no event at position {checkpoint.seq}, which the signed checkpoint of {when} covers")
            elif stored[checkpoint.seq] != checkpoint.hash:
                problems.append(
                    f"the event at position {checkpoint.seq} does not have the hash the signed checkpoint of {when} "
                    "names: the chain was rewritten up to there"
                )
        if len(problems) > 20:  # enough to act on; the first ones say where
            break
    return problems
