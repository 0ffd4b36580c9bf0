"""A "large" department for the benchmark, invented but shaped like a real one (issue 9):

300 functional 项 over 20 类 (3 款 of 5 项 each), 80 economic 款 in its basic expenditure (table 6), 40 projects
with a 15-indicator 绩效目标表 each, 10 units, 50 政府采购 items, on a synthetic catalogue of its own year
(``BENCH_YEAR``), so that it never mixes with a real year's catalogue.

Every amount is a multiple of 1,000 yuan (0.1 万元): the workbook prints it exactly and imports back without
尾差. The spec is a ``DemoBudget``, loaded by the demo loader like the example.
"""

import csv
from decimal import Decimal

from demo.loader import STARTER_CATALOGUES
from demo.spec import DemoAsset, DemoBudget, DemoLine, DemoProcurement, DemoProject, DemoUnit
from domain.catalogue import CatalogKind, CatalogRow
from domain.classifications import Kind, Source
from domain.performance.framework import BENEFIT, OUTPUT, SATISFACTION
from domain.performance.targets import DepartmentGoals, Indicator, Performance, SubGoal, TargetTable
from domain.performance.values import parse_value

BENCH_YEAR = 2030
STARTER_YEAR = 2021  # names of 类 and economic 款 come from its starter catalogue

FUNCTION_CLASSES = (
    "201", "203", "204", "205", "206", "207", "208", "210", "211", "212",
    "213", "214", "215", "216", "217", "220", "221", "222", "224", "229",
)  # fmt: skip
ITEMS_PER_CLASS = 3
ITEM_NAMES = ("行政运行", "一般行政管理事务", "机关服务", "专项业务", "其他支出")
ITEM_CODES = ("01", "02", "03", "04", "99")
ECONOMIC_ROWS = 80
UNITS = 10
PROJECTS = 40
INDICATORS = 15
PROCUREMENT_ITEMS = 50

UNIT_NAMES = ("信息中心", "服务中心", "培训中心", "档案馆", "监测站", "执法大队", "研究所", "事务中心", "保障中心")
PROJECT_STEMS = ("信息化建设", "设备购置", "专项业务经费", "宣传培训", "维修改造", "课题研究", "监督检查", "应急保障")
PROJECT_ECONOMIC = ("30201", "30202", "30205", "30211", "30213", "30215", "30216", "30218", "30226", "30227", "31002")
PROCUREMENT_GOODS = (
    ("台式计算机", "A02010104", "台", "5000.00"),
    ("便携式计算机", "A02010105", "台", "6000.00"),
    ("打印机", "A02021001", "台", "2000.00"),
    ("复印机", "A020201", "台", "20000.00"),
    ("服务器", "A02010103", "台", "40000.00"),
)

B, P, OP = Kind.BASIC, Kind.PROJECT, Kind.OPERATING
G, FUND, STATE, BUSINESS, OPERATING = Source.GENERAL, Source.GOVFUND, Source.STATECAP, Source.BUSINESS, Source.OPERATING


def _starter(kind: str) -> list[tuple[str, str, int, str]]:
    path = STARTER_CATALOGUES / str(STARTER_YEAR) / f"{kind}_classification.csv"
    with path.open(encoding="utf-8") as file:
        return [(row["code"], row["name"], int(row["level"]), row["parent"]) for row in csv.DictReader(file)]


def catalogue_rows() -> dict[CatalogKind, list[CatalogRow]]:
    """The bench year's catalogue: 20 类 × 3 款 × 5 项, and the starter year's economic catalogue."""
    names = {code: name for code, name, _, _ in _starter("function")}
    function = []
    for class_code in FUNCTION_CLASSES:
        function.append((class_code, names[class_code], 1, ""))
        for number in range(1, ITEMS_PER_CLASS + 1):
            item = f"{class_code}{number:02d}"
            stem = names[class_code].removesuffix("支出")
            function.append((item, names.get(item, f"{stem}事务{number}"), 2, class_code))
            for code, name in zip(ITEM_CODES, ITEM_NAMES, strict=True):
                function.append((f"{item}{code}", names.get(f"{item}{code}", name), 3, item))
    return {
        CatalogKind.FUNCTION: [CatalogRow(line, *row) for line, row in enumerate(function, start=2)],
        CatalogKind.ECONOMIC: [CatalogRow(line, *row) for line, row in enumerate(_starter("economic"), start=2)],
    }


def _amount(seed: int) -> Decimal:
    """A deterministic amount between 3,000 and 99,000 yuan, a multiple of 1,000."""
    return Decimal((seed * 7919) % 97 + 3) * 1000


def _lines(functions: list[str], economics: list[str], projects: list[DemoProject]) -> list[DemoLine]:
    lines = []
    for index, function in enumerate(functions):  # basic expenditure: every 项, all 80 economic 款
        unit = index % UNITS
        lines.append(DemoLine(unit, function, economics[index % ECONOMIC_ROWS], B, G, f"{_amount(index)}"))
        if index % 6 == 0:
            lines.append(
                DemoLine(unit, function, economics[(index + 40) % ECONOMIC_ROWS], B, FUND, f"{_amount(-index)}")
            )
        if index % 15 == 1:
            lines.append(DemoLine(unit, function, "30299", B, BUSINESS, f"{_amount(index + 7)}"))
        if index % 25 == 2:
            lines.append(DemoLine(unit, function, "30201", B, STATE, f"{_amount(index + 11)}"))
    for number, project in enumerate(projects):  # project expenditure: five lines each
        for part in range(5):
            function = functions[(number * 7 + part * 67) % len(functions)]
            economic = PROJECT_ECONOMIC[(number + part) % len(PROJECT_ECONOMIC)]
            if (number, part) == (5, 0):
                economic = "31013"  # 公务用车购置
            elif (number, part) == (8, 0):
                economic = "30212"  # 因公出国（境）
            source, carried = G, False
            if part == 4 and number % 4 == 1:
                source = FUND
            elif part == 3 and number % 7 == 2:
                source = STATE
            elif part == 2 and number % 5 == 3:
                source = BUSINESS
            elif part == 1 and number % 6 == 0:
                carried = True
            amount = f"{_amount(number * 5 + part) * 3}"
            lines.append(DemoLine(project.unit, function, economic, P, source, amount, project.name, carried))
    for unit in range(1, UNITS):  # 经营支出 of the 事业 units
        lines.append(DemoLine(unit, functions[(unit * 31) % len(functions)], "30299", OP, OPERATING, "20000.00"))
    return lines


