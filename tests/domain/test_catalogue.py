"""parse_row and check_rows on plain data: no database."""

import pytest

from domain.catalogue import CatalogKind, CatalogRow, RowError, check_rows, parse_row


def row(line: int, code: str, level: int, parent: str = "", name: str = "科目") -> CatalogRow:
    return CatalogRow(line=line, code=code, name=name, level=level, parent=parent)


def raw(code: str = "20101", name: str = "人大事务", level: str = "2", parent: str = "201") -> dict[str, str | None]:
    return {"code": code, "name": name, "level": level, "parent": parent}


# --- parse_row


def test_a_good_row_is_parsed_with_its_line_number_and_trimmed_values() -> None:
    parsed, errors = parse_row(7, {"code": " 20101 ", "name": " 人大事务 ", "level": "2 ", "parent": "201"})
    assert errors == []
    assert parsed == CatalogRow(line=7, code="20101", name="人大事务", level=2, parent="201")


def test_a_missing_parent_cell_reads_as_no_parent() -> None:
    parsed, errors = parse_row(2, {"code": "201", "name": "一般公共服务支出", "level": "1", "parent": None})
    assert errors == []
    assert parsed is not None
    assert parsed.parent == ""


def test_a_non_numeric_level_is_an_error_on_the_level_column() -> None:
    parsed, errors = parse_row(3, raw(level="二"))
    assert parsed is None
    assert errors == [RowError(3, "level", "级次必须是数字，实际为“二”。")]


def test_a_code_with_letters_is_an_error_on_the_code_column() -> None:
    parsed, errors = parse_row(4, raw(code="201O1"))
    assert parsed is None
    assert [(error.line, error.column) for error in errors] == [(4, "code")]


def test_an_empty_name_is_an_error() -> None:
    parsed, errors = parse_row(5, raw(name="  "))
    assert parsed is None
    assert [error.column for error in errors] == ["name"]


def test_every_problem_of_a_row_is_reported_at_once() -> None:
    _, errors = parse_row(6, {"code": "", "name": "", "level": "", "parent": ""})
    assert {error.column for error in errors} == {"code", "name", "level"}
    assert all(error.line == 6 for error in errors)


def test_an_error_reads_with_its_line_and_column() -> None:
    assert str(RowError(12, "code", "科目编码重复：201。")) == "第12行 code：科目编码重复：201。"


# --- check_rows


def test_a_well_formed_three_level_tree_passes() -> None:
    rows = [row(2, "201", 1), row(3, "20101", 2, "201"), row(4, "2010101", 3, "20101")]
    assert check_rows(CatalogKind.FUNCTION, rows, known_codes=set()) == []


def test_a_parent_may_already_be_in_the_catalogue() -> None:
    rows = [row(2, "2010102", 3, "20101")]
    assert check_rows(CatalogKind.FUNCTION, rows, known_codes={"201", "20101"}) == []


@pytest.mark.parametrize(
    ("kind", "code", "level"),
    [
        (CatalogKind.FUNCTION, "2010", 1),
        (CatalogKind.FUNCTION, "201011", 2),
        (CatalogKind.FUNCTION, "20101", 3),
        (CatalogKind.ECONOMIC, "3010", 2),
    ],
)
def test_a_code_of_the_wrong_length_for_its_level_is_refused(kind: CatalogKind, code: str, level: int) -> None:
    errors = check_rows(kind, [row(9, code, level, code[:3] if level > 1 else "")], known_codes={"201", "301"})
    assert len(errors) == 1
    assert (errors[0].line, errors[0].column) == (9, "code")


def test_economic_codes_have_only_two_levels() -> None:
    errors = check_rows(CatalogKind.ECONOMIC, [row(2, "3010101", 3, "30101")], known_codes={"301", "30101"})
    assert [(error.line, error.column) for error in errors] == [(2, "level")]
    assert "1到2" in errors[0].message


def test_a_duplicate_code_is_reported_on_its_second_line() -> None:
    errors = check_rows(CatalogKind.FUNCTION, [row(2, "201", 1), row(3, "201", 1)], known_codes=set())
    assert errors == [RowError(3, "code", "科目编码重复：201。")]


def test_a_parent_that_exists_nowhere_is_refused() -> None:
    errors = check_rows(CatalogKind.FUNCTION, [row(2, "20101", 2, "201")], known_codes=set())
    assert errors == [RowError(2, "parent", "上级科目201不存在。")]


def test_a_parent_that_is_not_the_codes_prefix_is_refused() -> None:
    errors = check_rows(CatalogKind.FUNCTION, [row(2, "20101", 2, "202")], known_codes={"201", "202"})
    assert [(error.line, error.column) for error in errors] == [(2, "parent")]
    assert "上级科目应为201" in errors[0].message


def test_a_class_level_code_cannot_have_a_parent() -> None:
    errors = check_rows(CatalogKind.FUNCTION, [row(2, "201", 1, "200")], known_codes={"200"})
    assert [(error.line, error.column) for error in errors] == [(2, "parent")]


def test_a_level_outside_the_catalogue_is_refused() -> None:
    errors = check_rows(CatalogKind.FUNCTION, [row(2, "201", 0)], known_codes=set())
    assert [(error.line, error.column) for error in errors] == [(2, "level")]


def test_all_bad_rows_are_reported_not_just_the_first() -> None:
    rows = [row(2, "20", 1), row(3, "201", 1), row(4, "201", 1), row(5, "20201", 2, "202")]
    errors = check_rows(CatalogKind.FUNCTION, rows, known_codes=set())
    assert [error.line for error in errors] == [2, 4, 5]


def test_full_width_digits_are_not_a_code() -> None:
    row, errors = parse_row(2, {"code": "２０１", "name": "一般公共服务支出", "level": "1", "parent": ""})
    assert row is None
    assert [error.column for error in errors] == ["code"]
