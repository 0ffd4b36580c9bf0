"""The explanation page, its inputs form, the services behind it, and where last year's figures come from."""

from decimal import Decimal

import pytest
from django.urls import reverse

from audit.verdict import budget_violations
from budgets.models import Budget, BudgetEvent, BudgetSnapshot, SnapshotKind
from budgets.selectors import budget_data
from catalog.models import BudgetYear
from disclosure.models import ExplanationRemark, PreviousYearFigures
from disclosure.selectors import budget_explanation, entered_previous, explanation_remarks
from disclosure.services import explanation_inputs_set
from domain.errors import BudgetFiguresError
from domain.explanation import PreviousYear
from domain.snapshot import snapshot_to_json
from domain.workflow import BudgetState
from entry.rows import NOT_SAVED
from tests.support.posting import form_data, rehearsal_rows

pytestmark = pytest.mark.django_db

URL = reverse("budget_explanation", args=[2021, "202"])
EDIT = reverse("budget_explanation_edit", args=[2021, "202"])
VALID = {"prev_total": "957.70", "prev_basic": "625.36", "prev_project": "332.34"}


def text(explanation, number: str) -> str:
    return "\n".join(next(s for s in explanation.sections if s.number == number).paragraphs)


def stored(budget: Budget):
    return (
        list(PreviousYearFigures.objects.filter(budget=budget).values_list("total", "basic", "project", "abroad")),
        sorted(ExplanationRemark.objects.filter(budget=budget).values_list("key", "text")),
        Budget.objects.get(pk=budget.pk).revision,
        BudgetEvent.objects.filter(budget=budget).count(),
    )


def test_the_demo_reads_as_published(demo, login) -> None:
    explanation = budget_explanation(demo["202"])
    assert explanation.previous_source == "entered"
    assert (
        "较2020年预算减少69.45万元，其中：基本支出增加28.38万元，主要为增加人员经费支出；项目支出减少97.83万元，"
        "主要为电子政务内网二期建设和 xxxx 工程费用减少。"
    ) in text(explanation, "二")
    assert "与2020年相比持平，无增减变化。" in text(explanation, "四")
    assert "（一）负责推动党中央和省、市、区委决策部署的落实" in text(explanation, "一")
    body = login("acc202").get(URL).content.decode()
    assert "较2020年预算减少69.45万元" in body
    assert "预算安排26.4万元" in body
    assert 'id="explanation-form"' in body
    assert "中共石家庄市鹿泉区委信息中心" in body  # the units table of section 一
    detail = login("acc202").get(reverse("budget_detail", args=[2021, "202"])).content.decode()
    assert URL in detail


def test_x01_is_silent_and_the_remarks_reach_t01(demo) -> None:
    violations = budget_violations(demo["202"])
    assert [v for v in violations if v.rule == "X01"] == []
    assert ("T01", "情况说明｜二、部门预算安排的总体情况") in [(v.rule, v.place) for v in violations]


def test_a_broken_reference_in_a_remark_is_an_error(demo) -> None:
    explanation_inputs_set(budget=demo["202"], previous=None, remarks={"other": "详见附件（错误！未定义书签。）"})
    places = [(v.rule, v.place) for v in budget_violations(demo["202"])]
    assert ("T02", "情况说明｜九、其他需要说明的事项") in places


def test_a_reviewer_reads_without_the_form(demo, login) -> None:
    body = login("reviewer").get(URL).content.decode()
    assert "较2020年预算减少69.45万元" in body
    assert 'id="explanation-form"' not in body
    assert login("reviewer").post(EDIT, VALID).status_code == 403


def test_saving_the_form(demo, login) -> None:
    budget = demo["202"]
    before = stored(budget)
    data = {**VALID, "prev_total": "1000.00", "prev_basic": "600.00", "prev_project": "400.00"}
    data |= {"prev_abroad": "10", "prev_vehicle_purchase": "0", "prev_vehicle_running": "18.9", "prev_reception": "1"}
    data |= {"change_project": "主要为项目完成。", "other": "无。", "revision": str(before[2])}
    response = login("acc202").post(EDIT, data, follow=True)
    body = response.content.decode()
    assert "情况说明已保存" in body
    assert "较2020年预算减少111.75万元" in body
    assert "比2020年减少3.5万元" in body
    figures, remarks, revision, events = stored(budget)
    assert figures == [(Decimal("10000000.00"), Decimal("6000000.00"), Decimal("4000000.00"), Decimal("100000.00"))]
    assert remarks == [("change_project", "主要为项目完成。"), ("other", "无。")]  # the others were emptied
    assert revision == before[2] + 1
    assert events == before[3] + 1
    event = BudgetEvent.objects.filter(budget=budget).latest("id")
    assert event.action == "explanation"
    assert event.summary == "修改情况说明"


