"""Check the audit log's hash chain; exits non-zero at the first row that breaks it."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from audit.selectors import ChainBreak, ChainReport, audit_verify
from audit.services import audit_seal


def _head(value: str) -> tuple[int, str]:
    seq, sep, digest = value.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise CommandError(_("--expect-head takes SEQ:HASH, as printed by an earlier run"))
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = "Verify the audit log's hash chain (docs/audit.md)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--seal", action="store_true", help="seal the rows waiting for the chain first"
        )
        parser.add_argument(
            "--expect-head",
            type=_head,
            metavar="SEQ:HASH",
            help="a head recorded earlier outside the database; fails if the chain lost it",
        )
        parser.add_argument("--batch", type=int, default=2000, help="rows per query")

    def handle(self, *args, seal, expect_head, batch, **options):
        if seal:
            sealed = audit_seal(batch=batch)
            self.stdout.write(_("Sealed %(count)d audit rows.") % {"count": sealed})
        report = audit_verify(batch=batch, expect_head=expect_head)
        self.stdout.write(
            _(
                "Rows checked: %(checked)d; waiting to be sealed: %(unsealed)d; "
                "key fingerprint %(key)s."
            )
            % {
                "checked": report.checked,
                "unsealed": report.unsealed,
                "key": report.key_fingerprint,
            }
        )
        if report.ok:
            self.stdout.write(
                _("Chain intact. Head (record it outside the database): %(seq)d:%(hash)s")
                % {"seq": report.head_seq, "hash": report.head_hash}
            )
            return
        raise CommandError(self._describe(report), returncode=2)

    def _describe(self, report: ChainReport) -> str:
        broken = report.broken
        where = {"id": broken.row_id, "seq": broken.chain_seq, "last": report.head_seq}
        messages = {
            ChainBreak.EDITED: _(
                "Audit row %(id)s (chain position %(seq)s) was edited after it was sealed."
            ),
            ChainBreak.LINK: _(
                "Audit row %(id)s (chain position %(seq)s) does not link to the row before it."
            ),
            ChainBreak.MISSING: _(
                "Audit rows are missing before row %(id)s (chain position %(seq)s): "
                "the chain is intact only up to position %(last)s."
            ),
            ChainBreak.HEAD_DIFFERS: _(
                "Audit row %(id)s at the recorded head position %(seq)s has a different hash."
            ),
            ChainBreak.HEAD_MISSING: _(
                "The chain ends at position %(last)s, before the recorded head %(seq)s: "
                "the newest rows were removed."
            ),
        }
        return messages[broken.kind] % where
