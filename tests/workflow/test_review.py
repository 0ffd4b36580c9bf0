"""审核数 beside 申报数: the reviewer records them during review, a return carries them to the department, which
accepts each (its lines become the 审核数) or keeps its own with an answer; control figures from the 审核数."""

from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, Notification, ReviewAnswer, ReviewFigure
from budgets.selectors import budget_lines
from domain.review import NOTHING_TO_SPREAD, RAISED_WITHOUT_REASON
from tests.support.budgets import CENTRE, EQUIPMENT, OFFICE, OTHER, OWN, YEAR, SmallWorld
from tests.support.workflow import step

pytestmark = pytest.mark.django_db

D = Decimal
REVIEW = reverse("budget_review", args=[YEAR, OWN])


def under_review(small: SmallWorld) -> Budget:
    step(small.budget, "submit", "accountant")
    return step(small.budget, "start_review", "reviewer")


def project_slug(budget: Budget, name: str = EQUIPMENT) -> str:
    return f"p{budget.projects.get(name=name).pk}"


def review_post(budget: Budget, **typed: str) -> dict[str, str]:
    """The reviewer's form as the page posts it: every row's two fields, these typed in (slug=amount or
    slug__reason=text)."""
    data = {"revision": str(Budget.objects.get(pk=budget.pk).revision)}
    for key, value in typed.items():
        slug, _, part = key.partition("__")
        data[f"{'reason' if part == 'reason' else 'reviewed'}-{slug}"] = value
    return data


def test_the_reviewer_records_reviewed_amounts_and_the_trail_keeps_them(small: SmallWorld, login) -> None:
    budget = under_review(small)
    slug = project_slug(budget)
    client = login("reviewer")
    response = client.post(
        REVIEW, review_post(budget, **{slug: "50000.00", f"{slug}__reason": "压减设备购置", "e30201": "40000"})
    )
    assert response.status_code == 302
    figures = {figure.subject_label: figure for figure in ReviewFigure.objects.filter(budget=budget)}
    assert figures[f"项目｜{EQUIPMENT}"].reviewed == D("50000.00")
    assert figures[f"项目｜{EQUIPMENT}"].requested == D("60000.00")
    assert figures["基本支出｜30201"].requested == D("50000.00")  # 30000 本级 + 20000 服务中心 (its own income)
    event = BudgetEvent.objects.filter(budget=budget, action="review").get()
    assert [f"审核数｜项目｜{EQUIPMENT}", "", "50000.00"] in event.changes
    assert [f"审核理由｜项目｜{EQUIPMENT}", "", "压减设备购置"] in event.changes
    assert event.actor == small.reviewer
    html = client.get(REVIEW).content.decode()
    row = BeautifulSoup(html, "html.parser").find("th", string=EQUIPMENT).parent
    cells = [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
    assert cells[1] == "60,000.00"
    assert cells[3] == "-10,000.00"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-1", "不能为负数。"),
        ("100.005", "最多两位小数（元）。"),
        ("70000", RAISED_WITHOUT_REASON),
        ("五万", "请输入数字（元，最多两位小数）。"),
    ],
)
def test_a_wrong_reviewed_amount_is_refused_at_its_field_and_nothing_is_saved(
    small: SmallWorld, login, typed: str, message: str
) -> None:
    budget = under_review(small)
    slug = project_slug(budget)
    revision = Budget.objects.get(pk=budget.pk).revision
    response = login("reviewer").post(REVIEW, review_post(budget, **{slug: typed, "e30201": "40000"}))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    field = page.find("input", attrs={"name": f"reviewed-{slug}"})
    assert field["value"] == typed  # what was typed is kept
    assert message in field.find_parent("td").get_text()
    assert page.find("input", attrs={"name": "reviewed-e30201"})["value"] == "40000"
    assert not ReviewFigure.objects.exists()
    assert Budget.objects.get(pk=budget.pk).revision == revision


def test_reviewed_amounts_are_refused_on_a_budget_not_under_review(small: SmallWorld, login) -> None:
    response = login("reviewer").post(REVIEW, review_post(small.budget, e30201="1.00"))
    assert response.status_code == 403
    assert not ReviewFigure.objects.exists()


def test_the_department_sees_reviewed_amounts_only_once_a_return_carries_them(small: SmallWorld, login) -> None:
    budget = under_review(small)
    login("reviewer").post(REVIEW, review_post(budget, e30201="40000"))
    draft = login("accountant").get(REVIEW).content.decode()
    assert "40,000.00" not in draft
    step(budget, "return", "reviewer", "请压减办公费")
    budget.refresh_from_db()
    assert budget.reviews_pending == 1
    returned = login("accountant").get(REVIEW).content.decode()
    assert "40,000.00" in returned
    assert "待答复" in returned
    assert "审核数 1 项待答复" in Notification.objects.filter(budget=budget).latest("id").message
    assert BudgetEvent.objects.filter(budget=budget, action="return").get().data["reviews_carried"] == 1


