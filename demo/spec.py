from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from domain.classifications import Kind, Source
from domain.ledger import Line
from domain.performance.targets import Performance


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

    def as_line(self, unit: str = "") -> Line:
        """The figure as the domain functions see it (``unit``: its unit's name, which the line holds as an index)."""
        line = (self.function, self.economic, self.kind, self.source, self.amount, self.carried_over, self.project)
        return Line(*line, unit)


@dataclass(frozen=True)
class DemoProject:
    name: str
    unit: int


@dataclass(frozen=True)
class DemoProcurement:
    project: str  # the source project's name
    item_name: str
    catalogue_number: str
    measure_unit: str
    quantity: str
    unit_price: str  # yuan
    general: str = "0.00"  # yuan, by fund type
    govfund: str = "0.00"
    statecap: str = "0.00"
    special_account: str = "0.00"


@dataclass(frozen=True)
class DemoAsset:
    item: str
    quantity: str
    value_yuan: str


@dataclass(frozen=True)
class DemoBudget:
    department_code: str
    department_name: str
    year: int
    units: tuple[DemoUnit, ...]
    lines: tuple[DemoLine, ...]
    projects: tuple[DemoProject, ...] = field(default=())
    duties: str = ""
    procurement: tuple[DemoProcurement, ...] = field(default=())
    assets: tuple[DemoAsset, ...] = field(default=())
    assets_as_of: date | None = None
    # In 二上 with control figures equal to what it asks for (the published example was approved as it is);
    # otherwise in 一上, waiting for its control figures.
    formal_round: bool = False
    performance: Performance = field(default_factory=Performance)
