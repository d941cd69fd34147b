import hmac
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from . import chain
from .models import AuditEntry


def audit_history_for(*, subject: models.Model) -> QuerySet[AuditEntry]:
    """History of one object; the caller has already checked the reader may see it."""
    return AuditEntry.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
        subject_id=str(subject.pk),
    ).select_related("actor")


@dataclass(frozen=True)
class ChainBreak:
    """The first row where the chain does not hold."""

    EDITED = "edited"  # the row's content or chain fields differ from what was sealed
    LINK = "link"  # prev_hash is not the previous row's hash
    MISSING = "missing"  # chain_seq jumps: the rows in between were removed
    HEAD_DIFFERS = "head_differs"  # the row at the recorded head seq has another hash
    HEAD_MISSING = "head_missing"  # the chain ends before the recorded head

    kind: str
    row_id: int | None
    chain_seq: int


@dataclass(frozen=True)
class ChainReport:
    checked: int  # sealed rows verified, which is also the last good chain_seq
    unsealed: int
    head_seq: int
    head_hash: str
    key_fingerprint: str
    broken: ChainBreak | None = None

    @property
    def ok(self) -> bool:
        return self.broken is None


def audit_verify(*, batch: int = 2000, expect_head: tuple[int, str] | None = None) -> ChainReport:
    """Recompute the chain in chain_seq order, `batch` rows per query (keyset pages: constant
    memory however long the log), and stop at the first row that breaks it.

    `expect_head` is a (seq, hash) pair recorded outside the database earlier: rows removed from
    the end of the chain (or the table truncated) leave no gap, so only that record shows it."""
    key = chain.chain_key()
    unsealed = AuditEntry.objects.filter(chain_seq__isnull=True).count()
    seq, prev_hash = 0, chain.GENESIS

    def report(broken: ChainBreak | None = None) -> ChainReport:
        return ChainReport(seq, unsealed, seq, prev_hash, chain.key_fingerprint(), broken)

    while True:
        rows = list(
            AuditEntry.objects.filter(chain_seq__gt=seq)
            .order_by("chain_seq")
            .values(*chain.ROW_FIELDS)[:batch]
        )
        for row in rows:
            at = row["id"], row["chain_seq"]
            if row["chain_seq"] != seq + 1:
                return report(ChainBreak(ChainBreak.MISSING, *at))
            if row["prev_hash"] != prev_hash:
                return report(ChainBreak(ChainBreak.LINK, *at))
            computed = chain.row_hash(row, chain_seq=seq + 1, prev_hash=prev_hash, key=key)
            if not hmac.compare_digest(computed, row["row_hash"]):
                return report(ChainBreak(ChainBreak.EDITED, *at))
            seq, prev_hash = row["chain_seq"], row["row_hash"]
            if expect_head and seq == expect_head[0] and prev_hash != expect_head[1]:
                return report(ChainBreak(ChainBreak.HEAD_DIFFERS, *at))
        if len(rows) < batch:
            break
    if expect_head and seq < expect_head[0]:
        return report(ChainBreak(ChainBreak.HEAD_MISSING, None, expect_head[0]))
    return report()
