"""Comments at a place of a budget: a reviewer comments on a table, a row or a cell, the department answers in the
thread, the reviewer resolves it; open threads are counted, listed on a return, asked about before approval, and
stay readable (and attached to their row) after the budget changes."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, ReviewComment
from budgets.services.figures import budget_replace_figures
from domain.workflow import BudgetState
from tests.support.budgets import EQUIPMENT, OWN, OWN_LINES, OWN_PROJECTS, YEAR, SmallWorld
from tests.support.workflow import approve_in_both_rounds, step
from workflow.comment_places import CELL_GONE, ROW_GONE, place_titles, table_places
from workflow.services import OPEN_COMMENTS, WorkflowError

pytestmark = pytest.mark.django_db

START = reverse("budget_comment_start", args=[YEAR, OWN])


def a_filled_cell(budget: Budget) -> tuple[str, str, str]:
    """(table key, row, column key) of a money cell that prints a figure of the 30201 办公费 row."""
    for title in place_titles(budget):
        table = table_places(budget, title.key)
        for row, column in sorted(table.cells):
            if row.startswith("30201") and column not in ("code", "name"):
                return table.key, row, column
    raise AssertionError("no 30201 cell")


def start(client, budget: Budget, text: str = "办公费为何比上年增长？", **place: str):
    table, row, column = place.get("table"), place.get("row"), place.get("column")
    if table is None:
        table, row, column = a_filled_cell(budget)
    next_url = reverse("budget_table", args=[YEAR, OWN, table]) if table and ":" not in table else ""
    return client.post(
        START, {"table": table, "row": row or "", "column": column or "", "text": text, "next": next_url}
    )


def test_a_reviewer_comments_on_a_cell_the_department_answers_and_the_reviewer_resolves(
    small: SmallWorld, login
) -> None:
    table, row, column = a_filled_cell(small.budget)
    reviewer = login("reviewer")
    assert start(reviewer, small.budget, table=table, row=row, column=column).status_code == 302
    thread = ReviewComment.objects.get()
    assert (thread.row, thread.column, thread.author, thread.version) == (row, column, small.reviewer, 1)
    assert Budget.objects.get(pk=small.budget.pk).comments_open == 1
    table_page = reviewer.get(reverse("budget_table", args=[YEAR, OWN, table])).content.decode()
    assert "办公费为何比上年增长？" in table_page

    accountant = login("accountant")
    reply = reverse("budget_comment_reply", args=[YEAR, OWN, thread.pk])
    assert accountant.post(reply, {"text": "新增档案室日常运转。"}).status_code == 302
    assert accountant.post(reverse("budget_comment_resolve", args=[YEAR, OWN, thread.pk])).status_code == 403
    assert thread.replies.get().author == small.accountant

    resolve = reverse("budget_comment_resolve", args=[YEAR, OWN, thread.pk])
    assert login("reviewer").post(resolve).status_code == 302
    thread.refresh_from_db()
    assert thread.resolved_by == small.reviewer
    assert Budget.objects.get(pk=small.budget.pk).comments_open == 0
    refused = login("accountant").post(reply, {"text": "补充"}, follow=True).content.decode()
    assert "这条批注已解决，不能再回复。" in refused
    assert thread.replies.count() == 1


def test_only_a_reviewer_starts_a_thread_and_another_department_sees_none(small: SmallWorld, login) -> None:
    assert start(login("accountant"), small.budget).status_code == 403
    assert start(login("other_accountant"), small.budget).status_code == 404
    assert not ReviewComment.objects.exists()
    start(login("reviewer"), small.budget)
    thread = ReviewComment.objects.get()
    reply = reverse("budget_comment_reply", args=[YEAR, OWN, thread.pk])
    assert login("other_accountant").post(reply, {"text": "x"}).status_code == 404
    assert thread.replies.count() == 0


def test_a_place_not_in_the_table_is_refused_and_the_text_is_kept(small: SmallWorld, login) -> None:
    table, _, column = a_filled_cell(small.budget)
    response = start(login("reviewer"), small.budget, "请核对", table=table, row="9999999 不存在的行", column=column)
    page = login("reviewer").get(response["Location"]).content.decode()
    assert "所选的行不在本表中，请重新选择。" in page
    assert BeautifulSoup(page, "html.parser").select_one("#new-comment textarea").get_text() == "请核对"
    assert not ReviewComment.objects.exists()
    empty = start(login("reviewer"), small.budget, "   ", table=table, row="", column="")
    assert empty.status_code == 302
    assert not ReviewComment.objects.exists()


def test_a_return_lists_the_open_threads_and_approval_asks_first(small: SmallWorld, login) -> None:
    start(login("reviewer"), small.budget)
    step(small.budget, "submit", "accountant")
    step(small.budget, "start_review", "reviewer")
    step(small.budget, "return", "reviewer", "请说明办公费")
    listed = BudgetEvent.objects.filter(budget=small.budget, action="return").get().data["comments_open"]
    assert listed[0][1] == "办公费为何比上年增长？"
    budget = Budget.objects.get(pk=small.budget.pk)
    with pytest.raises(WorkflowError, match="1 条批注未解决"):
        approve_in_both_rounds(budget, "accountant")
    budget = Budget.objects.get(pk=small.budget.pk)
    assert budget.state == BudgetState.IN_REVIEW
    approve = reverse("budget_transition", args=[YEAR, OWN, "approve"])
    client = login("reviewer")
    refused = client.post(approve, {"revision": str(budget.revision), "open_comments_seen": "0"}, follow=True)
    assert OPEN_COMMENTS.format(count=1) in refused.content.decode()
    assert Budget.objects.get(pk=budget.pk).state == BudgetState.IN_REVIEW
    page = client.get(reverse("budget_detail", args=[YEAR, OWN])).content.decode()
    assert "尚有 1 条批注未解决。批复后" in page  # the approve button's question
    client.post(approve, {"revision": str(budget.revision), "open_comments_seen": "1"})
    assert Budget.objects.get(pk=budget.pk).state == BudgetState.APPROVED


def test_a_thread_whose_row_is_gone_stays_readable_and_says_so(small: SmallWorld, login) -> None:
    table, row, column = a_filled_cell(small.budget)  # 30201 办公费 of the basic-expenditure table
    start(login("reviewer"), small.budget, table=table, row=row, column=column)
    thread = ReviewComment.objects.get()
    assert thread.cell_text == "3.00"  # 30000 元 of fiscal 办公费, as the table printed it
    without_30201 = [line for line in OWN_LINES if (line.economic, line.kind) != ("30201", "basic")]
    budget_replace_figures(budget=small.budget, projects=OWN_PROJECTS, lines=without_30201)
    page = login("accountant").get(reverse("budget_table", args=[YEAR, OWN, table])).content.decode()
    assert BeautifulSoup(page, "html.parser").select_one(f"#comment-{thread.pk} .moved").get_text() == ROW_GONE
    assert "办公费为何比上年增长？" in page


def test_a_thread_whose_cell_is_emptied_stays_at_its_row_and_says_so(small: SmallWorld, login) -> None:
    places = table_places(small.budget, "expenditure")
    operating = next(key for key, title in places.columns if "经营" in title)
    row = next(row for row in places.rows if row.startswith("2013101"))
    start(login("reviewer"), small.budget, table="expenditure", row=row, column=operating)
    thread = ReviewComment.objects.get()
    without_operating = [line for line in OWN_LINES if line.kind != "operating"]
    budget_replace_figures(budget=small.budget, projects=OWN_PROJECTS, lines=without_operating)
    page = login("accountant").get(reverse("budget_table", args=[YEAR, OWN, "expenditure"])).content.decode()
    moved = BeautifulSoup(page, "html.parser").select_one(f"#comment-{thread.pk} .moved").get_text()
    assert moved == CELL_GONE.format(then="0.50")


def test_threads_stay_readable_on_a_later_version(small: SmallWorld, login) -> None:
    start(login("reviewer"), small.budget)
    thread = ReviewComment.objects.get()
    login("reviewer").post(reverse("budget_comment_resolve", args=[YEAR, OWN, thread.pk]))
    budget = approve_in_both_rounds(Budget.objects.get(pk=small.budget.pk), "accountant")
    step(budget, "adjust", "accountant", "追加项目")
    assert Budget.objects.get(pk=budget.pk).version == 2
    page = login("accountant").get(reverse("budget_review", args=[YEAR, OWN])).content.decode()
    assert "办公费为何比上年增长？" in page
    assert "第1版" in page


def test_the_dashboard_counts_open_threads_and_unanswered_reviews(small: SmallWorld, login) -> None:
    start(login("reviewer"), small.budget)
    start(login("reviewer"), small.budget, "第二条")
    page = BeautifulSoup(login("reviewer").get(reverse("dashboard") + f"?year={YEAR}").content, "html.parser")
    headers = [th.get_text(strip=True) for th in page.select("table.dashboard thead th")]
    for row in page.select("table.dashboard tbody tr"):
        cells = dict(zip(headers, [td.get_text(strip=True) for td in row.find_all("td")], strict=True))
        assert cells["未解决批注"] == ("2" if cells["部门编码"] == OWN else "0")
        assert cells["待答复审核数"] == "0"


def test_a_reviewer_comments_on_a_row_of_a_projects_target_table(small: SmallWorld, login) -> None:
    targets_page = reverse("budget_targets", args=[YEAR, OWN])
    client = login("reviewer")
    form = BeautifulSoup(client.get(targets_page).content, "html.parser").select_one("#new-comment")
    tables = {option["value"]: option.get_text() for option in form.select("select[name=table] option")}
    key = f"target:{EQUIPMENT}"
    assert tables[key] == f"{EQUIPMENT}绩效目标表"
    response = start(client, small.budget, "数量是否与采购计划一致？", table=key, row="购置计算机数量", column="value")
    assert response.status_code == 302
    thread = ReviewComment.objects.get()
    assert thread.place == f"{EQUIPMENT}绩效目标表 › 购置计算机数量 › 指标值"
    assert thread.cell_text == "10 台"  # as the table prints it
    assert "数量是否与采购计划一致？" in login("accountant").get(targets_page).content.decode()


def test_the_timeline_lists_the_threads_a_return_handed_over(small: SmallWorld, login) -> None:
    start(login("reviewer"), small.budget)
    step(small.budget, "submit", "accountant")
    step(small.budget, "start_review", "reviewer")
    step(small.budget, "return", "reviewer", "请说明")
    page = BeautifulSoup(login("accountant").get(reverse("budget_detail", args=[YEAR, OWN])).content, "html.parser")
    listed = page.select_one("#timeline details.handed-over")
    assert "未解决批注 1 条" in listed.get_text()
    assert "办公费为何比上年增长？" in listed.get_text()
