"""The text of an Excel workbook (.xlsx): every sheet, hidden ones included, every cell's value.

Lists of people (低保名单, 补贴发放表) are the most common spreadsheet attachment and carry ID
and mobile numbers in their cells, so each cell is read: one line per row, cells separated by
tabs, the sheet's name on a line of its own before its rows. A formula counts by the value Excel
last computed (data_only); a workbook written by a program that never computed it has none.

openpyxl's read-only mode streams each sheet instead of building it in memory. The declared
dimension of a sheet is ignored: a single formatted cell at XFD1048576 would otherwise pad every
row with sixteen thousand empty cells. Comments, headers and footers, text boxes and charts are
not read.
"""

import datetime as dt
import io
import zipfile
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _

from .errors import ExtractionError
from .package import ZIP_ERRORS

# Part of the extracted text, which redaction offsets index: it must not change with the
# language of whoever first read the file, so it is not translated.
SHEET_LABEL = "工作表："

_XLSX_ERRORS = (*ZIP_ERRORS, TypeError, AttributeError, IndexError, zipfile.LargeZipFile)
_EXPAT_NO_MEMORY = 1  # expat's XML_ERROR_NO_MEMORY


def xlsx_text(data: bytes, name: str, *, max_chars: int, too_long) -> str:
    """`too_long()` builds the error raised once the text passes `max_chars`."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    lines: list[str] = []
    total = 0
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in book.worksheets:
                lines.append(f"{SHEET_LABEL}{sheet.title}")
                total += len(lines[-1]) + 1
                sheet.reset_dimensions()
                for row in sheet.iter_rows(values_only=True):
                    cells = [_cell(value) for value in row]
                    while cells and not cells[-1]:
                        cells.pop()
                    if not cells:
                        continue
                    line = "\t".join(cells)
                    total += len(line) + 1
                    if total > max_chars:
                        raise too_long()
                    lines.append(line)
        finally:
            book.close()
    except ExtractionError:
        raise
    except ParseError as exc:
        if exc.code == _EXPAT_NO_MEMORY:
            raise MemoryError from None  # the file's size, not its damage: refused as such
        raise _damaged(name, exc) from None
    except (InvalidFileException, *_XLSX_ERRORS) as exc:
        raise _damaged(name, exc) from None
    return "\n".join(lines)


def _damaged(name: str, exc: Exception) -> ExtractionError:
    return ExtractionError(
        _(
            "%(name)s: the Excel workbook is damaged (%(detail)s). Open it in Excel, save it "
            "again and upload that."
        )
        % {"name": name, "detail": str(exc)[:200]},
        code="corrupt",
    )


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        # A number typed into a cell (a mobile number) is stored as 13907551234.0 at times.
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    # One line per row: a line break inside a cell (Alt+Enter) becomes a space, a tab too.
    return " ".join(str(value).split("\n")).replace("\r", " ").replace("\t", " ")
