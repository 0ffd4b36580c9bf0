import re
from pathlib import Path

import pytest
from hypothesis import given, settings

from domain.ledger import BudgetData
from official.edition import DEFAULT_EDITION, EDITIONS_DIR, ROW_SOURCES, EditionError, edition, editions, load_edition
from official.layout import Column, Group
from tests.support.strategies import budgets

HEBEI = (EDITIONS_DIR / "hebei-2021.toml").read_text(encoding="utf-8")


def write_edition(tmp_path: Path, text: str, key: str = "hebei-2021") -> Path:
    path = tmp_path / f"{key}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_shipped_edition_loads_and_the_default_is_among_them() -> None:
    assert DEFAULT_EDITION in editions()
    for key, found in editions().items():
        assert found.key == key
        assert found.tables
        assert found.name


def test_hebei_2021_prints_the_nine_tables_then_units_and_the_supplementary_tables() -> None:
    hebei = edition("hebei-2021")
    assert [layout.number for layout in hebei.figure_tables] == list(range(1, 10))
    assert [layout.key for layout in hebei.tables[9:]] == ["units", "procurement", "fixed-assets"]
    assert [layout.key for layout in hebei.supplementary_tables] == ["procurement", "fixed-assets"]
    assert "units" not in {layout.key for layout in hebei.compared_tables}


def test_neighbouring_columns_of_one_group_sit_under_one_header_cell() -> None:
    income = edition("hebei-2021").by_key["income"]
    top = [node.title for node in income.header]
    assert top == ["功能分类科目", "合计", "本年收入", "上年结转"]
    this_year = income.header[2]
    assert isinstance(this_year, Group)
    assert len(this_year.children) == 8
    assert all(isinstance(child, Column) for child in this_year.children)


@settings(max_examples=30, deadline=None)
@given(budgets())
def test_rows_give_only_the_measures_their_source_declares(data: BudgetData) -> None:
    for name, source in ROW_SOURCES.items():
        for row in source.rows(data):
            assert set(row.cells) <= source.measures, name


def test_every_column_of_every_edition_names_a_measure_its_rows_give() -> None:
    for found in editions().values():
        for layout in found.tables:
            assert {column.key for column in layout.columns} <= ROW_SOURCES[layout.source].measures


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('measure = "in_amount"', 'measure = "in_amout"', 1),
            "hebei-2021.toml：表 summary 第 2 列：未知的度量 “in_amout”",
        ),
        (('title = "部门预算收支总表"\n', "", 1), "hebei-2021.toml：表 summary：缺少 title"),
        (('key = "income"', 'key = "summary"', 1), "hebei-2021.toml：表 summary：key 重复"),
        (('rows = "income"', 'rows = "incomes"', 1), "hebei-2021.toml：表 income：未知的 rows “incomes”"),
        (('kind = "text", width = 30, group = "收入"', 'kind = "txt", group = "收入"', 1), "kind 应为 text, code"),
        (("numbered = false", 'numbered = "no"', 1), "表 units：numbered 应为 true 或 false"),
        (('empty_note = "注：无收入预算，空表列示。"', 'emptynote = "注"', 1), "表 income：未知的项 emptynote"),
        (('level = "部门"', 'level = "省"', 1), "hebei-2021.toml：level：应为 部门 或 单位"),
        (("[[tables]]", "[[tables]", 1), "hebei-2021.toml：文件：无法读取"),
    ],
)
def test_a_broken_edition_file_is_refused_naming_the_file_and_the_place(
    tmp_path: Path, change: tuple[str, str, int], message: str
) -> None:
    old, new, count = change
    assert old in HEBEI
    with pytest.raises(EditionError, match=re.escape(message)):
        load_edition(write_edition(tmp_path, HEBEI.replace(old, new, count)))


def test_an_edition_named_otherwise_than_its_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(EditionError, match="应与文件名相同"):
        load_edition(write_edition(tmp_path, HEBEI, key="hebei-2022"))


def test_asking_for_an_edition_that_does_not_exist_lists_those_that_do() -> None:
    with pytest.raises(EditionError, match=r"没有版式“guangdong-2030”（可用：.*hebei-2021"):
        edition("guangdong-2030")


def test_a_title_may_name_only_the_year(tmp_path: Path) -> None:
    text = HEBEI.replace('title = "部门预算收支总表"', 'title = "{yaer}年部门预算收支总表"', 1)
    with pytest.raises(
        EditionError, match=re.escape("表 summary：标题只能用 {year} 代表年度：“{yaer}年部门预算收支总表”")
    ):
        load_edition(write_edition(tmp_path, text))
