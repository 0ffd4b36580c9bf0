"""部门预算信息公开情况说明 as plain data: numbered sections of paragraphs, with the tables they show.

Every number in a paragraph is computed from the budget (see ``explain``); the department adds only reasons and
free remarks (``REMARKS``), and the previous year's figures when no approved budget of that year is stored.

How amounts are printed (the published example's style, decided once here):
- in 万元, each the exact yuan amount divided by 10,000 and rounded half-up to two decimals, exactly as the
  table cell it repeats prints (domain.money.to_wan): 888.25, 653.74, 121.78;
- a zero part of an enumeration prints as "0" (the example: "基金预算收入0万元"); a zero total or a zero
  procurement / asset amount as "0.00" (the example: "安排政府采购预算0.00万元");
- section 四 (“三公”经费) prints the same rounded figure without trailing zeros, as the example does:
  26.40 → "26.4", 7.50 → "7.5", 0.00 → "0"; 12.34 stays "12.34";
- a change from last year is the difference of the two printed figures (so the sentence adds up for a reader
  with the tables in hand), said as 增加 / 减少 its absolute value, or 持平 when it is zero.

Each number taken from a table carries a Claim naming the cell it must equal (audit rule X01); a number derived
from several cells (a difference, a count, a sum over items) has a Claim with ``table == ""``.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from domain import supplementary, tables
from domain.ledger import BudgetData
from domain.money import CENT, to_wan
from domain.tables import Row

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Claim:
    """A number the text states, and the table cell it must equal (checked by the audit rules)."""

    text: str  # the number as printed in the sentence, e.g. "888.25"
    table: str  # the official table's key (an edition file of official/editions/), or "" when derived from several
    row: str  # the row's key in that table (a code, or a fixed row's label)
    column: str  # the column key


@dataclass(frozen=True)
class Section:
    number: str  # "一" … "九"
    title: str  # e.g. "部门职责及机构设置情况"
    paragraphs: tuple[str, ...] = ()
    tables: tuple[str, ...] = ()  # keys of official tables shown in the section (units, procurement, assets)
    claims: tuple[Claim, ...] = field(default=(), compare=False)

    @property
    def heading(self) -> str:
        return f"{self.number}、{self.title}"


@dataclass(frozen=True)
class Explanation:
    sections: tuple[Section, ...] = ()
    title: str = ""  # "中共石家庄市鹿泉区委办公室2021年部门预算信息公开情况说明"
    preamble: tuple[str, ...] = ()  # the paragraph before section 一
    previous_source: str = ""  # where last year's figures came from: "approved", "entered", or "" (none)

    @property
    def claims(self) -> tuple[Claim, ...]:
        return tuple(claim for section in self.sections for claim in section.claims)

    def texts(self) -> dict[str, str]:
        """The generated text by place, for the text rules (section 一's duties are checked as 部门职责)."""
        return {
            f"情况说明｜{section.heading}": "\n".join(section.paragraphs)
            for section in self.sections
            if section.number != "一" and section.paragraphs
        }


# --- Inputs ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThreePublic:
    """The “三公”经费 of a year by item, in yuan (financial appropriation, as table 9's 合计 column)."""

    abroad: Decimal = ZERO
    vehicle_purchase: Decimal = ZERO
    vehicle_running: Decimal = ZERO
    reception: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.abroad + self.vehicle_purchase + self.vehicle_running + self.reception


@dataclass(frozen=True)
class PreviousYear:
    """Last year's budget as the comparison needs it, in yuan."""

    year: int
    total: Decimal  # 支出预算 (table 3 合计)
    basic: Decimal  # 基本支出
    project: Decimal  # 项目支出
    three_public: ThreePublic | None = None  # None: not known (no comparison is stated)
    source: str = "entered"  # "approved": from that year's approved budget; "entered": typed in for this one


# What the department writes itself: key → what it is (the form's labels).
REMARKS: Mapping[str, str] = {
    "change_total": "预算收支总额增减原因",
    "change_basic": "基本支出增减原因",
    "change_project": "项目支出增减原因",
    "running_costs_use": "机关运行经费主要用途",
    "change_three_public": "“三公”经费增减原因",
    "other": "其他需要说明的事项",
}

GLOSSARY: tuple[tuple[str, str], ...] = (
    ("一般公共预算拨款收入", "指区级财政当年拨付的资金。"),
    ("事业收入", "指事业单位开展专业业务活动及辅助活动所取得的收入。"),
    (
        "其他收入",
        "指除“一般公共预算拨款收入”、“事业收入”等以外的收入。主要是按规定动用的租房收入、存款利息收入等。",
    ),
    ("基本支出", "指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。"),
    ("项目支出", "指在基本支出之外为完成特定行政任务和事业发展目标所发生的支出。"),
    ("上缴上级支出", "指下级单位上缴上级的支出。"),
    (
        "“三公”经费",
        "纳入区级财政预算管理的“三公”经费，是指区级部门用财政拨款安排的因公出国（境）费、公务用车购置及运维费和"
        "公务接待费。其中，因公出国（境）费反映单位公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出；"
        "公务用车购置及运维费反映单位公务用车购置费及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；"
        "公务接待费反映单位按规定开支的各类公务接待（含外宾接待）支出。",
    ),
    (
        "机关运行费",
        "是指各部门的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、专用材料及一般设备"
        "购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费以及其他费用。",
    ),
    ("上年结转", "指以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。"),
    ("事业单位经营支出", "指事业单位在专业业务活动及其辅助活动之外开展非独立核算经营活动发生的支出。"),
)

NO_OTHER_MATTERS = "我部门无其他需要说明的事项。"


# --- Printing amounts ------------------------------------------------------------------------------------------


def wan(yuan: Decimal) -> str:
    """Two decimals in 万元: 888.25, 0.00."""
    return f"{to_wan(yuan):.2f}"


def wan_part(yuan: Decimal) -> str:
    """A part of an enumeration: two decimals, a zero as "0" (the example's "基金预算收入0万元")."""
    value = to_wan(yuan)
    return "0" if value == 0 else f"{value:.2f}"


def wan_short(yuan: Decimal) -> str:
    """Section 四's style: the two-decimal figure without trailing zeros (26.4, 7.5, 0)."""
    return trim(to_wan(yuan))


def trim(value: Decimal) -> str:
    text = f"{value.quantize(CENT):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _strip_reason(text: str) -> str:
    return text.strip().rstrip("。；;，,").strip()


# --- Reading the tables ------------------------------------------------------------------------------------------


class _Reader:
    """Table cells (exact yuan) and the claims of the numbers printed from them."""

    def __init__(self) -> None:
        self.claims: list[Claim] = []

    def say(self, text: str, table: str = "", row: str = "", column: str = "") -> str:
        self.claims.append(Claim(text, table, row, column))
        return text

    def take(self) -> tuple[Claim, ...]:
        claims, self.claims = tuple(self.claims), []
        return claims


def _first(rows: Sequence[Row]) -> Row:
    """The 合计 row of a hierarchical table, or an empty one when the table is empty."""
    return rows[0] if rows else Row({})


def _by_label(rows: Sequence[Row], key: str, label: str) -> Row:
    for row in rows:
        value = row.cells.get(key)
        if isinstance(value, str) and value.endswith(label):
            return row
    return Row({})


def _label_of(rows: Sequence[Row], key: str, label: str) -> str:
    value = _by_label(rows, key, label).cells.get(key)
    return value if isinstance(value, str) else label


def three_public_of(data: BudgetData) -> ThreePublic:
    rows = {row.cells["label"]: row for row in tables.three_public_rows(data)}
    return ThreePublic(
        abroad=rows["一、因公出国（境）费"].amount("total"),
        vehicle_purchase=rows["其中：公务用车购置费"].amount("total"),
        vehicle_running=rows["公务用车运行维护费"].amount("total"),
        reception=rows["三、公务接待费"].amount("total"),
    )


def previous_from_data(data: BudgetData, source: str = "approved") -> PreviousYear:
    """Last year's figures from last year's budget itself (its approved snapshot)."""
    spending = _first(tables.expenditure_rows(data))
    return PreviousYear(
        year=data.year,
        total=spending.amount("total"),
        basic=spending.amount("basic"),
        project=spending.amount("project"),
        three_public=three_public_of(data),
        source=source,
    )


def previous_year_errors(previous: PreviousYear) -> list[str]:
    """What is wrong with figures typed in for last year (messages are shown to users)."""
    errors = []
    amounts = {"支出合计": previous.total, "基本支出": previous.basic, "项目支出": previous.project}
    if previous.three_public is not None:
        amounts |= {
            "因公出国（境）费": previous.three_public.abroad,
            "公务用车购置费": previous.three_public.vehicle_purchase,
            "公务用车运行维护费": previous.three_public.vehicle_running,
            "公务接待费": previous.three_public.reception,
        }
    for label, amount in amounts.items():
        if not isinstance(amount, Decimal) or not amount.is_finite():
            errors.append(f"{label}不是有效的金额。")
        elif amount < 0:
            errors.append(f"{label}不能为负数。")
        elif amount != amount.quantize(CENT):
            errors.append(f"{label}最多保留两位小数（元）。")
    if not errors and previous.basic + previous.project > previous.total:
        errors.append(
            f"上年基本支出（{wan(previous.basic)}万元）与项目支出（{wan(previous.project)}万元）之和"
            f"大于支出合计（{wan(previous.total)}万元）。"
        )
    return errors


# --- Sentences ---------------------------------------------------------------------------------------------------


def change_words(
    current_yuan: Decimal, previous_yuan: Decimal, fmt: Callable[[Decimal], str] = trim
) -> tuple[str, Decimal]:
    """("增加28.38万元" / "减少69.45万元" / "持平", the printed difference in 万元)."""
    difference = to_wan(current_yuan) - to_wan(previous_yuan)
    if difference > 0:
        return f"增加{fmt(difference)}万元", difference
    if difference < 0:
        return f"减少{fmt(-difference)}万元", difference
    return "持平", difference


def _two(value: Decimal) -> str:
    return f"{value:.2f}"


def _overview(data: BudgetData, previous: PreviousYear | None, remarks: Mapping[str, str], say: _Reader) -> Section:
    year, name = data.year, data.department_name
    summary = tables.summary_rows(data)
    in_rows = summary

    def income(label: str) -> tuple[Decimal, str]:
        row_label = _label_of(in_rows, "in_label", label)
        return _by_label(in_rows, "in_label", label).amount("in_amount"), row_label

    grand, grand_label = income("收入总计")
    general, general_label = income("一般公共预算拨款收入")
    govfund, govfund_label = income("政府性基金预算拨款收入")
    statecap, statecap_label = income("国有资本经营预算拨款收入")
    special, special_label = income("财政专户管理资金收入")
    carried, carried_label = income("上年结转结余")
    own_labels = ("事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入")
    own = sum((income(label)[0] for label in own_labels), ZERO)
    receipts = (
        f"反映本部门当年全部收入。{year}年预算收入总计"
        f"{say.say(wan(grand), 'summary', grand_label, 'in_amount')}万元。其中："
        f"一般公共预算收入{say.say(wan_part(general), 'summary', general_label, 'in_amount')}万元，"
        f"基金预算收入{say.say(wan_part(govfund), 'summary', govfund_label, 'in_amount')}万元，"
        f"国有资本经营预算收入{say.say(wan_part(statecap), 'summary', statecap_label, 'in_amount')}万元，"
        f"财政专户核拨收入{say.say(wan_part(special), 'summary', special_label, 'in_amount')}万元，"
        f"单位资金收入{say.say(wan_part(own), '', '单位资金收入', 'in_amount')}万元，"
        f"上年结转结余{say.say(wan_part(carried), 'summary', carried_label, 'in_amount')}万元。"
    )

    spending = _first(tables.expenditure_rows(data))
    total, basic, project = (spending.amount(key) for key in ("total", "basic", "project"))
    economic = _first(tables.basic_economic_rows(data))
    personnel, public = economic.amount("personnel"), economic.amount("public")
    parts = [f"基本支出{say.say(wan_part(basic), 'expenditure', '合计', 'basic')}万元"]
    if basic:
        detail = (
            f"人员经费支出{say.say(wan_part(personnel), 'basic-economic', '合计', 'personnel')}万元，"
            f"正常公用经费{say.say(wan_part(public), 'basic-economic', '合计', 'public')}万元"
        )
        if economic.amount("total") == basic:
            parts[0] += f"，包括{detail}"
        else:  # table 6 covers general-budget appropriation only: say so rather than misstate the split
            general_basic = say.say(wan_part(economic.amount("total")), "basic-economic", "合计", "total")
            parts[0] += f"，其中一般公共预算财政拨款基本支出{general_basic}万元，包括{detail}"
    parts.append(f"项目支出{say.say(wan_part(project), 'expenditure', '合计', 'project')}万元")
    for key, label in (("operating", "经营支出"), ("remit", "上解上级支出"), ("subsidy", "对附属单位补助支出")):
        if spending.amount(key):
            parts.append(f"{label}{say.say(wan_part(spending.amount(key)), 'expenditure', '合计', key)}万元")
    expenses = (
        "收支预算总表支出栏、基本支出表、项目支出表按经济分类和支出功能分类科目编制，反映单位年度部门预算中支出预算的"
        f"总体情况。{year}年支出预算{say.say(wan(total), 'expenditure', '合计', 'total')}万元。"
        f"其中：{'；'.join(parts)}。"
    )

    arranged = f"{year}年预算收支安排{say.say(wan(total), 'expenditure', '合计', 'total')}万元"
    if previous is None:
        change = f"{arranged}，{year - 1}年无可比预算数据，不作增减比较。"
    else:
        clauses = []
        for key, label, current, before in (
            ("change_basic", "基本支出", basic, previous.basic),
            ("change_project", "项目支出", project, previous.project),
        ):
            words, difference = change_words(current, before, _two)
            if difference:
                say.say(_two(abs(difference)), "", f"{label}比上年增减", key)
                reason = _strip_reason(remarks.get(key, ""))  # a reason is given for a change only
                clauses.append(f"{label}{words}，{reason}" if reason else f"{label}{words}")
            else:
                clauses.append(f"{label}与上年持平")
        words, difference = change_words(total, previous.total, _two)
        if difference:
            say.say(_two(abs(difference)), "", "支出合计比上年增减", "change_total")
            head = f"{arranged}，较{previous.year}年预算{words}"
        else:
            head = f"{arranged}，与{previous.year}年预算持平"
        reason = _strip_reason(remarks.get("change_total", ""))
        if reason and difference:
            head += f"，{reason}"
        change = f"{head}，其中：{'；'.join(clauses)}。"

    paragraphs = (
        "按照预算管理有关规定，目前我省部门预算的编制实行综合预算管理，即全部收入和支出都反映在预算中。"
        f"{name}机关及所属事业单位的收支包含在部门预算中。",
        "1、收入说明",
        receipts,
        "2、支出说明",
        expenses,
        "3、比上年增减情况",
        change,
    )
    return Section("二", "部门预算安排的总体情况", paragraphs, claims=say.take())


def _running_costs(data: BudgetData, remarks: Mapping[str, str], say: _Reader) -> Section:
    rows = tables.basic_economic_rows(data)
    public = tables.running_costs(data)  # 机关运行经费: the administrative and 参公 units' 公用经费
    year = data.year
    if not public:
        where = "行政单位和参公事业单位一般公共预算财政拨款基本支出中的公用经费"
        text = f"{year}年，我部门未安排机关运行经费（{where}为0万元）。"
    else:
        use = _strip_reason(remarks.get("running_costs_use", "")).removeprefix("主要用于")
        if not use:  # the 款 of 公用经费 in table 6, in code order
            names = [str(row.cells.get("name", "")) for row in rows if row.level == 2 and row.amount("public")]
            use = f"{'、'.join(name for name in names if name)}等日常运行支出" if any(names) else "机关日常运行支出"
        amount = say.say(wan(public), "", "机关运行经费", "running_costs")  # derived from no one cell of the tables
        text = f"{year}年，我部门机关运行经费共计安排{amount}万元，主要用于{use}。"
    return Section("三", "机关运行经费安排情况", (text,), claims=say.take())


THREE_PUBLIC_ROWS = {
    "total": "合计",
    "abroad": "一、因公出国（境）费",
    "vehicles": "二、公务用车购置及运维费",
    "purchase": "其中：公务用车购置费",
    "running": "公务用车运行维护费",
    "reception": "三、公务接待费",
}


def _three_public(data: BudgetData, previous: PreviousYear | None, remarks: Mapping[str, str], say: _Reader) -> Section:
    current = three_public_of(data)
    year = data.year

    def item(key: str, yuan: Decimal) -> str:
        return say.say(wan_short(yuan), "three-public", THREE_PUBLIC_ROWS[key], "total")

    vehicles = current.vehicle_purchase + current.vehicle_running
    text = (
        f"{year}年，我部门财政拨款“三公”经费预算安排{item('total', current.total)}万元，"
        f"其中因公出国（境）费{item('abroad', current.abroad)}万元，"
        f"公务用车购置及运维费{item('vehicles', vehicles)}万元"
        f"（其中：公务用车购置费为{item('purchase', current.vehicle_purchase)}万元，"
        f"公务用车运维费{item('running', current.vehicle_running)}万元）；"
        f"公务接待费{item('reception', current.reception)}万元。"
    )
    if previous is None or previous.three_public is None:
        text += f"{year - 1}年无可比“三公”经费预算数据，不作增减比较。"
    else:
        words, difference = change_words(current.total, previous.three_public.total)
        if not difference:
            text += f"与{previous.year}年相比持平，无增减变化。"
        else:
            say.say(trim(abs(difference)), "", "“三公”经费比上年增减", "change_three_public")
            reason = _strip_reason(remarks.get("change_three_public", ""))
            text += f"比{previous.year}年{words}" + (f"，{reason}。" if reason else "。")
    return Section("四", "财政拨款“三公”经费预算情况及增减变化原因", (text,), claims=say.take())


def _performance(data: BudgetData, say: _Reader) -> Section:
    year = data.year
    amounts = supplementary.project_amounts(data.lines)
    funded = [name for name, amount in amounts.items() if amount]
    with_table = [table.project for table in data.performance.targets]
    goals = data.performance.goals
    has_goals = bool(goals.overall or goals.sub_goals or goals.measures)
    project_total = _first(tables.expenditure_rows(data)).amount("project")
    parts = []
    if has_goals and with_table:
        parts.append(f"我部门{year}年预算绩效信息包括部门整体绩效目标和项目绩效目标两部分。")
    elif has_goals:
        parts.append(f"我部门{year}年预算绩效信息为部门整体绩效目标。")
    elif with_table:
        parts.append(f"我部门{year}年预算绩效信息为项目绩效目标。")
    else:
        parts.append(f"我部门{year}年未编制预算绩效目标。")
    if funded:
        count = say.say(str(len(funded)), "", "项目个数", "count")
        amount = say.say(wan(project_total), "expenditure", "合计", "project")
        sentence = f"本年度安排项目{count}个，项目支出{amount}万元"
        if with_table:
            covered = sum((amounts.get(name, ZERO) for name in with_table), ZERO)
            tables_count = say.say(str(len(with_table)), "", "编制绩效目标表的项目个数", "count")
            covered_text = say.say(wan(covered), "", "编制绩效目标表的项目资金", "amount")
            sentence += f"，其中{tables_count}个项目编制了绩效目标表，涉及资金{covered_text}万元"
            missing = len([name for name in funded if name not in set(with_table)])
            if missing:
                sentence += (
                    f"，{say.say(str(missing), '', '未编制绩效目标表的项目个数', 'count')}个项目尚未编制绩效目标表"
                )
        else:
            sentence += "，尚未编制项目绩效目标表"
        parts.append(sentence + "。")
    else:
        parts.append("本年度未安排项目支出。")
    if has_goals or with_table:
        shown = [name for name, present in (("部门整体绩效目标", has_goals), ("项目绩效目标表", with_table)) if present]
        parts.append(f"详见{'和'.join(shown)}。")
    return Section("五", "预算绩效信息", ("".join(parts),), claims=say.take())


def _procurement(data: BudgetData, say: _Reader) -> Section:
    year, name = data.year, data.department_name
    total = sum((item.total for item in data.procurement), ZERO)
    amount = say.say(wan(total), "", "政府采购预算合计", "total")
    if not data.procurement:
        text = f"{year}年，{name}安排政府采购预算{amount}万元（无政府采购预算，空表列示）。"
    else:
        funds = (
            ("一般公共预算拨款", sum((item.general for item in data.procurement), ZERO)),
            ("基金预算拨款", sum((item.govfund for item in data.procurement), ZERO)),
            ("国有资本经营预算拨款", sum((item.statecap for item in data.procurement), ZERO)),
            ("财政专户核拨", sum((item.special_account for item in data.procurement), ZERO)),
        )
        parts = [
            f"{label}{say.say(wan(value), '', f'政府采购预算{label}', 'total')}万元" for label, value in funds if value
        ]
        split = f"，其中：{'，'.join(parts)}" if len(parts) > 1 else ""
        text = f"{year}年，{name}安排政府采购预算{amount}万元{split}，共{len(data.procurement)}项，详见下表。"
    return Section("六", "政府采购预算情况", (text,), tables=("procurement",), claims=say.take())


def _assets(data: BudgetData, say: _Reader) -> Section:
    name = data.department_name
    held = sum((asset.value for asset in data.assets), ZERO)
    planned = sum((item.total for item in data.procurement), ZERO)
    as_of = supplementary.assets_as_of(data)
    held_text = say.say(wan(held), "", "固定资产价值合计", "value")
    if data.assets:
        first = f"{name}（含所属单位）上年末（{as_of.isoformat()}）固定资产金额为{held_text}万元（详见下表）。"
    else:
        first = f"{name}（含所属单位）上年末固定资产金额为{held_text}万元（无固定资产占用情况，空表列示）。"
    planned_text = say.say(wan(planned), "", "拟购置固定资产（政府采购预算合计）", "total")
    if planned:
        second = f"本年度拟购置固定资产总额为{planned_text}万元，已按要求列入政府采购预算，详见政府采购预算表。"
    else:
        second = f"本年度拟购置固定资产总额为{planned_text}万元。"
    return Section("七", "国有资产信息", (first + second,), tables=("fixed-assets",), claims=say.take())


def explain(
    data: BudgetData, previous: PreviousYear | None, remarks: Mapping[str, str], *, duties: str = ""
) -> Explanation:
    """The nine sections of the explanation, every number computed from ``data`` (and ``previous``)."""
    say = _Reader()
    name, year = data.department_name, data.year
    duty_lines = tuple(line.strip() for line in duties.splitlines() if line.strip())
    first = Section(
        "一",
        "部门职责及机构设置情况",
        ("部门职责：", *duty_lines, "机构设置：") if duty_lines else ("机构设置：",),
        tables=("units",),
    )
    other = remarks.get("other", "").strip()
    others = tuple(line.strip() for line in other.splitlines() if line.strip()) or (NO_OTHER_MATTERS,)
    sections = (
        first,
        _overview(data, previous, remarks, say),
        _running_costs(data, remarks, say),
        _three_public(data, previous, remarks, say),
        _performance(data, say),
        _procurement(data, say),
        _assets(data, say),
        Section(
            "八",
            "名词解释",
            tuple(f"{number}、{term}：{meaning}" for number, (term, meaning) in enumerate(GLOSSARY, start=1)),
        ),
        Section("九", "其他需要说明的事项", others),
    )
    return Explanation(
        sections=sections,
        title=f"{name}{year}年部门预算信息公开情况说明",
        preamble=(
            "按照《预算法》、《地方预决算公开操作规程》和《河北省省级预算公开办法》规定，"
            f"现将{name}{year}年部门预算公开如下：",
        ),
        previous_source=previous.source if previous is not None else "",
    )
