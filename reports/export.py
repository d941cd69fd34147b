"""The report as plain text (the item's body), as a Word document (python-docx, the tables with
the format's merged cells) and as a workbook (openpyxl, one sheet per table, real numbers)."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from . import format as fmt
from .layout import Grid, format_number, grids, placed
from .models import AnnualReport
from .selectors.tables import Tables

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _texts(report: AnnualReport, tables: Tables) -> dict[str, str]:
    # 六 opens with the fee figures of the year, counted from the fee records.
    return {
        fmt.SECTION_OVERVIEW: report.overview,
        fmt.SECTION_PROBLEMS: report.problems,
        fmt.SECTION_OTHER: f"{tables.fee_sentence}\n{report.other_matters or ''}",
    }


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# --- plain text --------------------------------------------------------------------------------


def _values_line(columns, values) -> str:
    return "，".join(f"{c.label}{format_number(values[c.key])}" for c in columns)


def _proactive_text(tables: Tables) -> list[str]:
    lines = []
    for block in fmt.PROACTIVE_BLOCKS:
        lines.append(block.heading)
        for row in block.rows:
            lines.append(f"  {row.label}：{_values_line(block.columns, tables.proactive[row.key])}")
    return lines


def _path_text(rows, values_of, columns) -> list[str]:
    """Rows by their label paths: a group label once, then its rows indented under it."""
    lines: list[str] = []
    previous: tuple[str, ...] = ()
    for row in rows:
        for level, label in enumerate(row.path[:-1]):
            if previous[: level + 1] != row.path[: level + 1]:
                lines.append("  " * level + label)
        indent = "  " * (len(row.path) - 1)
        lines.append(f"{indent}{row.label}：{_values_line(columns, values_of(row.key))}")
        previous = row.path
    return lines


def _requests_text(tables: Tables) -> list[str]:
    return _path_text(fmt.REQUEST_ROWS, tables.requests.__getitem__, fmt.REQUEST_COLUMNS)


def _appeals_text(tables: Tables) -> list[str]:
    lines = []
    for group in fmt.APPEAL_GROUPS:
        name = group.path[0] + "".join(f"（{part}）" for part in group.path[1:])
        lines.append(f"{name}：{_values_line(fmt.APPEAL_RESULTS, tables.appeals[group.key])}")
    return lines


def report_text(report: AnnualReport, tables: Tables) -> str:
    """The whole report as plain text: the six sections, the tables as labelled lines."""
    texts = _texts(report, tables)
    tables_text = {
        fmt.SECTION_PROACTIVE: _proactive_text(tables),
        fmt.SECTION_REQUESTS: _requests_text(tables),
        fmt.SECTION_APPEALS: _appeals_text(tables),
    }
    out = [str(report), ""]
    for section in fmt.SECTIONS:
        out.append(section)
        if section in texts:
            out.extend(_paragraphs(texts[section]) or ["无。"])
        else:
            out.extend(tables_text[section])
        out.append("")
    return "\n".join(out).strip() + "\n"


# --- Word --------------------------------------------------------------------------------------


def _docx_table(document, grid: Grid) -> None:
    table = document.add_table(rows=len(grid.rows), cols=grid.width)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for r, c, cell in placed(grid):
        target = table.cell(r, c)
        if cell.rowspan > 1 or cell.colspan > 1:
            target = target.merge(table.cell(r + cell.rowspan - 1, c + cell.colspan - 1))
        paragraph = target.paragraphs[0]
        run = paragraph.add_run(cell.display)
        run.font.size = Pt(9)
        run.bold = cell.header and r < grid.header_rows
        if cell.value is not None or (cell.header and r < grid.header_rows):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER


def docx_bytes(report: AnnualReport, tables: Tables) -> bytes:
    document = Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(str(report))
    run.bold = True
    run.font.size = Pt(16)
    texts = _texts(report, tables)
    by_title = {grid.title: grid for grid in grids(tables)}
    for section in fmt.SECTIONS:
        heading = document.add_paragraph()
        heading.add_run(section).bold = True
        if section in texts:
            for paragraph in _paragraphs(texts[section]) or ["无。"]:
                document.add_paragraph(paragraph)
        else:
            _docx_table(document, by_title[section])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- Excel -------------------------------------------------------------------------------------

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _sheet(wb: Workbook, grid: Grid) -> None:
    ws = wb.create_sheet(title=grid.title[:31])
    for r, c, cell in placed(grid):
        value = cell.value if cell.value is not None else cell.text
        target = ws.cell(row=r + 1, column=c + 1, value=value)
        target.border = _BORDER
        target.alignment = Alignment(wrap_text=True, vertical="center")
        if cell.header:
            target.font = Font(bold=True)
        if cell.value is not None and isinstance(cell.value, int):
            target.number_format = "0"
        if cell.rowspan > 1 or cell.colspan > 1:
            ws.merge_cells(
                start_row=r + 1,
                start_column=c + 1,
                end_row=r + cell.rowspan,
                end_column=c + cell.colspan,
            )
    for column in range(1, grid.width + 1):
        ws.column_dimensions[get_column_letter(column)].width = 14


def xlsx_bytes(report: AnnualReport, tables: Tables) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    for grid in grids(tables):
        _sheet(wb, grid)
    wb.properties.title = str(report)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- downloads ---------------------------------------------------------------------------------


def export_filename(report: AnnualReport, extension: str) -> str:
    return f"{report}.{extension}"


def ascii_filename(report: AnnualReport, extension: str) -> str:
    owner = f"unit-{report.unit_id}" if report.unit_id else f"district-{report.district_id}"
    return f"annual-report-{report.year}-{owner}.{extension}"
