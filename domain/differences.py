"""What a write changes in a budget's texts and items, as [place, old, new] rows.

The import preview lists exactly these rows and the write services record exactly these rows in the budget's trail:
both call the functions here, so that nothing is written that the preview did not show. A part is first described
place by place (``…_places``: place → the text it prints), then two descriptions are compared (``text_changes``).
"""

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal

from domain.ledger import AssetInfo, ProcurementInfo
from domain.performance.targets import DepartmentGoals, Performance, TargetTable

PROCUREMENT_FIELDS: Sequence[tuple[str, str]] = (
    ("project", "政府采购项目来源"),
    ("item_name", "采购品目名称"),
    ("catalogue_number", "采购目录编号"),
    ("measure_unit", "计量单位"),
    ("quantity", "数量"),
    ("unit_price", "单价（元）"),
    ("general", "一般公共预算拨款"),
    ("govfund", "政府性基金预算拨款"),
    ("statecap", "国有资本经营预算拨款"),
    ("special_account", "财政专户核拨"),
)


def _text(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, Decimal) else str(value)


def text_changes(before: Mapping[str, str], after: Mapping[str, str]) -> list[list[str]]:
    """[place, old, new] for each text that changed, in the order of the places ("" for none)."""
    places = list(before) + [place for place in after if place not in before]
    return [
        [place, before.get(place, ""), after.get(place, "")]
        for place in places
        if before.get(place, "") != after.get(place, "")
    ]


def goals_places(goals: DepartmentGoals) -> dict[str, str]:
    lines = {"部门整体绩效目标｜总体绩效目标": goals.overall, "部门整体绩效目标｜工作保障措施": goals.measures}
    for number, sub in enumerate(goals.sub_goals, start=1):
        lines[f"部门整体绩效目标｜分项绩效目标{number}"] = f"{sub.title}：{sub.goal}｜{sub.indicators}"
    return lines


def table_places(table: TargetTable | None, project: str) -> dict[str, str]:
    if table is None:
        return {}
    lines = {f"绩效目标表｜{project}｜绩效目标": table.goal}
    for number, row in enumerate(table.indicators, start=1):
        text = f"{row.level1}／{row.level2}／{row.name}｜{row.description}｜{row.value}｜{row.basis}"
        lines[f"绩效目标表｜{project}｜第{number}行"] = text
    return lines


def performance_places(performance: Performance) -> dict[str, str]:
    places = goals_places(performance.goals)
    for table in performance.targets:
        places |= table_places(table, table.project)
    return places


def procurement_places(items: Sequence[ProcurementInfo]) -> dict[str, str]:
    return {
        f"政府采购｜第{number}项｜{label}": _text(getattr(item, name))
        for number, item in enumerate(items, start=1)
        for name, label in PROCUREMENT_FIELDS
    }


def asset_places(assets: Sequence[AssetInfo], as_of: date | None) -> dict[str, str]:
    places = {"固定资产｜截止时间": as_of.isoformat() if as_of else ""}
    for number, asset in enumerate(assets, start=1):
        places[f"固定资产｜第{number}项｜资产名称"] = asset.item
        places[f"固定资产｜第{number}项｜数量"] = _text(asset.quantity)
        places[f"固定资产｜第{number}项｜价值（元）"] = _text(asset.value)
        places[f"固定资产｜第{number}项｜单位"] = asset.unit
    return places


def supplementary_changes(
    before: tuple[Sequence[ProcurementInfo], Sequence[AssetInfo], date | None],
    after: tuple[Sequence[ProcurementInfo], Sequence[AssetInfo], date | None],
) -> list[list[str]]:
    """What replacing (procurement, assets, 截止时间) ``before`` by ``after`` changes."""
    return text_changes(
        procurement_places(before[0]) | asset_places(before[1], before[2]),
        procurement_places(after[0]) | asset_places(after[1], after[2]),
    )
