"""A unit's part of its department's budget (单位预算), and its states inside the budget, held as data.

A unit with its own accountant (单位填报人) enters its part and reports it to the department (已报部门); the
department's accountant, its 主管, returns it (部门退回) or accepts it (部门已审), and submits the 部门预算 to the
finance bureau only once every such part is accepted. A unit without an accountant of its own is entered by the
department, as before: it has no part to report.
"""

from dataclasses import dataclass

from domain.choices import TextChoices


class PartState(TextChoices):
    DRAFT = "draft", "草稿"
    REPORTED = "reported", "已报部门"
    RETURNED = "returned", "部门退回"
    ACCEPTED = "accepted", "部门已审"


# Only here does the unit's accountant change its figures.
UNIT_EDITABLE = frozenset({PartState.DRAFT, PartState.RETURNED})


@dataclass(frozen=True)
class PartStep:
    action: str
    label: str
    sources: frozenset[PartState]
    target: PartState
    by_unit: bool  # the unit's accountant takes it; else the department's
    needs_comment: bool = False


PART_STEPS: dict[str, PartStep] = {
    step.action: step
    for step in (
        PartStep("report", "报送部门", UNIT_EDITABLE, PartState.REPORTED, by_unit=True),
        # The department may also accept a part it entered itself (a unit whose accountant does not report).
        PartStep(
            "accept",
            "审核通过",
            frozenset({PartState.DRAFT, PartState.REPORTED, PartState.RETURNED}),
            PartState.ACCEPTED,
            by_unit=False,
        ),
        # 退回 also reopens an accepted part: after the finance bureau returns the budget, the department chooses
        # which units change their parts again.
        PartStep(
            "return",
            "退回单位",
            frozenset({PartState.REPORTED, PartState.ACCEPTED}),
            PartState.RETURNED,
            by_unit=False,
            needs_comment=True,
        ),
    )
}


def part_steps(state: str) -> list[PartStep]:
    return [step for step in PART_STEPS.values() if state in step.sources]


def not_accepted(states: dict[str, str]) -> list[str]:
    """The units (by name) whose part keeps the department from submitting: every part not yet accepted."""
    return [unit for unit, state in states.items() if state != PartState.ACCEPTED]
