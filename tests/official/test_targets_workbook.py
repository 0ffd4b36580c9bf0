"""The 绩效目标 sheets of the official workbook: read back, refused when wrong, imported part by part, checked.

The golden comparison with the published example is in tests/performance/test_golden_targets.py.
"""

import io
from dataclasses import replace

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from budgets.models import Budget, BudgetEvent, Project
from budgets.selectors import budget_data
from budgets.services.targets import budget_replace_performance
from demo.targets_202 import AS_PUBLISHED, CORRECTED
from domain.ledger import BudgetData, Catalogue
from domain.performance.targets import DepartmentGoals, Performance
from domain.performance.values import parse_value
from importing.services import ImportRefused, budget_import_apply, budget_import_preview
from official.targets_layout import MAX_LENGTHS, TARGET_COLUMNS
from official.workbook import write_workbook
from official.xlsx_reader import read_workbook
from performance import models as performance_models
from performance.selectors import budget_performance
from tests.golden.seed import TARGET_HEADER, load_targets
from tests.support.workbooks import edited, exported

pytestmark = pytest.mark.django_db

FIRST = "绩效目标表1"  # 党代会经费: row 3 绩效目标, row 4 the header, rows 5–14 the indicators (A5:A9 merged)
TARGET_SHEETS = ("部门整体绩效目标", *(f"绩效目标表{number}" for number in range(1, 13)))


def canonical(performance: Performance) -> Performance:
    """Each 指标值 as read back from its official printing (see tests/performance/test_golden_targets.py)."""
    return replace(
        performance,
        targets=tuple(
            replace(
                table, indicators=tuple(replace(row, value=parse_value(str(row.value))) for row in table.indicators)
            )
            for table in performance.targets
        ),
    )


def stored(budget: Budget) -> Performance:
    """The budget's targets as stored now (a fresh read: ``budget.goals`` is cached on an instance)."""
    return budget_performance(Budget.objects.select_related("department").get(pk=budget.pk))


def messages(problems) -> list[str]:
    return [str(problem) for problem in problems]


def without_sheets(data: bytes, *names: str) -> bytes:
    def edit(workbook: openpyxl.Workbook) -> None:
        for name in names:
            del workbook[name]

    return edited(data, edit)


def with_cells(data: bytes, sheet: str, **cells: object) -> bytes:
    def edit(workbook: openpyxl.Workbook) -> None:
        for ref, value in cells.items():
            workbook[sheet][ref] = value

    return edited(data, edit)


# --- the reader ------------------------------------------------------------------------------------------------


def test_a_workbook_without_target_sheets_has_no_performance(demo) -> None:
    book = read_workbook(without_sheets(exported(demo["202"]), *TARGET_SHEETS))
    assert book.problems == []
    assert book.performance is None
    assert (book.goals_sheet, book.target_sheets) == ("", ())


def test_a_budget_without_targets_exports_no_target_sheet() -> None:
    data = BudgetData("999", "无目标部门", 2021, Catalogue({}, {}), ())
    buffer = io.BytesIO()
    write_workbook(buffer, data)
    assert len(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).sheetnames) == 12


def test_the_tables_are_read_in_the_order_of_their_numbers_whatever_the_sheets(demo) -> None:
    def edit(workbook: openpyxl.Workbook) -> None:
        for number in range(1, 13):
            workbook[f"绩效目标表{number}"].title = f"Sheet{13 - number}"
        workbook.move_sheet("Sheet1", offset=-5)

    book = read_workbook(edited(exported(demo["202"]), edit))
    assert book.problems == []
    assert book.performance == canonical(CORRECTED)
    assert book.target_sheets[:2] == ("Sheet12", "Sheet11")


