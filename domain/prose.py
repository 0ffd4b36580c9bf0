"""The narrative sheets an edition prints around its tables (Shanghai's workbook: 封面, 目录, 主要职能, 机构设置,
名词解释, 编制说明, 其他相关情况说明), each a title and paragraphs, every number computed from the ledger as the Hebei
情况说明 computes its own (domain.explanation). What the ledger cannot know is left out rather than printed as a
placeholder: a comparison with last year is stated only where last year's figure is known (PreviousYear), and a
reason only where the department wrote one.

Amounts are in 万元 with two decimals (README, *Money*).
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from domain.classifications import FISCAL_SOURCES, Kind, Source
from domain.explanation import PreviousYear, ThreePublic, change_words, wan
from domain.ledger import BudgetData, UnitInfo
from domain.structure import UnitNature
from domain.tables import ZERO, running_costs, three_public_row

DEPARTMENT = "部门"  # an edition's level; a 单位 edition says 单位 where this says 部门

# The template's 名词解释, as the district prints it: what the tables' words mean.
TERMS: tuple[str, ...] = (
    "（一）财政拨款收入：是预算主管部门及所属预算单位本年度从本级财政部门取得的财政拨款，包括一般公共预算财政拨款、"
    "政府性基金预算财政拨款和国有资本经营预算财政拨款。",
    "（二）事业收入：指事业单位开展专业业务活动及其辅助活动取得的收入。",
    "（三）事业单位经营收入：指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动取得的收入。",
    "（四）其他收入：指除上述“财政拨款收入”、“事业收入”、“事业单位经营收入”等以外的收入。",
    "（五）基本支出预算：是预算主管部门及所属预算单位为保障其机构正常运转、完成日常工作任务而编制的年度基本支出计划，"
    "包括人员经费和公用经费两部分。",
    "（六）项目支出预算：是预算主管部门及所属预算单位为完成行政工作任务、事业发展目标或政府发展战略、特定目标，"
    "在基本支出之外编制的年度支出计划。",
    "（七）“三公”经费：是与本级财政有经费领拨关系的部门及其下属预算单位使用本级财政拨款安排的因公出国（境）费、"
    "公务用车购置及运行费、公务接待费。",
    "（八）机关运行经费：指行政单位和参照公务员法管理的事业单位使用一般公共预算财政拨款安排的基本支出中的日常公用经费支出。",
)


@dataclass(frozen=True)
class ProseInputs:
    """What the department wrote that the narrative sheets print: its duties, last year's budget, its remarks
    (domain.explanation.REMARKS keys)."""

    duties: str = ""
    previous: PreviousYear | None = None
    remarks: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Prose:
    title: str
    paragraphs: tuple[str, ...]


def _sum(data: BudgetData, keep: Callable[..., bool]) -> Decimal:
    return sum((line.amount for line in data.lines if keep(line)), ZERO)


def _compared(current: Decimal, previous: Decimal | None, year: int) -> str:
    """ "，比2025年预算增加12.00万元" / "，与2025年预算持平", or nothing when last year's figure is not known."""
    if previous is None:
        return ""
    words, _ = change_words(current, previous, lambda difference: f"{difference:.2f}")
    return f"，与{year - 1}年预算持平" if words == "持平" else f"，比{year - 1}年预算{words}"


def _reason(inputs: ProseInputs, key: str) -> str:
    """ "主要原因是……。" as the department wrote it, or nothing."""
    text = inputs.remarks.get(key, "").strip().rstrip("。")
    return f"主要原因是{text.removeprefix('主要原因是')}。" if text else ""


def cover(data: BudgetData, inputs: ProseInputs, titles: Sequence[str], level: str = DEPARTMENT) -> Prose:
    who = "预算主管部门" if level == DEPARTMENT else "预算单位"
    return Prose(f"{data.year}年{level}预算", (f"{who}：{data.department_name}",))


def contents(data: BudgetData, inputs: ProseInputs, titles: Sequence[str], level: str = DEPARTMENT) -> Prose:
    tables = tuple(f"    {number}. {title}" for number, title in enumerate(titles, start=1))
    return Prose(
        "目  录",
        (
            f"一、{level}主要职能",
            f"二、{level}机构设置",
            "三、名词解释",
            f"四、{level}预算编制说明",
            f"五、{level}预算表",
            *tables,
            "六、其他相关情况说明",
        ),
    )