def _target_table(project: str, amount: Decimal, number: int) -> TargetTable:
    wan = amount / 10000
    rows = (
        (OUTPUT, "数量指标", "完成任务数量", f"≥{number % 9 + 3} 项"),
        (OUTPUT, "数量指标", "覆盖单位数", f"≥{number % 5 + 5} 个"),
        (OUTPUT, "数量指标", "培训人次", f"≥{(number % 7 + 1) * 50} 人次"),
        (OUTPUT, "数量指标", "设备购置数量", f"{number % 4 + 1} 台"),
        (OUTPUT, "质量指标", "验收合格率", "≥98%"),
        (OUTPUT, "质量指标", "资料归档完整率", "100%"),
        (OUTPUT, "时效指标", "任务按期完成率", "≥95%"),
        (OUTPUT, "时效指标", "资金支付及时率", "≥90%"),
        (OUTPUT, "成本指标", "项目成本", f"≤{wan:.1f} 万元"),
        (BENEFIT, "经济效益指标", "带动相关投入", f"≥{number % 6 + 2} 万元"),
        (BENEFIT, "社会效益指标", "服务群众人次", f"≥{(number % 9 + 2) * 100} 人次"),
        (BENEFIT, "社会效益指标", "公共服务水平", "提高"),
        (BENEFIT, "可持续影响指标", "长效机制建立", "长期"),
        (SATISFACTION, "服务对象满意度指标", "服务对象满意度", "≥95%"),
        (SATISFACTION, "服务对象满意度指标", "单位职工满意度", "≥90%"),
    )
    assert len(rows) == INDICATORS
    return TargetTable(
        project,
        f"按计划完成{project}各项任务，提升履职能力和公共服务水平，资金使用合规高效。",
        tuple(
            Indicator(
                level1,
                level2,
                name,
                f"{name}：反映{project}的{level2.removesuffix('指标')}情况。",
                parse_value(value),
                "年度工作计划",
            )
            for level1, level2, name, value in rows
        ),
    )


def large_budget(code: str = "800", name: str = "石家庄市鹿泉区综合事务局", year: int = BENCH_YEAR) -> DemoBudget:
    """The large department as a demo spec (see the module's docstring)."""
    rows = catalogue_rows()
    functions = [row.code for row in rows[CatalogKind.FUNCTION] if row.level == 3]
    economics = [row.code for row in rows[CatalogKind.ECONOMIC] if row.level == 2][:ECONOMIC_ROWS]
    short = name.removeprefix("石家庄市鹿泉区")
    units = (
        DemoUnit(f"{name}本级", "行政", "正处（县）级", "财政拨款"),
        *(DemoUnit(f"{short}{unit}", "事业", "正科级", "财政补助") for unit in UNIT_NAMES),
    )
    projects = [
        DemoProject(f"{PROJECT_STEMS[number % len(PROJECT_STEMS)]}项目{number + 1:02d}", number % UNITS)
        for number in range(PROJECTS)
    ]
    lines = _lines(functions, economics, projects)
    amounts = {project.name: Decimal(0) for project in projects}
    for line in lines:
        if line.project:
            amounts[line.project] += line.amount
    procurement = tuple(
        DemoProcurement(
            projects[number % PROJECTS].name,
            f"{goods}（{number + 1}）",
            catalogue,
            measure,
            f"{number % 3 + 1}",
            price,
            general=f"{Decimal(price) * (number % 3 + 1):.2f}",
        )
        for number, (goods, catalogue, measure, price) in (
            (number, PROCUREMENT_GOODS[number % len(PROCUREMENT_GOODS)]) for number in range(PROCUREMENT_ITEMS)
        )
    )
    performance = Performance(
        goals=DepartmentGoals(
            overall=f"围绕{year}年度重点工作，统筹保障机构运转和各项业务开展，提升公共服务水平。",
            sub_goals=tuple(
                SubGoal(project.name, f"按计划完成{project.name}。", "任务按期完成率≥95%，服务对象满意度≥95%。")
                for project in projects
            ),
            measures="严格执行预算，加强资金管理，按进度支付资金，开展绩效运行监控和绩效自评。",
        ),
        targets=tuple(
            _target_table(project.name, amounts[project.name], number) for number, project in enumerate(projects)
        ),
    )
    return DemoBudget(
        department_code=code,
        department_name=name,
        year=year,
        units=units,
        lines=tuple(lines),
        projects=tuple(projects),
        duties="负责全区综合事务的统筹协调、政策研究、信息化建设、监督检查和公共服务保障等工作。",
        procurement=procurement,
        assets=(
            DemoAsset("房屋（处）", "3", "12600000.00"),
            DemoAsset("车辆（辆）", "8", "1856000.00"),
            DemoAsset("办公设备（台、套）", "640", "3412350.00"),
        ),
        formal_round=True,
        performance=performance,
    )
