"""compare_years: last year's approved budget on this year's catalogue, beside this year's, with 增减额 and 增减率."""

from decimal import Decimal

from domain.classifications import Kind, Source
from domain.comparison import UNMAPPED_LABEL, compare_years
from domain.ledger import BudgetData, Catalogue, Line

FUNCTIONS_2021 = {"201": "一般公共服务支出", "20131": "党委办公厅（室）及相关机构事务", "2013101": "行政运行",
                  "2013105": "专项业务", "221": "住房保障支出", "22102": "住房改革支出",
                  "2210201": "住房公积金"}  # fmt: skip
FUNCTIONS_2022 = {"201": "一般公共服务支出", "20131": "党委办公厅（室）及相关机构事务", "2013101": "行政运行",
                  "2013150": "专项业务"}  # fmt: skip
ECONOMICS = {"301": "工资福利支出", "30101": "基本工资", "302": "商品和服务支出", "30217": "公务接待费",
             "30231": "公务用车运行维护费"}  # fmt: skip


def line(function: str, economic: str, yuan: str, kind: Kind = Kind.BASIC, source: Source = Source.GENERAL) -> Line:
    return Line(function, economic, kind, source, Decimal(yuan))


def data(year: int, functions: dict[str, str], *lines: Line) -> BudgetData:
    return BudgetData("202", "办公室", year, Catalogue(functions, ECONOMICS), lines)


LAST = data(
    2021,
    FUNCTIONS_2021,
    line("2013101", "30101", "100000.00"),
    line("2013105", "30217", "20000.00"),  # renumbered in 2022: 2013150 of the same name
    line("2210201", "30101", "5000.00"),  # gone in 2022
)
THIS = data(
    2022,
    FUNCTIONS_2022,
    line("2013101", "30101", "110000.00"),
    line("2013150", "30217", "15000.00"),
    line("2013101", "30231", "8000.00", source=Source.BUSINESS),  # not appropriated: no part of the 三公
)


def by_code(rows) -> dict[str, tuple[Decimal, Decimal, Decimal]]:
    return {row.code or row.label: (row.previous, row.current, row.change) for row in rows}


def test_functional_codes_are_compared_on_this_years_catalogue() -> None:
    rows = by_code(compare_years(LAST, THIS).functional)
    assert rows["2013101"] == (Decimal("100000.00"), Decimal("118000.00"), Decimal("18000.00"))
    assert rows["2013150"] == (Decimal("20000.00"), Decimal("15000.00"), Decimal("-5000.00"))  # mapped by name
    assert rows["201"] == (Decimal("120000.00"), Decimal("133000.00"), Decimal("13000.00"))
    assert rows[UNMAPPED_LABEL] == (Decimal("5000.00"), Decimal("0.00"), Decimal("-5000.00"))
    assert rows["合计"] == (Decimal("125000.00"), Decimal("133000.00"), Decimal("8000.00"))  # last year whole
    assert "2013105" not in rows


def test_the_rate_is_the_change_over_last_year_in_percent_half_up() -> None:
    rows = {row.code: row for row in compare_years(LAST, THIS).functional}
    assert rows["2013101"].rate == Decimal("18.00")
    assert rows["2013150"].rate == Decimal("-25.00")
    new = compare_years(data(2021, FUNCTIONS_2021), THIS).functional
    assert all(row.rate is None for row in new)  # nothing last year: no rate, not a division by zero


def test_basic_economic_and_three_public_follow_their_official_tables() -> None:
    comparison = compare_years(LAST, THIS)
    economic = by_code(comparison.basic_economic)
    assert economic["30101"] == (Decimal("105000.00"), Decimal("110000.00"), Decimal("5000.00"))
    assert "30231" not in economic  # 事业收入 is no part of the general public budget's basic expenditure
    three = {row.label: (row.previous, row.current) for row in comparison.three_public}
    assert three["公务接待费"] == (Decimal("20000.00"), Decimal("15000.00"))
    assert three["公务用车运行维护费"] == (Decimal("0.00"), Decimal("0.00"))
    assert three["合计"] == (Decimal("20000.00"), Decimal("15000.00"))


def test_the_codes_that_did_not_simply_stay_are_listed() -> None:
    mappings = {(mapping.old_code, mapping.new_code) for mapping in compare_years(LAST, THIS).mappings}
    assert mappings == {("2013105", "2013150"), ("2210201", "")}
