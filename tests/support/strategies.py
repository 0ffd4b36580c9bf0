"""Hypothesis strategies for the budget domain: a small catalogue and random valid budgets.

The catalogue spans several functional 类/款/项 and the economic 款 of classes 301/302/303/309/310,
including every 三公 code, so that random budgets exercise every table and every relation between them.
"""

from decimal import Decimal

from hypothesis import strategies as st

from domain.classifications import FISCAL_KINDS, FISCAL_SOURCES, Kind, Source
from domain.ledger import BudgetData, Catalogue, Line

FUNCTION_NAMES: dict[str, str] = {
    "201": "一般公共服务支出",
    "20101": "人大事务",
    "2010101": "行政运行",
    "2010102": "一般行政管理事务",
    "20131": "党委办公厅（室）及相关机构事务",
    "2013101": "行政运行",
    "2013102": "一般行政管理事务",
    "205": "教育支出",
    "20502": "普通教育",
    "2050205": "高等教育",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "210": "卫生健康支出",
    "21011": "行政事业单位医疗",
    "2101101": "行政单位医疗",
    "212": "城乡社区支出",
    "21208": "国有土地使用权出让收入安排的支出",
    "2120803": "城市建设支出",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
}

ECONOMIC_NAMES: dict[str, str] = {
    "301": "工资福利支出",
    "30101": "基本工资",
    "30102": "津贴补贴",
    "30108": "机关事业单位基本养老保险缴费",
    "30113": "住房公积金",
    "302": "商品和服务支出",
    "30201": "办公费",
    "30211": "差旅费",
    "30212": "因公出国（境）费用",
    "30217": "公务接待费",
    "30231": "公务用车运行维护费",
    "303": "对个人和家庭的补助",
    "30302": "退休费",
    "30305": "生活补助",
    "309": "资本性支出（基本建设）",
    "30913": "公务用车购置",
    "310": "资本性支出",
    "31002": "办公设备购置",
    "31013": "公务用车购置",
}

CATALOGUE = Catalogue(function_names=FUNCTION_NAMES, economic_names=ECONOMIC_NAMES)

FUNCTION_ITEMS: tuple[str, ...] = tuple(sorted(code for code in FUNCTION_NAMES if len(code) == 7))
ECONOMIC_ITEMS: tuple[str, ...] = tuple(sorted(code for code in ECONOMIC_NAMES if len(code) == 5))
THREE_PUBLIC_CODES: tuple[str, ...] = ("30212", "30217", "30231", "31013", "30913")

# Amounts (yuan) that sit on the edges of the 万元 rounding: 50.00 yuan is exactly 0.005 万元.
ROUNDING_EDGES: tuple[Decimal, ...] = tuple(
    Decimal(value)
    for value in ("0.00", "0.01", "49.99", "50.00", "50.01", "149.99", "150.00", "9999.99", "10000.00", "12345.67")
)

amounts = st.one_of(
    st.sampled_from(ROUNDING_EDGES),
    st.integers(min_value=0, max_value=1_000_000).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.integers(min_value=0, max_value=10_000_000_000).map(lambda cents: Decimal(cents).scaleb(-2)),
    # whole hundreds of yuan plus 50.00: every one of these is a 万元 tie (…5 in the third decimal)
    st.integers(min_value=0, max_value=100_000).map(
        lambda hundreds: Decimal(hundreds * 100 + 50).quantize(Decimal("0.01"))
    ),
)

# Fiscal sources are drawn about half the time so that tables 4–9 are rarely empty.
sources = st.one_of(st.sampled_from(FISCAL_SOURCES), st.sampled_from(list(Source)))

economic_codes = st.one_of(st.sampled_from(ECONOMIC_ITEMS), st.sampled_from(THREE_PUBLIC_CODES))


@st.composite
def lines(draw: st.DrawFn) -> Line:
    """A valid line: a 项 code, a 款 code, fiscal money only for basic or project expenditure."""
    source = draw(sources)
    kinds = FISCAL_KINDS if source in FISCAL_SOURCES else tuple(Kind)
    return Line(
        function=draw(st.sampled_from(FUNCTION_ITEMS)),
        economic=draw(economic_codes),
        kind=draw(st.sampled_from(kinds)),
        source=source,
        amount=draw(amounts),
        carried_over=draw(st.booleans()),
    )


def budgets(max_lines: int = 30) -> st.SearchStrategy[BudgetData]:
    return st.builds(
        BudgetData,
        department_code=st.just("202"),
        department_name=st.just("中共石家庄市鹿泉区委办公室"),
        year=st.just(2021),
        catalogue=st.just(CATALOGUE),
        lines=st.lists(lines(), max_size=max_lines).map(tuple),
    )
