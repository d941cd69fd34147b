"""What an item says, as the review sees it: its text sources, their redacted public version, and
the content hash that reviews, countersignatures and approvals sign for.

A source is a named text: `title`, `summary`, `body`, `interpretation` (policy documents) or
`attachment:<pk>` (the text extracted from an attachment). Redaction offsets index these texts.
Every one of them is scanned, and a string redacted in one is redacted in all (review.services
.redactions), because the catalogue shows each of them.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from workflow.models import Attachment, Item, LegalGround
from workflow.sqlrows import Part, RowReader, exists

from .extraction import kept_reading, read_kept, reading_keep
from .models import Redaction

TITLE = "title"
SUMMARY = "summary"
BODY = "body"
INTERPRETATION = "interpretation"
ATTACHMENT_PREFIX = "attachment:"


def attachment_source(attachment: Attachment) -> str:
    return f"{ATTACHMENT_PREFIX}{attachment.pk}"


def file_bytes(attachment: Attachment) -> bytes:
    with attachment.file.open("rb") as handle:
        return handle.read()


_SHA256_READ = "_sha256_read"


def file_sha256(attachment: Attachment) -> str:
    """The hash of the stored bytes as they are now, not as recorded at upload: a file replaced on
    disk after approval must change the content hash. Read once per row read: a step that hashes
    both the raw content (the scan's key) and the content with its redactions reads each file
    once; a new read of the rows hashes the files anew."""
    cached = attachment.__dict__.get(_SHA256_READ)
    if cached is None:
        with attachment.file.open("rb") as handle:
            cached = hashlib.file_digest(handle, "sha256").hexdigest()
        attachment.__dict__[_SHA256_READ] = cached
    return cached


def forget_file_sha256(attachment: Attachment) -> None:
    """After the attachment's file was replaced through this instance."""
    attachment.__dict__.pop(_SHA256_READ, None)


@dataclass
class AttachmentText:
    attachment: Attachment
    sha256: str
    text: str | None  # None: unreadable, or not read yet (pending)
    error: str = ""
    pending: bool = False  # text recognition (OCR) is still running on the worker


def attachment_text(attachment: Attachment, *, stored: bool = False) -> AttachmentText:
    """The attachment's text, extracted once per file content and kept on the row.

    `stored=True` trusts the text kept on the row without reading the file again: for pages,
    which only display it. Writes (redactions, scans, the public version) read the file."""
    if stored and attachment.text_sha256:
        sha = attachment.text_sha256
        reading = kept_reading(attachment)
    else:
        data = file_bytes(attachment)
        sha = hashlib.sha256(data).hexdigest()
        if attachment.text_sha256 == sha:
            reading = kept_reading(attachment)
        else:
            # Read at upload as a rule; here when the file changed since, or predates that. The
            # reading is kept either way, and a picture or scan is queued for OCR.
            reading = read_kept(data, attachment.name)
            reading_keep(attachment, sha, reading)
    return AttachmentText(attachment, sha, reading.text, reading.error, reading.pending)


def item_sources(
    item: Item, *, attachments: Iterable[Attachment] | None = None, stored: bool = False
) -> dict:
    """{source: text} for every readable source, and the unreadable attachments."""
    sources = {TITLE: item.title, SUMMARY: item.summary, BODY: item.body}
    if item.is_policy_document or item.interpretation:
        sources[INTERPRETATION] = item.interpretation
    unreadable = []
    for attachment in attachments if attachments is not None else item.attachments.all():
        extracted = attachment_text(attachment, stored=stored)
        if extracted.text is None:
            entry = {
                "source": attachment_source(attachment),
                "name": attachment.name,
                "error": extracted.error,
            }
            if extracted.pending:
                entry["pending"] = True  # read by OCR on the worker, then scanned again
            unreadable.append(entry)
        else:
            sources[attachment_source(attachment)] = extracted.text
    return {"sources": sources, "unreadable": unreadable}


def source_label(source: str, attachments: dict[int, Attachment] | None = None) -> str:
    if source == TITLE:
        return _("Title")
    if source == SUMMARY:
        return _("Summary")
    if source == BODY:
        return _("Body")
    if source == INTERPRETATION:
        return _("Policy interpretation")
    if source.startswith(ATTACHMENT_PREFIX):
        pk = int(source.removeprefix(ATTACHMENT_PREFIX))
        attachment = (attachments or {}).get(pk)
        name = attachment.name if attachment else f"#{pk}"
        return _("Attachment %(name)s") % {"name": name}
    return source


# --- the content hash ----------------------------------------------------------------------


# Every workflow step reads these rows; fixed SQL spares the ORM's work (workflow.sqlrows).
_ATTACHMENTS = RowReader(
    [Part(Attachment, "a")],
    f"FROM {Attachment._meta.db_table} a WHERE a.item_id = %s ORDER BY a.uploaded_at, a.id",
)
_REDACTIONS = RowReader(
    [Part(Redaction, "r"), Part(LegalGround, "g")],
    f"FROM {Redaction._meta.db_table} r"
    f" JOIN {LegalGround._meta.db_table} g ON g.id = r.ground_id"
    " WHERE r.item_id = %s AND r.withdrawn_at IS NULL ORDER BY r.source, r.start, r.id",
)


def item_attachments(item: Item) -> list[Attachment]:
    """The item's attachment rows, in upload order."""
    return [attachment for (attachment,), _extras in _ATTACHMENTS.read_all([item.pk])]


# Columns for a step's read of the item under its lock (workflow.sqlrows.item_locked_reader,
# alias `i`): whether it has attachments and redactions in force. Most items have neither, and
# a step that knows it skips reading them (`content_rows`). Attachments are added and redactions
# made under the same row lock, so the answer holds for the rest of the step.
HAS_ATTACHMENTS = exists(Attachment, "ea", "ea.item_id = i.id")
HAS_REDACTIONS = exists(Redaction, "er", "er.item_id = i.id AND er.withdrawn_at IS NULL")


def content_rows(
    item: Item, *, has_attachments: bool, has_redactions: bool
) -> tuple[list[Attachment], list]:
    """The item's attachments and redactions in force, read only where the locked read of the
    item found some (HAS_ATTACHMENTS, HAS_REDACTIONS)."""
    return (
        item_attachments(item) if has_attachments else [],
        active_redactions(item) if has_redactions else [],
    )


def active_redactions(item: Item) -> list:
    """The redactions in force, with their grounds: read once by a step that both hashes the
    content and makes the public version."""
    rows = []
    for (redaction, ground), _extras in _REDACTIONS.read_all([item.pk]):
        Redaction._meta.get_field("ground").set_cached_value(redaction, ground)
        rows.append(redaction)
    return rows


def content_hash(
    item: Item,
    *,
    with_redactions: bool = True,
    attachments: Iterable[Attachment] | None = None,
    redactions: Iterable | None = None,
) -> str:
    """SHA-256 over everything that decides what the public will read: the catalogue fields, the
    body and interpretation, each attachment's bytes, and the redactions in force.

    Computed from the database and the stored files at the moment of asking, never from a cached
    value, so a change by any route (a form, the admin, the shell, a file replaced on disk) changes
    it. `with_redactions=False` gives the hash of the raw content, which keys the scans.
    `attachments` and `redactions` (`active_redactions`), when the caller has just read those rows
    in the same transaction, save reading them again; the files are hashed all the same.
    """
    if attachments is None:
        attachments = item_attachments(item)
    payload = {
        "title": item.title,
        "summary": item.summary,
        "body": item.body,
        "attribute": item.attribute,
        "scope": item.scope,
        "policy": item.is_policy_document,
        "interpretation": item.interpretation,
        "withhold": [item.withhold_reason, item.withhold_ground_id],
        "attachments": [
            [attachment.pk, attachment.name, file_sha256(attachment)]
            for attachment in sorted(attachments, key=lambda a: a.pk)
        ],
    }
    if with_redactions:
        if item.raised_scope:
            # Only when raised, so the hashes of everything reviewed before stay as they were.
            payload["raised_scope"] = item.raised_scope
        if redactions is None:
            redactions = active_redactions(item)
        payload["redactions"] = [
            [r.source, r.start, r.end, r.ground.code]
            for r in sorted(redactions, key=lambda r: (r.source, r.start, r.end, r.pk))
        ]
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode()).hexdigest()


