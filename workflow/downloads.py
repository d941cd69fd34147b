"""Stored files as downloads."""

import logging

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404

logger = logging.getLogger(__name__)


def file_download(file: FieldFile, *, filename: str) -> FileResponse:
    """The file as an attachment (never shown inline, with `nosniff` from the security middleware).

    A row whose file is missing on disk (media not restored with the database, a disk fault) is
    logged for the administrator and answers 404 rather than a server error."""
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        logger.error("stored file missing on disk: %s", file.name)
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=filename)
