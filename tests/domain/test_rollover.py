"""Last year's codes onto the new year's catalogue: kept, mapped by name, or reported as impossible."""

from decimal import Decimal

from domain.classifications import Kind, Source
from domain.ledger import BudgetData, Catalogue, Line, ProcurementInfo
from domain.performance.targets import Performance, TargetTable
from domain.rollover import (
    AMBIGUOUS,
    BY_NAME,
    ECONOMIC_FIELD,
    FUNCTION_FIELD,
    NAME_CHANGED,
    NOT_FOUND,
    UNMAPPED,
    UnitLine,
    assign_units,
    map_code,
    project_names,
    remap_lines,
)

OLD = Catalogue(
    function_names={
        "201": "一般公共服务支出",
        "20131": "党委办公厅（室）及相关机构事务",
        "2013101": "行政运行",
        "2013105": "专项业务",
        "2013199": "其他党委办公厅（室）及相关机构事务支出",
        "2210201": "住房公积金",
        "2080199": "其他支出",
    },
    economic_names={"301": "工资福利支出", "30101": "基本工资", "30113": "住房公积金", "30199": "其他工资福利支出"},
)
NEW = Catalogue(
    function_names={
        "201": "一般公共服务支出",
        "20131": "党委办公厅（室）及相关机构事务",
        "2013101": "行政运行（新）",
        "2013150": "专项业务",
        "20199": "其他党委办公厅（室）及相关机构事务支出",  # the same name as a 款: not a 项 match
        "2019901": "其他支出",
        "2019902": "其他支出",
    },
    economic_names={"301": "工资福利支出", "30101": "基本工资", "30113": "住房公积金", "30114": "其他工资福利支出"},
)


def line(function: str, economic: str = "30101", amount: str = "100.00", project: str = "") -> Line:
    kind = Kind.PROJECT if project else Kind.BASIC
    return Line(function, economic, kind, Source.GENERAL, Decimal(amount), project=project)


def test_a_code_the_new_catalogue_has_stays() -> None:
    assert map_code("30101", OLD.economic_names, NEW.economic_names) == ("30101", "")


def test_a_kept_code_whose_name_changed_is_reported() -> None:
    assert map_code("2013101", OLD.function_names, NEW.function_names) == ("2013101", NAME_CHANGED)


def test_a_gone_code_maps_to_the_one_code_of_its_name_at_its_level() -> None:
    assert map_code("2013105", OLD.function_names, NEW.function_names) == ("2013150", BY_NAME)
    assert map_code("30199", OLD.economic_names, NEW.economic_names) == ("30114", BY_NAME)


def test_a_namesake_at_another_level_is_no_match() -> None:
    assert map_code("2013199", OLD.function_names, NEW.function_names) == ("", NOT_FOUND)


def test_two_namesakes_are_no_match() -> None:
    assert map_code("2080199", OLD.function_names, NEW.function_names) == ("", AMBIGUOUS)


def test_a_gone_code_without_namesake_cannot_be_mapped() -> None:
    assert map_code("2210201", OLD.function_names, NEW.function_names) == ("", NOT_FOUND)


def test_lines_are_moved_dropped_and_reported() -> None:
    lines = [
        UnitLine("本级", line("2013101", amount="1.00")),
        UnitLine("本级", line("2013105", amount="2.00", project="甲")),
        UnitLine("本级", line("2210201", "30113", amount="4.00")),
        UnitLine("本级", line("2013101", "30199", amount="8.00")),
    ]
    result = remap_lines(lines, OLD, NEW)
    assert [(i.line.function, i.line.economic, i.line.amount) for i in result.lines] == [
        ("2013101", "30101", Decimal("1.00")),
        ("2013150", "30101", Decimal("2.00")),
        ("2013101", "30114", Decimal("8.00")),
    ]
    assert result.lines[1].line.project == "甲"
    assert [i.line.function for i in result.dropped] == ["2210201"]
    assert result.dropped_amount == Decimal("4.00")
    report = [mapping.as_json() for mapping in result.mappings]
    assert [(r["field"], r["old"], r["new"], r["reason"], r["lines"]) for r in report] == [
        (FUNCTION_FIELD, "2013101 行政运行", "2013101 行政运行（新）", NAME_CHANGED, 2),
        (FUNCTION_FIELD, "2013105 专项业务", "2013150 专项业务", BY_NAME, 1),
        (FUNCTION_FIELD, "2210201 住房公积金", UNMAPPED, NOT_FOUND, 1),
        (ECONOMIC_FIELD, "30199 其他工资福利支出", "30114 其他工资福利支出", BY_NAME, 1),
    ]
    assert report[2]["mapped"] is False
    assert report[2]["amount"] == "4.00"


def test_figures_that_meet_in_one_cell_are_added() -> None:
    old = Catalogue({"2013150": "专项业务", "2013105": "专项业务"}, {"30101": "基本工资"})
    new = Catalogue({"2013150": "专项业务"}, {"30101": "基本工资"})
    lines = [UnitLine("本级", line("2013150", amount="1.00")), UnitLine("本级", line("2013105", amount="2.50"))]
    result = remap_lines(lines, old, new)
    assert result.lines == (UnitLine("本级", line("2013150", amount="3.50")),)
    assert result.merged == 1
    assert result.dropped == ()


def test_each_line_finds_its_own_unit_by_cell_and_amount() -> None:
    known = [UnitLine("甲", line("2013101", amount="5.00")), UnitLine("乙", line("2013101", amount="7.00"))]
    snapshot = [line("2013101", amount="7.00"), line("2013101", amount="5.00"), line("2013105", project="丙项目")]
    placed, guessed = assign_units(snapshot, known, {"丙项目": "丙"}, "甲")
    assert [item.unit for item in placed] == ["乙", "甲", "丙"]
    assert guessed == 0


def test_a_line_no_stored_line_matches_goes_to_the_default_unit_as_a_guess() -> None:
    placed, guessed = assign_units([line("2210201")], [], {}, "本级")
    assert placed == [UnitLine("本级", line("2210201"))]
    assert guessed == 1


def test_project_names_come_from_lines_procurement_and_targets_in_order() -> None:
    data = BudgetData(
        "1",
        "部门",
        2021,
        OLD,
        lines=(line("2013105", project="乙"), line("2013105", project="甲"), line("2013101")),
        procurement=(ProcurementInfo("丙", "电脑"), ProcurementInfo("", "纸张")),
        performance=Performance(targets=(TargetTable("甲", ""), TargetTable("丁", ""))),
    )
    assert project_names(data) == ["乙", "甲", "丙", "丁"]