# --- the public version --------------------------------------------------------------------


def redaction_mark(article: str) -> str:
    # Visible in place, with the ground, as partial disclosure requires (Art. 37): the reader sees
    # that something was withheld and why, never what or how long it was.
    return _("[withheld: %(ground)s]") % {"ground": article}


def redact(text: str, spans: Iterable[tuple[int, int, str]], *, mark: str | None = None) -> str:
    """`text` with each (start, end, article) span replaced by a mark; overlapping spans merge and
    keep the grounds of each. `mark`: put this in place of each span instead."""
    merged: list[list] = []
    for start, end, article in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            if article not in merged[-1][2]:
                merged[-1][2].append(article)
        else:
            merged.append([start, end, [article]])
    out, cursor = [], 0
    for start, end, articles in merged:
        out.append(text[cursor:start])
        out.append(redaction_mark("、".join(articles)) if mark is None else mark)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def public_texts(
    item: Item, sources: dict[str, str] | None = None, *, redactions: Iterable | None = None
) -> dict[str, str]:
    """{source: public text} for every source that has redactions, plus the title, summary, body
    and interpretation."""
    by_source: dict[str, list] = {}
    for r in active_redactions(item) if redactions is None else redactions:
        by_source.setdefault(r.source, []).append((r.start, r.end, r.ground.article))
    wanted = {
        TITLE: item.title,
        SUMMARY: item.summary,
        BODY: item.body,
        INTERPRETATION: item.interpretation,
    }
    if any(s.startswith(ATTACHMENT_PREFIX) for s in by_source):
        sources = sources or item_sources(item)["sources"]
        wanted.update({s: sources[s] for s in by_source if s in sources})
    return {source: redact(text, by_source.get(source, [])) for source, text in wanted.items()}


def redact_file(attachment: Attachment, public_text: str) -> None:
    """Store the public version of an attachment that carries redactions: a Word rendering of its
    redacted text. The layout of the original is not kept; what the public may read is."""
    import io

    import docx
    from django.core.files.base import ContentFile

    document = docx.Document()
    document.add_heading(_("%(name)s (public version)") % {"name": attachment.name}, level=1)
    for line in public_text.splitlines():
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    stem = attachment.name.rsplit(".", 1)[0] or "attachment"
    attachment.public_file.save(f"{stem}-public.docx", ContentFile(buffer.getvalue()), save=True)
