"""The tables' layout: every row of every table covers its full width, the merges are the
format's."""

import pytest

from reports import format as fmt
from reports.layout import grids, placed
from reports.selectors.tables import Tables


@pytest.fixture
def tables():
    zero_requests = {r.key: {c.key: 0 for c in fmt.REQUEST_COLUMNS} for r in fmt.REQUEST_ROWS}
    proactive = {
        "regulation": {"made": 1, "repealed": 0, "in_force": 3},
        "normative": {"made": 2, "repealed": 1, "in_force": 9},
        "licensing": {"decisions": 0},
        "punishment": {"decisions": 0},
        "coercion": {"decisions": 0},
        "fees": {"amount": 0},
    }
    appeals = {g.key: {r.key: 0 for r in fmt.APPEAL_RESULTS} for g in fmt.APPEAL_GROUPS}
    return Tables(proactive, zero_requests, appeals)


def test_every_table_is_a_full_rectangle(tables):
    for grid in grids(tables):
        covered = set()
        for r, c, cell in placed(grid):
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    assert (r + dr, c + dc) not in covered, (grid.key, r, c)
                    covered.add((r + dr, c + dc))
        assert covered == {(r, c) for r in range(len(grid.rows)) for c in range(grid.width)}, (
            grid.key
        )


def test_the_merges_of_table_three(tables):
    grid = next(g for g in grids(tables) if g.key == "requests")
    cells = {cell.text: (r, c, cell.rowspan, cell.colspan) for r, c, cell in placed(grid)}
    assert grid.width == 10 and len(grid.rows) == 3 + len(fmt.REQUEST_ROWS)
    assert cells[fmt.CHECK_NOTE] == (0, 0, 3, 3)
    assert cells["申请人情况"] == (0, 3, 1, 7)
    assert cells["自然人"] == (1, 3, 2, 1)
    assert cells["法人或其他组织"] == (1, 4, 1, 5)
    assert cells["总计"] == (1, 9, 2, 1)
    assert cells["一、本年新收政府信息公开申请数量"] == (3, 0, 1, 3)
    assert cells["三、本年度办理结果"] == (5, 0, 22, 1)
    assert cells["（一）予以公开"] == (5, 1, 1, 2)
    assert cells["（三）不予公开"] == (7, 1, 8, 1)
    assert cells["1.属于国家秘密"] == (7, 2, 1, 1)
    assert cells["（七）总计"] == (26, 1, 1, 2)
    assert cells["四、结转下年度继续办理"] == (27, 0, 1, 3)


def test_the_head_of_table_four(tables):
    grid = next(g for g in grids(tables) if g.key == "appeals")
    head = [(c, cell.text, cell.rowspan, cell.colspan) for r, c, cell in placed(grid) if r < 2]
    assert head[:7] == [
        (0, "行政复议", 1, 5),
        (5, "行政诉讼", 1, 10),
        (0, "结果维持", 2, 1),
        (1, "结果纠正", 2, 1),
        (2, "其他结果", 2, 1),
        (3, "尚未审结", 2, 1),
        (4, "总计", 2, 1),
    ]
    assert head[7:] == [(5, "未经复议直接起诉", 1, 5), (10, "复议后起诉", 1, 5)]
