from dataclasses import dataclass, field
from decimal import Decimal

from budgets.domain.classifications import Kind, Source


@dataclass(frozen=True)
class DemoUnit:
    name: str
    nature: str
    rank: str
    funding_form: str


@dataclass(frozen=True)
class DemoLine:
    unit: int  # index into DemoBudget.units
    function: str
    economic: str
    kind: Kind
    source: Source
    yuan: str
    project: str = ""
    carried_over: bool = False

    @property
    def amount(self) -> Decimal:
        return Decimal(self.yuan)


@dataclass(frozen=True)
class DemoProject:
    name: str
    unit: int


@dataclass(frozen=True)
class DemoBudget:
    department_code: str
    department_name: str
    year: int
    units: tuple[DemoUnit, ...]
    lines: tuple[DemoLine, ...]
    projects: tuple[DemoProject, ...] = field(default=())
    duties: str = ""
