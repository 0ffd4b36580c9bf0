"""The rules on the example as published, on workbooks, and on stored budgets: nothing is ever written."""

import pytest
from django.core.management import CommandError, call_command

from audit.verdict import budget_violations
from budgets.models import Budget, BudgetLine
from budgets.selectors import budget_data
from budgets.services.targets import budget_replace_performance
from catalog.models import BudgetYear
from demo.targets_202 import AS_PUBLISHED
from domain.audit.model import Severity
from official.audit import audit_budget, audit_workbook
from tests.support.budgets import OWN
from tests.support.editions import PREFIX
from tests.support.workbooks import edited, exported, hand_typed_example

BASIC = "部门预算一般公共预算财政拨款基本支出表"


def blocking(violations) -> list[tuple[str, str]]:
    return [(v.rule, v.place) for v in violations if v.severity is not Severity.NOTICE]


def test_the_example_as_published_shows_exactly_its_figure_defect() -> None:
    audit = audit_workbook(hand_typed_example(as_published=True))
    assert audit.problems == []
    # spec §5.1: 302 printed with three decimals, over 款 that add up to 121.77 (a 尾差, noticed only)
    assert blocking(audit.violations) == [("E01", "Sheet5!D18")]
    assert {(v.rule, v.place) for v in audit.violations if v.severity is Severity.NOTICE} >= {("A02", "Sheet5!D18")}


def test_the_corrected_example_has_no_error_or_warning() -> None:
    for in_yuan in (False, True):
        audit = audit_workbook(hand_typed_example(in_yuan=in_yuan))
        assert audit.problems == []
        assert blocking(audit.violations) == []


def total_of_302(workbook) -> str:
    """The cell of the basic expenditure table's 302 total (where the published example prints 121.783)."""
    row = next(cells for cells in workbook[BASIC].iter_rows() if cells[1].value == "302")
    return row[3].coordinate


@pytest.mark.django_db
def test_checking_a_workbook_writes_nothing(small, django_assert_num_queries) -> None:
    where = []

    def three_decimals(workbook) -> None:
        where.append(total_of_302(workbook))
        workbook[BASIC][where[0]] = 5.003

    data = edited(exported(small.budget), three_decimals)
    with django_assert_num_queries(0):
        audit = audit_workbook(data)
    assert ("E01", f"{BASIC}!{where[0]}") in blocking(audit.violations)


@pytest.mark.django_db
def test_stored_demo_budgets_have_no_error_or_warning(demo) -> None:
    for budget in demo.values():
        assert blocking(audit_budget(budget_data(budget))) == []


@pytest.mark.django_db
def test_the_small_budgets_of_the_tests_have_no_error_or_warning(small) -> None:
    for budget in small.budgets.values():
        assert blocking(audit_budget(budget_data(budget))) == []
        assert (budget.errors_open, budget.warnings_open) == (0, 0)


@pytest.mark.django_db
def test_check_budget_command_on_a_budget_and_on_a_file(demo, tmp_path, capsys) -> None:
    call_command("check_budget", "--year", "2021", "--department", "202")
    out = capsys.readouterr().out
    assert "A02 提示 部门预算一般公共预算财政拨款基本支出表｜302 商品和服务支出｜合计" in out

    path = tmp_path / "published.xlsx"
    path.write_bytes(hand_typed_example(as_published=True))
    before = list(BudgetLine.objects.values_list("id", "amount"))
    with pytest.raises(CommandError, match="1 处错误"):
        call_command("check_budget", str(path))
    assert "E01 错误 Sheet5!D18 121.783 超过两位小数（万元）" in capsys.readouterr().out
    assert list(BudgetLine.objects.values_list("id", "amount")) == before


@pytest.mark.django_db
def test_check_budget_needs_a_budget_or_a_file(small) -> None:
    with pytest.raises(CommandError, match="--year"):
        call_command("check_budget")
    with pytest.raises(CommandError, match="没有部门 999"):
        call_command("check_budget", "--year", "2021", "--department", "999")
    call_command("check_budget", "--year", "2021", "--department", OWN)  # a budget without errors passes


@pytest.mark.django_db
def test_the_stored_example_warns_about_its_anonymised_project_name(demo) -> None:
    warnings = [(v.rule, v.place) for v in budget_violations(demo["202"])]
    assert ("T01", "项目名称｜xxxx 工程二期建设") in warnings
    assert ("A02", f"{BASIC}｜302 商品和服务支出｜合计") in warnings


@pytest.mark.django_db
def test_the_whole_example_as_published_shows_exactly_the_defects_of_spec_5(demo) -> None:
    """Its tables with 121.783 and its twelve 绩效目标表 and goals as printed: spec §5.1–5.4 and 5.7 (5.5 and 5.6
    concern the document and its page layout), and the T01 warnings of the publisher's anonymised "xxxx"."""
    budget_replace_performance(budget=demo["202"], performance=AS_PUBLISHED)
    published = edited(exported(demo["202"]), lambda wb: wb[BASIC].__setitem__("D17", 121.783))
    audit = audit_workbook(published)
    assert audit.problems == []
    found = sorted((v.rule, v.place) for v in audit.violations if v.severity is not Severity.NOTICE)
    assert found == sorted(
        [
            ("E01", f"{BASIC}!D17"),
            ("P05", "绩效目标表｜党代会经费｜第10行 人大代表满意度｜指标值"),
            ("P05", "绩效目标表｜会议接待费｜第9行 会议满意度｜指标值"),
            ("P05", "绩效目标表｜专项公用经费｜第13行 培训满意度｜指标值"),
            ("P05", "绩效目标表｜宣传推介费｜第10行 普法宣传对象满意度(%)｜指标值"),
            ("P06", "绩效目标表｜省委视联网视频调度系统｜第8行 满意率｜指标值"),
            ("P08", "绩效目标表｜宣传推介费｜第4行 宣传活动次数｜指标值"),
            ("P09", "部门整体绩效目标｜分项绩效目标1 党代会经费"),
            ("T01", "绩效目标表｜电子政务内网二期建设｜第1行 政务内网的 xxxx"),
            ("T01", "绩效目标表｜xxxx 工程二期建设｜第2行 电子政务内网 xxxx"),
            ("T01", "项目名称｜xxxx 工程二期建设"),
        ]
    )


@pytest.mark.django_db
def test_the_verdict_names_the_tables_by_the_years_edition(demo, renamed_edition) -> None:
    BudgetYear.objects.filter(year=2021).update(edition=renamed_edition.key)
    budget = Budget.objects.select_related("year").get(pk=demo["202"].pk)
    tail = [v for v in budget_violations(budget) if v.rule == "A02"]
    assert tail
    assert all(v.place.startswith(f"{PREFIX}{BASIC}｜") for v in tail)