def duties(data: BudgetData, inputs: ProseInputs, titles: Sequence[str], level: str = DEPARTMENT) -> Prose:
    lines = tuple(line.strip() for line in inputs.duties.splitlines() if line.strip())
    return Prose(f"{data.department_name}主要职能", lines or (f"{data.department_name}未填写{level}职责。",))


def _unit_facts(unit: UnitInfo) -> str:
    details = [f"单位规格为{unit.rank}"] if unit.rank else []
    details += [f"经费保障形式为{unit.funding_form}"] if unit.funding_form else []
    return "，".join([f"{unit.name}为{unit.nature}单位", *details]) + "。"


def units(data: BudgetData, inputs: ProseInputs, titles: Sequence[str], level: str = DEPARTMENT) -> Prose:
    name, listed = data.department_name, data.units
    if level != DEPARTMENT:  # one unit: what the ledger knows of it
        return Prose(f"{name}机构设置", tuple(map(_unit_facts, listed)) or (f"{name}未填写单位信息。",))
    administrative = sum(unit.nature in (UnitNature.ADMINISTRATIVE, UnitNature.CIVIL_SERVICE) for unit in listed)
    institutions = sum(unit.nature == UnitNature.INSTITUTION for unit in listed)
    others = len(listed) - administrative - institutions
    kinds = f"行政单位（含参公事业单位）{administrative}家，事业单位{institutions}家" + (
        f"，其他{others}家" if others else ""
    )
    head = f"{name}部门预算是包括{name}本部及所属共{len(listed)}家预算单位的综合收支计划。本部门中，{kinds}，具体包括："
    body = tuple(f"{number}. {unit.name}" for number, unit in enumerate(listed, start=1))
    return Prose(f"{name}机构设置", (head, *body) if listed else (f"{name}部门预算只包括{name}本部。",))


def terms(data: BudgetData, inputs: ProseInputs, titles: Sequence[str], level: str = DEPARTMENT) -> Prose:
    return Prose("名词解释", TERMS)


def preparation(data: BudgetData, inputs: ProseInputs, titles: Sequence[str], level: str = DEPARTMENT) -> Prose:
    """编制说明: income by source, spending, appropriated spending by fund type, and each 类 it goes to."""
    year, previous = data.year, inputs.previous
    total = _sum(data, lambda line: True)
    fiscal = _sum(data, lambda line: line.is_fiscal)
    by = {source: _sum(data, lambda line, s=source: line.source == s) for source in Source}
    own = by[Source.BUSINESS] + by[Source.OPERATING]
    income = (
        f"{year}年，{data.department_name}收入预算{wan(total)}万元，其中：财政拨款收入{wan(fiscal)}万元；"
        f"事业收入{wan(by[Source.BUSINESS])}万元；事业单位经营收入{wan(by[Source.OPERATING])}万元；"
        f"其他收入{wan(total - fiscal - own)}万元。"
    )
    funds = "；".join(
        f"{label}支出预算{wan(by[source])}万元"
        for source, label in zip(
            FISCAL_SOURCES, ("一般公共预算拨款", "政府性基金拨款", "国有资本经营预算拨款"), strict=True
        )
    )
    spending = (
        f"支出预算{wan(total)}万元{_compared(total, previous.total if previous else None, year)}，"
        f"其中：财政拨款支出预算{wan(fiscal)}万元。财政拨款支出预算中，{funds}。"
    )
    changed = previous is not None and wan(total) != wan(previous.total)
    reason = _reason(inputs, "change_total") if changed else ""
    paragraphs = [income, spending + (f"收支预算增减的{reason}" if reason else "")]
    by_class: dict[str, Decimal] = {}
    for line in data.lines:
        if line.is_fiscal:
            by_class[line.function[:3]] = by_class.get(line.function[:3], ZERO) + line.amount
    names = data.catalogue.function_names
    if by_class:
        paragraphs.append("财政拨款支出主要内容如下：")
        paragraphs += [
            f"{number}. “{names.get(code, code)}”科目{wan(amount)}万元。"
            for number, (code, amount) in enumerate(sorted(by_class.items()), start=1)
        ]
    else:
        paragraphs.append(f"{year}年，{data.department_name}未安排财政拨款支出。")
    return Prose(f"{year}年{level}预算编制说明", tuple(paragraphs))