def hand_typed_targets() -> bytes:
    """The twelve tables typed from the published text: no merged cells, 一级指标 only on the first row of a run,
    the 绩效目标 row below the header in table 11 (as published), spaced header text, sheets in reverse order and
    named Sheet1…, the header repeated in the middle of a table (a page break)."""
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for table in reversed(load_targets()):
        sheet = workbook.create_sheet(f"Sheet{13 - table.number}")
        sheet.append([f"{table.number}、{table.project}绩效目标表"])
        sheet.append(["202 中共石家庄市鹿泉区委办公室", None, None, "预算年度：2021"])
        goal = ["绩效目标", table.goal]
        header = [" ".join(title) if len(title) == 4 else title for title in TARGET_HEADER]  # 一 级 指 标
        rows = [header, goal] if table.number == 11 else [goal, header]
        previous = ""
        for index, row in enumerate(table.rows):
            cells = ["" if row[0] == previous else row[0], *row[1:]]
            previous = row[0]
            rows.append(cells)
            if index == 3:
                rows.append(header)
        for cells in rows:
            sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_the_published_tables_typed_by_hand_read_as_published() -> None:
    book = read_workbook(hand_typed_targets())
    assert [problem for problem in book.problems if "绩效" in str(problem)] == []
    assert book.goals_sheet == ""
    # Exactly as published: each 指标值 keeps what was typed (≥5年), parsed.
    assert book.performance == replace(AS_PUBLISHED, goals=DepartmentGoals())


# --- bad input: clear sheet!cell messages, nothing imported -----------------------------------------------------


def refused(demo, data: bytes) -> list[str]:
    """The preview's problems; the import is refused and the stored targets stay as they were."""
    before = stored(demo["202"])
    preview = budget_import_preview(data=data, year=2021)
    assert not preview.ok
    with pytest.raises(ImportRefused):
        budget_import_apply(data=data, year=2021)
    assert stored(demo["202"]) == before
    return messages(preview.problems)


def test_a_target_sheet_without_its_header_is_refused(demo) -> None:
    data = with_cells(exported(demo["202"]), FIRST, A4=None, B4=None, C4=None, D4=None, E4=None, F4=None)
    assert refused(demo, data) == [
        "绩效目标表1：找不到表头（一级指标 | 二级指标 | 三级指标 | 绩效指标描述 | 指标值 | 指标值确定依据）"
    ]


def test_a_header_missing_a_column_is_refused(demo) -> None:
    data = with_cells(exported(demo["202"]), FIRST, E4="数值")
    assert refused(demo, data) == ["绩效目标表1!A4：表头缺少列“指标值”"]


def test_an_unknown_pair_of_level1_and_level2_is_refused(demo) -> None:
    data = with_cells(exported(demo["202"]), FIRST, B6="经济效益指标")
    assert refused(demo, data) == [
        "绩效目标表1!B6：“产出指标／经济效益指标”不在指标体系中：产出指标的二级指标为数量指标、质量指标、时效指标、成本指标"
    ]


def test_an_unknown_level1_is_refused_once_for_its_run(demo) -> None:
    data = with_cells(exported(demo["202"]), FIRST, A5="产出")  # the merged A5:A9
    assert refused(demo, data) == ["绩效目标表1!A5：一级指标“产出”不在指标体系中（应为产出指标、效益指标、满意度指标）"]


def test_an_empty_level3_is_refused(demo) -> None:
    data = with_cells(exported(demo["202"]), FIRST, C7=None)
    assert refused(demo, data) == ["绩效目标表1!C7：三级指标不能为空"]


def test_a_formula_in_a_target_sheet_is_refused_even_with_a_value(demo) -> None:
    data = with_cells(exported(demo["202"]), FIRST, E5="=1+0", D14='="人大代表"&"满意"')
    assert refused(demo, data) == [
        "绩效目标表1!E5：绩效目标不能使用公式：请改为文字",
        "绩效目标表1!D14：绩效目标不能使用公式：请改为文字",
    ]


def test_a_formula_in_the_goals_sheet_is_refused(demo) -> None:
    data = with_cells(exported(demo["202"]), "部门整体绩效目标", A4="=A1")
    assert refused(demo, data) == ["部门整体绩效目标!A4：绩效目标不能使用公式：请改为文字"]


