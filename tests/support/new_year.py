"""The 2022 catalogue the tests of 新建预算 start a year on: 2021's, with one 项 renumbered and one gone."""

from budgets.models import Budget
from catalog.services import catalog_import, read_csv
from demo.loader import STARTER_CATALOGUES
from domain.catalogue import CatalogKind
from tests.support.workflow import explain_warnings, step

NEW_YEAR = 2022
RENUMBERED = ("2013105", "2013150", "专项业务")  # old code, new code, the name both bear
GONE = ("2210201", "住房公积金")  # no code and no 项 of that name in 2022


def load_2022_catalogue() -> None:
    functions = (STARTER_CATALOGUES / "2021" / "function_classification.csv").read_text(encoding="utf-8")
    old, new, name = RENUMBERED
    functions = functions.replace(f"{old},{name},", f"{new},{name},")
    functions = "".join(line for line in functions.splitlines(keepends=True) if not line.startswith(GONE[0]))
    economics = (STARTER_CATALOGUES / "2021" / "economic_classification.csv").read_text(encoding="utf-8")
    catalog_import(year=NEW_YEAR, kind=CatalogKind.FUNCTION, rows=read_csv(functions))
    catalog_import(year=NEW_YEAR, kind=CatalogKind.ECONOMIC, rows=read_csv(economics))


def approve_202(budget: Budget) -> Budget:
    """The demo's 202 approved as it is (version 1), its warnings explained."""
    explain_warnings(budget, "acc202")
    step(budget, "submit", "acc202", "已核实。")
    step(budget, "start_review", "reviewer")
    return step(budget, "approve", "reviewer")
