"""Writing figures: all or nothing, with every problem named."""

from dataclasses import replace
from decimal import Decimal

import pytest

from budgets.models import Budget, BudgetLine, Project
from budgets.services.figures import budget_replace_figures
from demo import luquan_202, luquan_318
from demo.loader import load_demo, load_demo_budget
from domain.classifications import Kind, Source
from domain.errors import BudgetFiguresError
from domain.ledger import LineInput, ProjectInput
from domain.workflow import BudgetState
from performance.models import TargetTable

pytestmark = pytest.mark.django_db

OFFICE = "中共石家庄市鹿泉区委办公室本级"


def snapshot(budget) -> list[tuple]:
    return list(budget.lines.order_by("id").values_list("function__code", "economic__code", "kind", "source", "amount"))


def test_loading_the_demo_twice_changes_nothing(demo) -> None:
    before = snapshot(demo["202"])
    load_demo()
    assert snapshot(demo["202"]) == before
    assert BudgetLine.objects.filter(budget=demo["202"]).count() == len(luquan_202.LINES)


def test_demo_budget_totals_the_published_figure(demo) -> None:
    total = sum(amount for *_, amount in snapshot(demo["202"]))
    assert total == Decimal("8882530.00")  # 888.253 万元: prints as 888.25, with the 302 尾差 inside


def test_a_bad_line_writes_nothing_and_names_every_problem(demo) -> None:
    budget = demo["202"]
    before = snapshot(budget)
    lines = [
        LineInput(OFFICE, "2013101", "30101", Kind.BASIC, Source.GENERAL, Decimal("100.00")),
        LineInput(OFFICE, "9999999", "30101", Kind.BASIC, Source.GENERAL, Decimal("100.00")),
        LineInput(OFFICE, "2013101", "30101", Kind.OPERATING, Source.GENERAL, Decimal("-1.00")),
        LineInput("别的单位", "2013101", "301", Kind.BASIC, Source.GENERAL, Decimal("1.005")),
    ]
    with pytest.raises(BudgetFiguresError) as caught:
        budget_replace_figures(budget=budget, projects=[], lines=lines)
    messages = [str(error) for error in caught.value.errors]
    assert any(message.startswith("第2条") and "9999999" in message for message in messages)
    assert any(message.startswith("第3条") and "负数" in message for message in messages)
    assert any(message.startswith("第3条") and "财政拨款资金只能用于" in message for message in messages)
    assert any(message.startswith("第4条") and "别的单位" in message for message in messages)
    assert any(message.startswith("第4条") and "两位小数" in message for message in messages)
    assert not any(message.startswith("第1条") for message in messages)
    assert snapshot(budget) == before


def test_project_lines_must_name_a_registered_project_of_their_unit(demo) -> None:
    budget = demo["202"]
    with pytest.raises(BudgetFiguresError) as caught:
        budget_replace_figures(
            budget=budget,
            projects=[ProjectInput("党代会经费", OFFICE)],
            lines=[
                LineInput(
                    OFFICE, "2013102", "30215", Kind.PROJECT, Source.GENERAL, Decimal("1.00"), project="无此项目"
                ),
                LineInput(
                    "中共石家庄市鹿泉区委信息中心",
                    "2013102",
                    "30215",
                    Kind.PROJECT,
                    Source.GENERAL,
                    Decimal("1.00"),
                    project="党代会经费",
                ),
                LineInput(
                    OFFICE, "2013101", "30101", Kind.BASIC, Source.GENERAL, Decimal("1.00"), project="党代会经费"
                ),
            ],
        )
    messages = [str(error) for error in caught.value.errors]
    assert any(message.startswith("第1条") and "无此项目" in message for message in messages)
    assert any(message.startswith("第2条") and "党代会经费" in message for message in messages)
    assert any(message.startswith("第3条") and "只有项目支出" in message for message in messages)


