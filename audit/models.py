from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditLogIsAppendOnly(Exception):
    """Raised on any attempt to change or remove an audit row through the application."""


class AuditEntryQuerySet(models.QuerySet):
    """Inserts only. The sealer writes the chain fields with its own SQL (services._write_seals),
    the one update the PostgreSQL trigger lets through."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("audit rows cannot be updated")

    def delete(self):
        raise AuditLogIsAppendOnly("audit rows cannot be deleted")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AuditLogIsAppendOnly("audit rows cannot be updated")

    def bulk_create(self, objs, *args, **kwargs):
        # An upsert would overwrite the conflicting row.
        if kwargs.get("update_conflicts"):
            raise AuditLogIsAppendOnly("audit rows cannot be updated")
        return super().bulk_create(objs, *args, **kwargs)

    update.alters_data = delete.alters_data = bulk_update.alters_data = True


class AuditEntry(models.Model):
    """One row per state change (谁提供、谁审核、谁负责). Written only through audit.services.audit_log;
    never changed afterwards, except that the sealer fills in the chain fields once
    (docs/audit.md)."""

    at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=80)  # indexed in Meta, without a LIKE index
    subject_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,  # (subject_type, subject_id, at)
    )
    subject_id = models.CharField(max_length=64)
    subject = GenericForeignKey("subject_type", "subject_id")
    subject_repr = models.CharField(_("object"), max_length=255)
    old_state = models.CharField(_("old state"), max_length=40, blank=True)
    new_state = models.CharField(_("new state"), max_length=40, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)
    # The hash chain (audit.chain), empty until the sealer reaches the row. Chain order is
    # chain_seq, not id: a row whose transaction commits late is sealed late.
    chain_seq = models.BigIntegerField(_("chain position"), null=True, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="")
    row_hash = models.CharField(_("hash"), max_length=64, blank=True, default="")

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["subject_type", "subject_id", "at"]),
            models.Index(fields=["action"], name="audit_action"),
            # The sealer's queue. Without it, "unsealed, lowest id first, LIMIT n" may be
            # planned as a walk of the primary key through every sealed row.
            models.Index(
                fields=["id"], condition=models.Q(chain_seq__isnull=True), name="audit_unsealed"
            ),
        ]
        constraints = [
            # Partial, like the index above, so each insert adds one index entry, not two.
            models.UniqueConstraint(
                fields=["chain_seq"],
                condition=models.Q(chain_seq__isnull=False),
                name="audit_chain_seq_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.subject_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding or kwargs.get("force_update") or kwargs.get("update_fields"):
            raise AuditLogIsAppendOnly("audit rows cannot be updated")
        # Without it, a new object carrying an existing id would silently UPDATE that row.
        kwargs["force_insert"] = True
        return super().save(*args, **kwargs)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("audit rows cannot be deleted")

    delete.alters_data = True