def _three_public(data: BudgetData, inputs: ProseInputs) -> list[str]:
    year = data.year
    row = three_public_row(data)[0].cells
    current = ThreePublic(
        abroad=_amount(row["abroad"]),
        vehicle_purchase=_amount(row["vehicle_purchase"]),
        vehicle_running=_amount(row["vehicle_running"]),
        reception=_amount(row["reception"]),
    )
    before = inputs.previous.three_public if inputs.previous else None

    def item(label: str, amount: Decimal, last: Decimal | None) -> str:
        return f"{label}{wan(amount)}万元{_compared(amount, last, year)}"

    vehicles = current.vehicle_purchase + current.vehicle_running
    last_vehicles = before.vehicle_purchase + before.vehicle_running if before else None
    return [
        f"一、{year}年“三公”经费预算情况说明",
        f"{year}年“三公”经费预算数为{wan(current.total)}万元"
        f"{_compared(current.total, before.total if before else None, year)}。"
        + _reason(inputs, "change_three_public")
        + "其中：",
        f"（一）{item('因公出国（境）费', current.abroad, before.abroad if before else None)}。",
        f"（二）{item('公务用车购置及运行费', vehicles, last_vehicles)}。其中："
        f"{item('公务用车购置费', current.vehicle_purchase, before.vehicle_purchase if before else None)}；"
        f"{item('公务用车运行费', current.vehicle_running, before.vehicle_running if before else None)}。",
        f"（三）{item('公务接待费', current.reception, before.reception if before else None)}。",
    ]


def _amount(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else ZERO


def other_matters(data: BudgetData, inputs: ProseInputs, titles: Sequence[str], level: str = DEPARTMENT) -> Prose:
    """其他相关情况说明: 三公, 机关运行经费, 政府采购, 绩效目标 and the assets held, each from the ledger."""
    year, name = data.year, data.department_name
    paragraphs = _three_public(data, inputs)
    running = running_costs(data)
    offices = sum(unit.nature == UnitNature.ADMINISTRATIVE for unit in data.units)
    civil = sum(unit.nature == UnitNature.CIVIL_SERVICE for unit in data.units)
    paragraphs.append("二、机关运行经费预算")
    if running:
        who = f"下属{offices}家机关和{civil}家参公事业单位" if data.units else ""
        paragraphs.append(f"{year}年{name}{who}财政拨款的机关运行经费预算为{wan(running)}万元。")
    else:
        paragraphs.append(f"本{level}无机关运行经费。")
    procurement = sum((item.total for item in data.procurement), ZERO)
    paragraphs.append("三、政府采购预算情况")
    paragraphs.append(
        f"{year}年本{level}政府采购预算{wan(procurement)}万元，共{len(data.procurement)}项。"
        if data.procurement
        else f"{name}{year}年未安排政府采购预算。"
    )
    projects = {line.project for line in data.lines if line.kind == Kind.PROJECT and line.project}
    targeted = {table.project for table in data.performance.targets if table.project in projects}
    money = _sum(data, lambda line: line.project in targeted)
    reporting = {line.unit for line in data.lines if line.project in targeted}
    paragraphs.append("四、绩效目标设置情况")
    paragraphs.append(
        f"按照预算绩效管理工作的总体要求，本{level}{len(reporting)}个预算单位开展了{year}年项目预算绩效目标编报工作，"
        f"编报绩效目标的项目{len(targeted)}个，涉及项目预算资金{wan(money)}万元。"
        if targeted
        else f"{year}年本{level}没有编报绩效目标的项目。"
    )
    paragraphs.append("五、国有资产占有使用情况")
    if data.assets:
        held = "；".join(f"{asset.item}{_count(asset.quantity)}" for asset in data.assets)
        as_of = (
            f"截至{data.assets_as_of.year}年{data.assets_as_of.month}月{data.assets_as_of.day}日，"
            if data.assets_as_of
            else ""
        )
        paragraphs.append(f"{as_of}{name}共有：{held}。")
    else:
        paragraphs.append(f"{name}未填报国有资产占有使用情况。")
    return Prose("其他相关情况说明", tuple(paragraphs))


def _count(quantity: Decimal) -> str:
    text = f"{quantity:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# The vocabulary of narrative sheets an edition may print (official.edition reads their keys); each is called with
# the budget, the department's words, the titles of the tables and the edition's level (部门 or 单位).
PROSE: Mapping[str, Callable[[BudgetData, ProseInputs, Sequence[str], str], Prose]] = {
    "cover": cover,
    "contents": contents,
    "duties": duties,
    "units": units,
    "terms": terms,
    "preparation": preparation,
    "other-matters": other_matters,
}