def test_replacing_figures_drops_the_projects_that_lost_their_last_figure(demo) -> None:
    budget = demo["202"]
    budget_replace_figures(
        budget=budget,
        projects=[ProjectInput("因公出国", OFFICE)],
        lines=[
            LineInput(OFFICE, "2013102", "30212", Kind.PROJECT, Source.GENERAL, Decimal("75000.00"), project="因公出国")
        ],
    )
    # The projects with performance targets stay (without figures), the target tables with them.
    targeted = set(TargetTable.objects.filter(project__budget=budget).values_list("project__name", flat=True))
    assert set(Project.objects.filter(budget=budget).values_list("name", flat=True)) == targeted | {"因公出国"}
    assert budget.lines.count() == 1
    TargetTable.objects.filter(project__budget=budget).delete()
    budget_replace_figures(budget=budget, projects=[], lines=[])
    # 因公出国 lost its last figure: gone. The others had none before this save, like a project added on the 项目
    # page and waiting for its figures: they stay.
    assert set(Project.objects.filter(budget=budget).values_list("name", flat=True)) == targeted - {"因公出国"}
    load_demo_budget(luquan_202.BUDGET)
    assert budget.projects.count() == len(luquan_202.PROJECTS)


def test_two_inputs_for_the_same_cell_are_reported_not_crashed(demo) -> None:
    budget = demo["202"]
    before = snapshot(budget)
    same = LineInput(OFFICE, "2013101", "30101", Kind.BASIC, Source.GENERAL, Decimal("1.00"))
    with pytest.raises(BudgetFiguresError) as caught:
        budget_replace_figures(budget=budget, projects=[], lines=[same, same])
    assert [str(error) for error in caught.value.errors] == [
        "第2条：与第1条是同一格（单位或项目、科目、类型、来源都相同），请合并。"
    ]
    assert snapshot(budget) == before


def test_a_budget_with_project_lines_can_be_deleted_whole(demo) -> None:
    budget = demo["202"]
    budget.delete()
    assert not BudgetLine.objects.filter(budget_id=budget.pk).exists()
    assert not Project.objects.filter(budget_id=budget.pk).exists()


def test_a_project_with_lines_cannot_be_deleted_on_its_own(demo) -> None:
    from django.db.models import RestrictedError

    project = Project.objects.get(budget=demo["202"], name="因公出国")
    with pytest.raises(RestrictedError):
        project.delete()


def test_loading_the_demo_restores_a_submitted_demo_budget_as_a_draft(demo) -> None:
    Budget.objects.filter(pk=demo["318"].pk).update(state=BudgetState.APPROVED)
    load_demo()
    demo["318"].refresh_from_db()
    assert demo["318"].state == BudgetState.DRAFT
    assert demo["318"].procurement_items.count() == len(luquan_318.BUDGET.procurement)


def test_a_project_waiting_for_its_figures_survives_a_save_of_the_figures(demo) -> None:
    budget = demo["202"]
    waiting = Project.objects.create(budget=budget, unit=budget.department.units.first(), name="新建待填项目")
    budget_replace_figures(
        budget=budget,
        projects=[ProjectInput("因公出国", OFFICE)],
        lines=[
            LineInput(OFFICE, "2013102", "30212", Kind.PROJECT, Source.GENERAL, Decimal("75000.00"), project="因公出国")
        ],
    )
    assert Project.objects.filter(pk=waiting.pk).exists()


def test_saving_the_figures_as_stored_writes_nothing_and_keeps_the_revision(demo) -> None:
    budget = Budget.objects.get(pk=demo["202"].pk)
    projects = [ProjectInput(name, unit) for name, unit in budget.projects.values_list("name", "unit__name")]
    lines = [
        LineInput(
            line.unit.name,
            line.function.code,
            line.economic.code,
            line.kind,
            line.source,
            line.amount,
            line.project.name if line.project else "",
            line.carried_over,
        )
        for line in budget.lines.select_related("unit", "function", "economic", "project")
    ]
    revision, events, ids = budget.revision, budget.events.count(), snapshot(budget)

    budget_replace_figures(budget=budget, projects=projects, lines=lines)

    budget.refresh_from_db()
    assert (budget.revision, budget.events.count(), snapshot(budget)) == (revision, events, ids)
    changed = [replace(lines[0], amount=lines[0].amount + Decimal("100")), *lines[1:]]
    budget_replace_figures(budget=budget, projects=projects, lines=changed)  # one figure changed: written
    budget.refresh_from_db()
    assert (budget.revision, budget.events.count()) == (revision + 1, events + 1)