def test_text_longer_than_the_stored_field_is_refused(demo) -> None:
    data = with_cells(exported(demo["202"]), FIRST, D5="长" * 501)
    assert refused(demo, data) == ["绩效目标表1!D5：绩效指标描述超过 500 字"]


def test_two_tables_of_one_project_are_refused(demo) -> None:
    data = with_cells(exported(demo["202"]), "绩效目标表2", A1="1、党代会经费绩效目标表")
    assert refused(demo, data) == ["绩效目标表2：项目“党代会经费”的绩效目标表重复（另见工作表“绩效目标表1”）"]


def test_the_layout_limits_are_the_stored_fields(demo) -> None:
    fields = {field.name: field for field in performance_models.Indicator._meta.get_fields()}
    assert [MAX_LENGTHS[key] for key in ("name", "description", "basis")] == [
        fields[key].max_length for key in ("name", "description", "basis")
    ]
    assert MAX_LENGTHS["value"] == fields["raw"].max_length
    assert MAX_LENGTHS["title"] == performance_models.SubGoal._meta.get_field("title").max_length
    assert MAX_LENGTHS["project"] == Project._meta.get_field("name").max_length
    assert [column.title for column in TARGET_COLUMNS] == TARGET_HEADER


# --- importing ---------------------------------------------------------------------------------------------------


def test_a_changed_indicator_is_previewed_per_table_and_imported(demo) -> None:
    data = with_cells(exported(demo["202"]), "绩效目标表3", E5="6 场")  # 会议接待费, 计划会议数量 5 场
    preview = budget_import_preview(data=data, year=2021)
    assert preview.ok, messages(preview.problems)
    assert preview.changes == []
    assert preview.target_changes == ["“会议接待费”绩效目标表：1 行指标有变化（原 9 行，现 9 行）"]
    assert not preview.unchanged
    budget_import_apply(data=data, year=2021)
    [table] = [table for table in stored(demo["202"]).targets if table.project == "会议接待费"]
    assert str(table.indicators[0].value) == "6 场"
    assert BudgetEvent.objects.filter(budget=demo["202"], action="targets").exists()
    assert budget_import_preview(data=data, year=2021).unchanged


def test_the_preview_page_lists_the_target_changes(demo, login) -> None:
    client = login("acc202")
    data = with_cells(exported(demo["202"]), "绩效目标表3", E5="6 场")
    upload = io.BytesIO(data)
    upload.name = "202.xlsx"
    response = client.post(reverse("budget_import", args=[2021, "202"]), {"workbook": upload})
    assert response.status_code == 200
    assert "“会议接待费”绩效目标表：1 行指标有变化（原 9 行，现 9 行）" in response.content.decode()


def test_a_workbook_without_target_sheets_leaves_the_stored_targets_alone(demo) -> None:
    data = exported(demo["202"])
    fewer = replace(CORRECTED, targets=CORRECTED.targets[:1])
    budget_replace_performance(budget=demo["202"], performance=fewer)
    without = without_sheets(data, *TARGET_SHEETS)
    preview = budget_import_preview(data=without, year=2021)
    assert (preview.performance, preview.target_changes, preview.unchanged) == (None, [], True)
    budget_import_apply(data=without, year=2021)
    assert stored(demo["202"]) == fewer

    # The full export brings the other eleven tables back.
    preview = budget_import_preview(data=data, year=2021)
    assert preview.target_changes == [
        f"新增“{table.project}”绩效目标表：{len(table.indicators)} 行指标" for table in CORRECTED.targets[1:]
    ]
    budget_import_apply(data=data, year=2021)
    assert canonical(stored(demo["202"])) == canonical(CORRECTED)


def test_target_tables_without_the_goals_sheet_keep_the_stored_goals(demo) -> None:
    data = without_sheets(exported(demo["202"]), "部门整体绩效目标")
    goals = replace(CORRECTED.goals, overall="新的总体绩效目标。")
    budget_replace_performance(budget=demo["202"], performance=replace(CORRECTED, goals=goals))
    preview = budget_import_preview(data=data, year=2021)
    assert preview.unchanged
    assert preview.performance.goals == goals


