"""A department's structure as entered: its units (预算单位) and a budget's projects (预算项目), and the one rule of
each row (the entry pages show these words at the cell; the write services refuse with them)."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from domain.choices import TextChoices
from domain.errors import FigureError
from domain.ledger import PROJECT_NAME_MAX


class UnitNature(TextChoices):
    ADMINISTRATIVE = "行政", "行政"
    INSTITUTION = "事业", "事业"
    # A 事业单位 managed under the civil-service law: an administrative unit where 机关运行经费 is concerned.
    CIVIL_SERVICE = "参公", "参公（参照公务员法管理的事业单位）"
    ENTERPRISE = "企业", "企业"
    OTHER = "其他", "其他"


UNIT_NAME_MAX, UNIT_RANK_MAX, UNIT_FUNDING_MAX = 100, 50, 50

UNIT_NAME_REQUIRED = "请填写单位名称。"
UNIT_NAME_TOO_LONG = "单位名称最多 {limit} 字（现有 {length} 字）。"
UNIT_NAME_TWICE = "单位名称与第{first}行重复：同一部门的单位名称不能相同。"
UNIT_NATURE_INVALID = "单位性质请从列表中选择（" + "、".join(UnitNature.values) + "）。"
UNIT_RANK_TOO_LONG = "单位规格最多 {limit} 字。"
UNIT_FUNDING_TOO_LONG = "经费保障形式最多 {limit} 字。"
NO_UNIT_LEFT = "部门至少要有一个单位。"
PROJECT_NAME_REQUIRED = "请填写项目名称。"
PROJECT_NAME_TOO_LONG = "项目名称最多 {limit} 字（现有 {length} 字）。"
PROJECT_NAME_TWICE = "项目名称与第{first}行重复：同一预算的项目名称不能相同。"
PROJECT_UNIT_INVALID = "请从列表中选择本部门的单位。"


@dataclass(frozen=True)
class UnitInput:
    """One unit as entered; ``id`` is the stored unit it edits (None: a new unit)."""

    id: int | None
    name: str
    nature: str
    rank: str = ""
    funding_form: str = ""


@dataclass(frozen=True)
class ProjectEdit:
    """One project as entered on the projects page; ``id`` is the stored project it edits (None: a new one)."""

    id: int | None
    name: str
    unit: str  # unit name within the department


def unit_errors(units: Sequence[UnitInput]) -> list[FigureError]:
    """What is wrong with the department's units as entered, by 1-based row and field."""
    errors = []
    first: dict[str, int] = {}
    for index, unit in enumerate(units, start=1):
        if not unit.name:
            errors.append(FigureError(index, UNIT_NAME_REQUIRED, "name"))
        elif len(unit.name) > UNIT_NAME_MAX:
            message = UNIT_NAME_TOO_LONG.format(limit=UNIT_NAME_MAX, length=len(unit.name))
            errors.append(FigureError(index, message, "name"))
        elif unit.name in first:
            errors.append(FigureError(index, UNIT_NAME_TWICE.format(first=first[unit.name]), "name"))
        first.setdefault(unit.name, index)
        if unit.nature not in UnitNature.values:
            errors.append(FigureError(index, UNIT_NATURE_INVALID, "nature"))
        if len(unit.rank) > UNIT_RANK_MAX:
            errors.append(FigureError(index, UNIT_RANK_TOO_LONG.format(limit=UNIT_RANK_MAX), "rank"))
        if len(unit.funding_form) > UNIT_FUNDING_MAX:
            errors.append(FigureError(index, UNIT_FUNDING_TOO_LONG.format(limit=UNIT_FUNDING_MAX), "funding_form"))
    if not units:
        errors.append(FigureError(0, NO_UNIT_LEFT))
    return errors


def project_errors(projects: Sequence[ProjectEdit], unit_names: Sequence[str]) -> list[FigureError]:
    """What is wrong with a budget's projects as entered, by 1-based row and field."""
    errors = []
    first: dict[str, int] = {}
    for index, project in enumerate(projects, start=1):
        if not project.name:
            errors.append(FigureError(index, PROJECT_NAME_REQUIRED, "name"))
        elif len(project.name) > PROJECT_NAME_MAX:
            message = PROJECT_NAME_TOO_LONG.format(limit=PROJECT_NAME_MAX, length=len(project.name))
            errors.append(FigureError(index, message, "name"))
        elif project.name in first:
            errors.append(FigureError(index, PROJECT_NAME_TWICE.format(first=first[project.name]), "name"))
        first.setdefault(project.name, index)
        if project.unit not in unit_names:
            errors.append(FigureError(index, PROJECT_UNIT_INVALID, "unit"))
    return errors


def _describe(nature: str, rank: str, funding_form: str) -> str:
    return "，".join(part for part in (nature, rank, funding_form) if part)


def unit_changes(stored: Mapping[int, UnitInput], units: Sequence[UnitInput]) -> list[list[str]]:
    """[place, old, new] of making the department's units (``stored``, by id, in their order) exactly ``units``:
    what the trail records and an import's preview shows."""
    listed = {unit.id for unit in units if unit.id is not None}
    changes = [
        [f"单位“{gone.name}”", _describe(gone.nature, gone.rank, gone.funding_form), "删除"]
        for pk, gone in stored.items()
        if pk not in listed
    ]
    for unit in units:
        old = stored.get(unit.id) if unit.id is not None else None
        if old is None:
            described = _describe(unit.nature, unit.rank, unit.funding_form)
            changes.append([f"单位“{unit.name}”", "", f"新增（{described}）"])
            continue
        if old.name != unit.name:
            changes.append(["单位名称", old.name, unit.name])
        for label, before, after in (
            ("单位性质", old.nature, unit.nature),
            ("单位规格", old.rank, unit.rank),
            ("经费保障形式", old.funding_form, unit.funding_form),
        ):
            if before != after:
                changes.append([f"单位“{unit.name}”{label}", before, after])
    ids = [unit.id for unit in units if unit.id is not None]
    if ids != [pk for pk in stored if pk in listed]:  # stored is in the department's order (position, id)
        changes.append(["单位排序", "", "已调整"])
    return changes
