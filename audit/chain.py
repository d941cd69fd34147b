"""The hash chain over audit rows: the key, the canonical form of a row and its hash.

The sealer (services.audit_seal) and the verifier (selectors.audit_verify) both hash rows as read
from the database through ROW_FIELDS, so what is hashed is what the database returns (timestamps
at the database's precision, JSON as the database normalised it), never an in-memory object.
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime
from typing import Any

from django.conf import settings

# Bump when the canonical form changes; it is hashed, so old rows keep verifying under their form.
FORMAT = "audit-chain-v1"
# prev_hash of the first row in the chain.
GENESIS = "0" * 64
CHAIN_FIELDS = ("chain_seq", "prev_hash", "row_hash")
CONTENT_FIELDS = (
    "id",
    "at",
    "actor_id",
    "action",
    "subject_type_id",
    "subject_id",
    "subject_repr",
    "old_state",
    "new_state",
    "comment",
    "data",
)
# What the sealer and the verifier read back; the order is the canonical order.
ROW_FIELDS = (*CONTENT_FIELDS, *CHAIN_FIELDS)

_KEY_LABEL = b"audit-chain-key-v1"


def chain_key() -> bytes:
    """AUDIT_CHAIN_KEY, or one derived from SECRET_KEY: someone who can write the database but
    does not know the key cannot recompute the chain after editing a row."""
    if settings.AUDIT_CHAIN_KEY:
        return settings.AUDIT_CHAIN_KEY.encode()
    return derived_key(settings.SECRET_KEY).encode()


def derived_key(secret_key: str) -> str:
    """The key used when AUDIT_CHAIN_KEY is empty. Pin it (AUDIT_CHAIN_KEY=<this>) before
    rotating SECRET_KEY, or rows sealed under the old SECRET_KEY stop verifying."""
    return hmac.new(secret_key.encode(), _KEY_LABEL, hashlib.sha256).hexdigest()


def key_fingerprint() -> str:
    """Says which key verified a chain without revealing it, so a "wrong key" is told apart from
    tampering when the very first row fails."""
    return hmac.new(chain_key(), b"fingerprint", hashlib.sha256).hexdigest()[:12]


def _utc_iso(value: datetime) -> str:
    # A naive value would mean USE_TZ was switched off; hashing it as if UTC would hide that.
    if value.tzinfo is None:
        raise ValueError("audit timestamps must be timezone-aware")
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(row: dict[str, Any], *, chain_seq: int, prev_hash: str) -> bytes:
    """Deterministic bytes of every content column plus the row's place in the chain."""
    values = [
        FORMAT,
        row["id"],
        _utc_iso(row["at"]),
        row["actor_id"],
        row["action"],
        row["subject_type_id"],
        row["subject_id"],
        row["subject_repr"],
        row["old_state"],
        row["new_state"],
        row["comment"],
        row["data"],
        chain_seq,
        prev_hash,
    ]
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(row: dict[str, Any], *, chain_seq: int, prev_hash: str, key: bytes) -> str:
    """HMAC-SHA256(key, canonical(row) + prev_hash); `key` is chain_key(), fetched once per batch."""
    message = canonical(row, chain_seq=chain_seq, prev_hash=prev_hash) + prev_hash.encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()