def test_a_changed_goal_text_is_previewed(demo) -> None:
    data = with_cells(exported(demo["202"]), "部门整体绩效目标", A4="（一）改写的第一段。")
    preview = budget_import_preview(data=data, year=2021)
    assert preview.target_changes == ["部门整体绩效目标：总体绩效目标有变化"]
    budget_import_apply(data=data, year=2021)
    assert stored(demo["202"]).goals.overall.startswith("（一）改写的第一段。\n（二）搞好协调服务")


def test_a_table_of_a_project_the_budget_lacks_registers_the_project(demo) -> None:
    data = with_cells(exported(demo["202"]), "绩效目标表12", A1="12、新建项目绩效目标表")
    preview = budget_import_preview(data=data, year=2021)
    assert preview.ok, messages(preview.problems)
    assert preview.target_changes == [
        "新增“新建项目”绩效目标表：9 行指标",
        "删除“三创四建活动经费”绩效目标表：原 9 行指标",
    ]
    budget_import_apply(data=data, year=2021)
    assert stored(demo["202"]).targets[-1].project == "新建项目"
    project = Project.objects.get(budget=demo["202"], name="新建项目")
    assert not project.lines.exists()


def test_an_import_that_errs_on_a_rule_is_refused(demo) -> None:
    """The rules' errors refuse an import, the targets' as the figures': here P05 (≤ on a satisfaction)."""
    data = with_cells(exported(demo["202"]), FIRST, E14="≤98%")
    problems = refused(demo, data)
    assert problems == [
        "绩效目标表｜党代会经费｜第10行 人大代表满意度｜指标值：P05 满意度指标值“≤98%”的比较符方向错误，应为“≥”。"
    ]


# --- checking a workbook -----------------------------------------------------------------------------------------


def test_check_budget_runs_the_target_rules_on_a_file(demo, tmp_path, capsys) -> None:
    buffer = io.BytesIO()
    write_workbook(buffer, replace(budget_data(demo["202"]), performance=AS_PUBLISHED))
    path = tmp_path / "as_published.xlsx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(CommandError, match="6 处错误"):
        call_command("check_budget", str(path))
    out = capsys.readouterr().out
    place = "绩效目标表｜省委视联网视频调度系统｜第8行 满意率｜指标值"
    assert f"P06 错误 {place} 满意度指标值“≥985”不是有效的百分比（如“≥95%”）。" in out
    assert "P09 警告 部门整体绩效目标｜分项绩效目标1 党代会经费 “2020年1月份”不在2021年度内。" in out
    assert "P01" not in out
    assert "P10" not in out


def test_the_check_page_lists_the_target_violations(demo, login) -> None:
    buffer = io.BytesIO()
    write_workbook(buffer, replace(budget_data(demo["202"]), performance=AS_PUBLISHED))
    upload = io.BytesIO(buffer.getvalue())
    upload.name = "as_published.xlsx"
    response = login("acc202").post(reverse("workbook_check"), {"workbook": upload})
    assert response.status_code == 200
    assert "绩效目标表｜宣传推介费｜第4行 宣传活动次数｜指标值" in response.content.decode()


# --- the page ----------------------------------------------------------------------------------------------------


def test_the_targets_page_answers_get_only(demo, login) -> None:
    client = login("acc202")
    url = reverse("budget_targets", args=[2021, "202"])
    assert client.post(url).status_code == 405
    assert client.get(reverse("budget_targets", args=[2021, "318"])).status_code == 404


def test_the_budget_page_links_to_the_targets_page(demo, login) -> None:
    response = login("acc202").get(reverse("budget_detail", args=[2021, "202"]))
    assert f'href="{reverse("budget_targets", args=[2021, "202"])}"' in response.content.decode()


def test_the_targets_page_of_a_budget_without_targets(demo, login) -> None:
    budget_replace_performance(budget=demo["202"], performance=Performance())
    response = login("acc202").get(reverse("budget_targets", args=[2021, "202"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "尚无项目绩效目标表" in html
    assert "尚未填写部门整体绩效目标" in html