BAD = [
    ({"prev_total": "abc", "prev_basic": "1", "prev_project": "1"}, "请输入数字（万元，最多两位小数）。"),
    ({"prev_total": "-5", "prev_basic": "1", "prev_project": "1"}, "不能为负数。"),
    ({"prev_total": "1.234", "prev_basic": "1", "prev_project": "0"}, "最多两位小数（万元）。"),
    ({"prev_total": "100"}, "上年支出合计、基本支出、项目支出要么都填写，要么都不填。"),
    ({**VALID, "prev_abroad": "7.5"}, "上年“三公”经费的四项要么都填写，要么都不填。"),
    ({"prev_total": "100", "prev_basic": "80", "prev_project": "30"}, "之和大于支出合计（100.00万元）"),
    ({**VALID, "other": "长" * 2001}, "最多 2000 字"),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_input_is_refused_with_a_clear_message(demo, login, data, message) -> None:
    budget = demo["202"]
    before = stored(budget)
    response = login("acc202").post(EDIT, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert NOT_SAVED in body
    assert message in body
    assert stored(budget) == before


def test_a_stale_form_is_refused(demo, login) -> None:
    budget = demo["202"]
    before = stored(budget)
    response = login("acc202").post(EDIT, {**VALID, "other": "新说明", "revision": str(before[2] - 1)}, follow=True)
    assert "已被他人修改" in response.content.decode()
    assert stored(budget) == before


def test_a_stale_form_shows_the_others_remark_beside_the_one_typed_and_keeps_it(demo, login) -> None:
    budget = demo["202"]
    client = login("acc202")
    revision = Budget.objects.get(pk=budget.pk).revision
    remarks = explanation_remarks(budget)
    explanation_inputs_set(  # someone else, meanwhile
        budget=budget, previous=entered_previous(budget), remarks={**remarks, "other": "他人的说明"}
    )
    response = client.post(EDIT, {**VALID, **remarks, "other": "新说明", "revision": str(revision)})
    html = response.content.decode()
    assert response.status_code == 200
    assert ["情况说明｜其他需要说明的事项", "他人的说明", "新说明"] in rehearsal_rows(html)
    shown = form_data(html, "explanation-form")
    assert shown["other"] == "新说明"
    assert shown["revision"] == str(Budget.objects.get(pk=budget.pk).revision)
    assert explanation_remarks(budget)["other"] == "他人的说明"  # nothing written by showing it


def test_a_frozen_budget_is_refused(demo) -> None:
    budget = demo["202"]
    Budget.objects.filter(pk=budget.pk).update(state=BudgetState.SUBMITTED)
    before = stored(budget)
    with pytest.raises(BudgetFiguresError, match="数字不能修改"):
        explanation_inputs_set(budget=budget, previous=None, remarks={"other": "x"})
    assert stored(budget) == before


def test_the_service_refuses_bad_figures_all_at_once(demo) -> None:
    budget = demo["202"]
    before = stored(budget)
    bad = PreviousYear(2020, Decimal("100"), Decimal("-1"), Decimal("0.001"))
    with pytest.raises(BudgetFiguresError) as refused:
        explanation_inputs_set(budget=budget, previous=bad, remarks={"nonsense": "x"})
    messages = [str(error) for error in refused.value.errors]
    assert "基本支出不能为负数。" in messages
    assert "项目支出最多保留两位小数（元）。" in messages
    assert "没有这一项说明：nonsense" in messages
    assert stored(budget) == before


def test_an_unchanged_save_writes_nothing(demo) -> None:
    budget = demo["202"]
    before = stored(budget)
    from demo.explanation import PREVIOUS, REMARKS

    assert explanation_inputs_set(budget=budget, previous=PREVIOUS["202"], remarks=REMARKS["202"]) == 0
    assert stored(budget) == before


def test_last_years_approved_budget_wins_over_entered_figures(demo) -> None:
    budget = demo["202"]
    data = budget_data(budget)
    BudgetYear.objects.create(year=2020)
    last_year = Budget.objects.create(department=budget.department, year_id=2020, state=BudgetState.APPROVED)
    event = BudgetEvent.objects.create(budget=last_year, action="approve")
    # Last year: the same budget without the project 信息中心网络设备维护及采购 (68.71 万元).
    lines = tuple(line for line in data.lines if line.project != "信息中心网络设备维护及采购")
    snapshot = snapshot_to_json(type(data)(**{**data.__dict__, "year": 2020, "lines": lines}))
    BudgetSnapshot.objects.create(budget=last_year, kind=SnapshotKind.APPROVED, version=1, event=event, data=snapshot)
    explanation = budget_explanation(budget)
    assert explanation.previous_source == "approved"
    assert (
        "较2020年预算增加68.71万元，其中：基本支出与上年持平；项目支出增加68.71万元，"
        "主要为电子政务内网二期建设和 xxxx 工程费用减少。" in text(explanation, "二")
    )
    assert "与2020年相比持平，无增减变化。" in text(explanation, "四")
