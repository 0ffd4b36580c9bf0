"""The demo's inputs of the explanation: 202's 2020 figures and the reasons of the published example."""

from decimal import Decimal

from disclosure.services import explanation_inputs_set
from domain.explanation import PreviousYear, ThreePublic

# 2020 as the example's comparison implies: 888.25 − 69.45, 653.74 − 28.38, 234.51 + 97.83 (万元); its “三公”
# equal to 2021's (the example says 持平).
PREVIOUS = {
    "202": PreviousYear(
        2020,
        total=Decimal("9577000.00"),
        basic=Decimal("6253600.00"),
        project=Decimal("3323400.00"),
        three_public=ThreePublic(abroad=Decimal("75000.00"), vehicle_running=Decimal("189000.00")),
    ),
}

REMARKS = {
    "202": {
        "change_basic": "主要为增加人员经费支出",
        "change_project": "主要为电子政务内网二期建设和 xxxx 工程费用减少",
        "running_costs_use": "机关办公经费、办公取暖费、水电费、印刷费、邮电费、差旅费、委托业务费等日常运行支出",
    },
}


def load_demo_explanation(budget) -> None:
    """Restore the demo budget's explanation inputs (none for a department without any)."""
    code = budget.department.code
    explanation_inputs_set(budget=budget, previous=PREVIOUS.get(code), remarks=REMARKS.get(code, {}))