def returned_with_two_reviews(small: SmallWorld, login) -> tuple[Budget, ReviewFigure, ReviewFigure]:
    budget = under_review(small)
    login("reviewer").post(REVIEW, review_post(budget, **{project_slug(budget): "45000", "e30201": "40000"}))
    step(budget, "return", "reviewer", "按审核数调整")
    project = ReviewFigure.objects.get(budget=budget, project__isnull=False)
    basic = ReviewFigure.objects.get(budget=budget, economic__code="30201")
    return Budget.objects.get(pk=budget.pk), project, basic


def answer(client, budget: Budget, figure: ReviewFigure, decision: str, text: str = ""):
    url = reverse("budget_review_answer", args=[YEAR, OWN, figure.pk])
    revision = Budget.objects.get(pk=budget.pk).revision
    return client.post(url, {"decision": decision, "answer": text, "revision": str(revision)})


def test_accepting_a_reviewed_amount_makes_the_lines_add_up_to_it(small: SmallWorld, login) -> None:
    budget, _project, basic = returned_with_two_reviews(small, login)
    client = login("accountant")
    assert answer(client, budget, basic, "accept").status_code == 302
    lines = budget_lines(budget)
    basic_30201 = {line.unit: line.amount for line in lines if line.kind == "basic" and line.economic == "30201"}
    assert basic_30201 == {OFFICE: D("24000.00"), CENTRE: D("16000.00")}  # as they asked, 30000:20000
    assert [line.amount for line in lines if line.project == EQUIPMENT] == [D("60000.00")]  # not answered yet
    basic.refresh_from_db()
    assert basic.answer == ReviewAnswer.ACCEPTED
    assert basic.answered_by == small.accountant
    figures = BudgetEvent.objects.filter(budget=budget, action="figures").latest("id")
    assert figures.actor == small.accountant
    assert figures.data["changed"] == 2
    assert Budget.objects.get(pk=budget.pk).reviews_pending == 1


def test_keeping_the_own_figure_needs_an_answer_and_keeps_what_was_typed(small: SmallWorld, login) -> None:
    budget, project, _ = returned_with_two_reviews(small, login)
    client = login("accountant")
    refused = answer(client, budget, project, "keep", "  ")
    assert refused.status_code == 200
    assert "保留本部门数字时必须填写答复。" in refused.content.decode()
    project.refresh_from_db()
    assert project.answer == ReviewAnswer.PENDING
    assert answer(client, budget, project, "keep", "设备已列入更新计划").status_code == 302
    project.refresh_from_db()
    assert (project.answer, project.answer_text) == (ReviewAnswer.KEPT, "设备已列入更新计划")
    assert [line.amount for line in budget_lines(budget) if line.project == EQUIPMENT] == [D("60000.00")]
    event = BudgetEvent.objects.filter(budget=budget, action="review_answer").get()
    assert event.changes[0] == [f"答复｜项目｜{EQUIPMENT}", "待答复", "保留申报数"]
    assert event.comment == "设备已列入更新计划"


def test_an_accepted_amount_cannot_be_spread_over_a_project_without_lines(small: SmallWorld, login) -> None:
    budget, project, _ = returned_with_two_reviews(small, login)
    budget.lines.filter(project__name=EQUIPMENT).delete()
    response = answer(login("accountant"), budget, project, "accept")
    assert NOTHING_TO_SPREAD in response.content.decode()
    project.refresh_from_db()
    assert project.answer == ReviewAnswer.PENDING


def test_the_reviewer_cannot_answer_and_another_department_cannot_see(small: SmallWorld, login) -> None:
    budget, project, _ = returned_with_two_reviews(small, login)
    assert answer(login("reviewer"), budget, project, "accept").status_code == 403
    assert login("other_accountant").get(REVIEW).status_code == 404
    assert answer(login("other_accountant"), budget, project, "accept").status_code == 404
    project.refresh_from_db()
    assert project.answer == ReviewAnswer.PENDING


def test_control_figures_can_be_generated_from_the_reviewed_totals(small: SmallWorld, login) -> None:
    budget = under_review(small)
    client = login("reviewer")
    client.post(REVIEW, review_post(budget, **{project_slug(budget): "45000", "e30201": "40000"}))
    page = BeautifulSoup(
        client.get(reverse("budget_control", args=[YEAR, OWN]) + "?from=review").content, "html.parser"
    )
    value = {field["name"]: field.get("value") for field in page.select("form.control-page input.num")}
    # this year's fiscal money: basic 686000 less the 6000 cut from 30201's fiscal line (30000 → 24000, its
    # 20000 of own income taking the rest of the cut); project 100000 less 15000 (60000 → 45000), the 10000
    # carried over not being the bureau's to limit
    assert value["basic"] == "68.00"
    assert value["project"] == "8.50"
    assert value["total"] == "76.50"
    assert not budget.events.filter(action="control").exists()  # generated is not saved: the reviewer saves it


def test_another_departments_budget_shows_no_reviews(small: SmallWorld, login) -> None:
    budget = under_review(small)
    login("reviewer").post(REVIEW, review_post(budget, e30201="40000"))
    html = login("reviewer").get(reverse("budget_review", args=[YEAR, OTHER])).content.decode()
    assert "40,000.00" not in html
