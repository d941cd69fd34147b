"""The tables laid out as in the format, merged cells included, once for every output: the page
(HTML rowspan/colspan), the Word file and the workbook (absolute positions with merges).

A grid is a list of rows; a row lists only the cells that start in it, as in HTML.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from . import format as fmt
from .selectors.tables import Tables

Number = int | Decimal


@dataclass(frozen=True)
class Cell:
    text: str = ""
    value: Number | None = None
    colspan: int = 1
    rowspan: int = 1
    header: bool = False
    key: str = ""  # "row.column" for figures, for tests and styling

    @property
    def display(self) -> str:
        return self.text if self.value is None else format_number(self.value)


@dataclass(frozen=True)
class Grid:
    key: str
    title: str
    rows: list[list[Cell]]
    header_rows: int  # the first rows that form the table head

    @property
    def head(self) -> list[list[Cell]]:
        return self.rows[: self.header_rows]

    @property
    def body(self) -> list[list[Cell]]:
        return self.rows[self.header_rows :]

    @property
    def width(self) -> int:
        return sum(c.colspan for c in self.rows[0])


def format_number(value: Number) -> str:
    if isinstance(value, Decimal):
        return f"{value:f}"
    return str(value)


def placed(grid: Grid) -> Iterator[tuple[int, int, Cell]]:
    """(row, column, cell) with absolute positions, skipping positions covered by merges."""
    covered: set[tuple[int, int]] = set()
    for r, row in enumerate(grid.rows):
        c = 0
        for cell in row:
            while (r, c) in covered:
                c += 1
            yield r, c, cell
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    covered.add((r + dr, c + dc))
            c += cell.colspan


def _label_cells(lines, index: int, depth: int) -> list[Cell]:
    """The label cells row `index` starts: a cell per level of its path that differs from the
    row above, spanning down over the following rows that share it, and across the remaining
    levels when it is the row's last label."""
    line = lines[index]
    cells = []
    for level, label in enumerate(line.path):
        prefix = line.path[: level + 1]
        if index > 0 and lines[index - 1].path[: level + 1] == prefix:
            continue
        span = 1
        while index + span < len(lines) and lines[index + span].path[: level + 1] == prefix:
            span += 1
        last = level == len(line.path) - 1
        cells.append(Cell(label, colspan=depth - level if last else 1, rowspan=span, header=True))
    return cells


def _header_rows(columns, depth: int) -> list[list[Cell]]:
    """Column headers from column paths: a group label spans its columns, a short path spans
    down to the last header row."""
    rows: list[list[Cell]] = [[] for _ in range(depth)]
    for level in range(depth):
        for i, column in enumerate(columns):
            if level >= len(column.path):
                continue
            prefix = column.path[: level + 1]
            if i > 0 and columns[i - 1].path[: level + 1] == prefix:
                continue
            span = 1
            while i + span < len(columns) and columns[i + span].path[: level + 1] == prefix:
                span += 1
            last = level == len(column.path) - 1
            rows[level].append(
                Cell(
                    column.path[level],
                    colspan=span,
                    rowspan=depth - level if last else 1,
                    header=True,
                )
            )
    return rows


def proactive_grid(tables: Tables) -> Grid:
    """Table 二: four blocks under their article headings, each with its own column heads; one
    value column spans the three of block (一)."""
    width = 4
    rows: list[list[Cell]] = []
    for block in fmt.PROACTIVE_BLOCKS:
        rows.append([Cell(block.heading, colspan=width, header=True)])
        span = (width - 1) // len(block.columns)
        rows.append(
            [Cell(fmt.ITEM_CONTENT, header=True)]
            + [Cell(c.label, colspan=span, header=True) for c in block.columns]
        )
        for line in block.rows:
            values = tables.proactive[line.key]
            rows.append(
                [Cell(line.label, header=True)]
                + [
                    Cell(value=values[c.key], colspan=span, key=f"{line.key}.{c.key}")
                    for c in block.columns
                ]
            )
    return Grid("proactive", fmt.SECTION_PROACTIVE, rows, header_rows=0)


def requests_grid(tables: Tables) -> Grid:
    depth = max(len(r.path) for r in fmt.REQUEST_ROWS)
    head = _header_rows(fmt.REQUEST_COLUMNS, 2)
    rows: list[list[Cell]] = [
        [
            Cell(fmt.CHECK_NOTE, colspan=depth, rowspan=3, header=True),
            Cell(fmt.APPLICANTS, colspan=len(fmt.REQUEST_COLUMNS), header=True),
        ],
        *head,
    ]
    for index, line in enumerate(fmt.REQUEST_ROWS):
        values = tables.requests[line.key]
        rows.append(
            _label_cells(fmt.REQUEST_ROWS, index, depth)
            + [Cell(value=values[c.key], key=f"{line.key}.{c.key}") for c in fmt.REQUEST_COLUMNS]
        )
    return Grid("requests", fmt.SECTION_REQUESTS, rows, header_rows=3)


def appeals_grid(tables: Tables) -> Grid:
    head = _header_rows(fmt.APPEAL_COLUMNS, 3)
    values = [
        Cell(value=tables.appeals[group.key][result.key], key=f"{group.key}.{result.key}")
        for group in fmt.APPEAL_GROUPS
        for result in fmt.APPEAL_RESULTS
    ]
    return Grid("appeals", fmt.SECTION_APPEALS, [*head, values], header_rows=3)


def grids(tables: Tables) -> list[Grid]:
    return [proactive_grid(tables), requests_grid(tables), appeals_grid(tables)]
