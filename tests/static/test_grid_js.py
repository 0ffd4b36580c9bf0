"""grid.js tells a cell what the server would tell it (run with node): each cell of a procurement or asset row,
declared by the data-attributes its widget renders, gets the row form's own message; a pasted word checks a box
when the server's flag field reads yes; the live count counts what the server counts. What needs a page (keys,
paste, rows added, the unit switch) is the browser tests'."""

from itertools import product

import pytest
from django import forms

from domain.money import DisplayUnit
from entry.duties import clean_duties
from entry.fields import FlagField
from entry.procurement import AssetForm, ItemForm
from entry.rows import TRUE_WORDS
from tests.support.node import each, needs_node, run

pytestmark = needs_node

PROJECTS = ["文化惠民工程", "档案数字化"]
AMOUNTS = ["", "60", "1,234.5", "0.000001", "1.001", "-3", "12abc", "10000000000"]
QUANTITIES = ["", "86", "5.2", "1.005", "-1", "二十", "10000000000"]


def page_verdicts(form_rows: list[tuple[forms.Form, dict[str, str]]], unit: DisplayUnit) -> list[dict[str, str]]:
    """What grid.js says of each cell of each row, from the attributes each cell's widget renders (one node run)."""
    rows = []
    for form, row in form_rows:
        rows.append(
            [
                {
                    "kind": field.widget.attrs.get("data-kind", "text"),
                    "value": row.get(name, ""),
                    "unit": unit.value,
                    "required": field.widget.attrs.get("data-required"),
                    "inList": field.widget.attrs.get("data-in-list"),
                    "options": PROJECTS if field.widget.attrs.get("list") == "project-names" else None,
                }
                for name, field in form.fields.items()
            ]
        )
    program = (
        "out(data.map((cells) => {"
        "  const blankRow = cells.every((cell) => !numbers.strip(cell.value));"
        "  const options = (cell) => cell.options && new Set(cell.options);"
        "  return cells.map((cell) => grid.cellProblem({ ...cell, blankRow, options: options(cell) }));"
        "}));"
    )
    return [
        dict(zip(form.fields, said, strict=True)) for (form, _), said in zip(form_rows, run(program, rows), strict=True)
    ]


def server_verdicts(form: forms.Form) -> dict[str, str]:
    form.is_valid()
    return {name: form.errors.get(name, [""])[0] for name in form.fields}


def item_rows() -> list[dict[str, str]]:
    rows = [
        {"project": project, "item_name": name, "quantity": quantity, "general": amount, "unit_price": price}
        for project, name, quantity, amount, price in product(
            ["", PROJECTS[0], "没有的项目"], ["", "图书"], QUANTITIES[:4], AMOUNTS, ["", "12.5", "1.0000001"]
        )
    ]
    return [*rows, {}, {"catalogue_number": "A050401"}, {"item_name": "图书", "special_account": "１２．５"}]


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_a_procurement_cell_gets_the_row_forms_message(unit: DisplayUnit) -> None:
    rows = item_rows()
    forms_ = [
        ItemForm(data=row, unit=unit, projects=PROJECTS, empty_permitted=True, use_required_attribute=False)
        for row in rows
    ]
    for row, form, page in zip(rows, forms_, page_verdicts(list(zip(forms_, rows, strict=True)), unit), strict=True):
        server = server_verdicts(form)
        if row.get("project") == "没有的项目":
            # The page says it in its own words (the widget carries no data-in-list-message yet); refused both ways.
            assert page["project"] == "请从列表中选择项目，或留空。"
            assert server["project"]
            page["project"] = server["project"]
        assert page == server, row


@pytest.mark.parametrize("unit", list(DisplayUnit), ids=lambda unit: unit.name)
def test_an_asset_cell_gets_the_row_forms_message(unit: DisplayUnit) -> None:
    rows = [
        {"item": item, "quantity": quantity, "value": value}
        for item, quantity, value in product(["", "公务用车"], QUANTITIES, AMOUNTS)
    ]
    forms_ = [AssetForm(data=row, unit=unit, empty_permitted=True, use_required_attribute=False) for row in rows]
    for row, form, page in zip(rows, forms_, page_verdicts(list(zip(forms_, rows, strict=True)), unit), strict=True):
        assert page == server_verdicts(form), row


def test_a_code_cell_checks_the_code_its_datalist_pick_holds() -> None:
    cases = [
        ("2070101 行政运行", ""),
        ("２０７０１０１", ""),
        ("2070199", "2021年度科目表中没有 2070199"),
        ("207", "2021年度科目表中没有 207"),
        ("", ""),
    ]
    cells = [
        {
            "kind": "code",
            "width": 7,
            "value": value,
            "inList": "功能分类科目",
            "inListMessage": "2021年度科目表中没有 {value}",
        }
        for value, _ in cases
    ]
    program = "out(data.map((cell) => grid.cellProblem({ ...cell, options: new Set(['2070101']) })));"
    assert run(program, cells) == [message for _, message in cases]


def test_a_pasted_word_checks_a_box_when_the_server_reads_yes() -> None:
    assert set(run("out(grid.TRUE_WORDS);")) == TRUE_WORDS
    words = ["是", "√", "1", "YES", " on ", "上年结转", "否", "", "0", "no", "结转"]
    flag = FlagField(words=TRUE_WORDS | {"上年结转"})
    assert each("grid.isTrue", [[word, "上年结转"] for word in words]) == [flag.clean(word) for word in words]


def test_the_count_counts_what_the_server_keeps() -> None:
    texts = ["", "  ", "部门职责", " 一、职责 \r\n二、机构  \r\n\r\n", "a\rb\u3000\n", "\ufeff职责", "😀两个"]
    assert each("grid.textLength", texts) == [len(clean_duties(text)) for text in texts]
