"""Office Open XML packages (.docx, .xlsx): which kind, and whether they are safe to open.

A package is a ZIP archive; a few hundred kilobytes can inflate to gigabytes of XML (a "zip
bomb"), which the XML parsers then hold in memory many times over. The sizes each part declares
in the archive's directory are checked before anything is unpacked. A package may lie about them:
Python's zipfile never returns more of a part than its declared size (the rest fails the CRC
check), but it inflates far more in one go before cutting it off. So each part is unpacked in
small steps and checked against its declared size and checksum first (`_verify`); a package that
fails is refused as damaged. The child process the parsing runs in (bounded.py) is the last line.
"""

import io
import zipfile
import zlib

from django.conf import settings
from django.utils.translation import gettext as _

from .errors import ExtractionError, ExtractionRefused

DOCX = "docx"
XLSX = "xlsx"
# The part every package of each kind has.
_MAIN_PARTS = (("word/document.xml", DOCX), ("xl/workbook.xml", XLSX))
# Parts the readers parse as XML count in full; pictures and other embedded files are only held
# as bytes, and count for what they grow by when unpacked (a photo hardly grows; a bomb does).
_XML_SUFFIXES = (".xml", ".rels", ".vml")
DEFAULT_MAX_UNPACKED_BYTES = 20 * 1024 * 1024
_STEP = 64 * 1024

# What reading a damaged archive raises (found by fuzzing truncated and bit-flipped files).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    KeyError,
    ValueError,
    NotImplementedError,  # "zip file version 12.5"
    RuntimeError,  # zipfile: "File ... is encrypted, password required"
)


def max_unpacked_bytes() -> int:
    return getattr(settings, "EXTRACTION_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)


def package_kind(data: bytes, name: str) -> str:
    """DOCX or XLSX, once the declared sizes are within the limit. Raises ExtractionRefused for a
    package that would unpack to too much, ExtractionError for a damaged or foreign archive."""
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except ZIP_ERRORS:
        raise ExtractionError(
            _(
                "%(name)s: the file is damaged (its ZIP archive cannot be read). Open it in "
                "Office, save it again and upload that."
            )
            % {"name": name},
            code="corrupt",
        ) from None
    names = {info.filename for info in infos}
    kind = next((kind for part, kind in _MAIN_PARTS if part in names), None)
    if kind is None:
        raise ExtractionError(
            _("%(name)s: a ZIP archive, but neither a Word (.docx) nor an Excel (.xlsx) file.")
            % {"name": name},
            code="not_office",
        )
    limit = max_unpacked_bytes()
    if unpacked_size(infos) > limit:
        raise ExtractionRefused(
            _(
                "%(name)s: the file unpacks to more than %(limit)s MB and is not accepted (it may "
                "be a “zip bomb”). Split it into smaller files or save it as PDF, and "
                "upload those."
            )
            % {"name": name, "limit": f"{limit / (1024 * 1024):g}"},
            code="unpacked_too_large",
        )
    _verify(data, infos, name)
    return kind


def _verify(data: bytes, infos: list[zipfile.ZipInfo], name: str) -> None:
    """Unpack every part in small steps and check it against its declared size and checksum.
    Costs at most the declared sizes, which are within the limit; the parsers, which unpack a
    part in one go, then never meet a part that holds more than it declares."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        for info in infos:
            with archive.open(info) as part:
                while part.read(_STEP):
                    pass
    except ZIP_ERRORS:
        raise ExtractionRefused(
            _(
                "%(name)s: the file is damaged: its contents do not match the sizes or checksums "
                "it declares. Open it in Office, save it again and upload that."
            )
            % {"name": name},
            code="corrupt",
        ) from None


def unpacked_size(infos: list[zipfile.ZipInfo]) -> int:
    """The bytes the readers will hold once the package is unpacked, by the declared sizes."""
    total = 0
    for info in infos:
        if info.filename.lower().endswith(_XML_SUFFIXES):
            total += info.file_size
        else:
            total += max(0, info.file_size - info.compress_size)
    return total
