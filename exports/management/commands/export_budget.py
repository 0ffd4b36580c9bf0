from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from budgets.models import Budget
from budgets.selectors import budget_data
from disclosure.selectors import prose_inputs
from domain.money import DisplayUnit
from domain.unit_budget import unit_budget as unit_part
from domain.unit_budget import unit_names
from exports.services import replacing, write_year_zip
from official.edition import Edition, editions, unit_edition_of
from official.workbook import write_workbook

PROGRESS_WIDTH = 30
PROGRESS_LABEL = 16  # characters of the department line shown next to the bar


class Command(BaseCommand):
    help = (
        "Write the official workbook (xlsx) of one department's budget for a year, "
        "or with --all the workbooks of every department of the year as one zip."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--department", help="department code, e.g. 202")
        which.add_argument(
            "--all", dest="all_departments", action="store_true", help="every department of the year, as one zip"
        )
        parser.add_argument(
            "-o", "--output", type=Path, required=True, help="the .xlsx file to write (with --all: the .zip)"
        )
        parser.add_argument("--unit", choices=[unit.value for unit in DisplayUnit], default=DisplayUnit.WAN.value)
        parser.add_argument(
            "--edition", choices=list(editions()), help="the official template to print in (default: the year's)"
        )
        parser.add_argument(
            "--unit-budget",
            metavar="UNIT",
            help="the 单位预算 of this unit of the department (its name), in the 单位 variant of the edition",
        )

    def handle(
        self,
        *args,
        year: int,
        department: str | None,
        all_departments: bool,
        output: Path,
        unit: str,
        edition: str | None,
        unit_budget: str | None,
        **options,
    ) -> None:
        layouts = editions()[edition].for_year(year) if edition else None
        if layouts is not None and layouts.level == "单位" and not unit_budget:
            raise CommandError(f"版式 {edition} 是单位预算表：请用 --unit-budget 指定单位。")
        if all_departments:
            if unit_budget:
                raise CommandError("--unit-budget 只用于一个部门（--department）。")
            self._export_year(year, output, DisplayUnit(unit), layouts)
            return
        budgets = Budget.objects.select_related("department", "year")
        budget = budgets.filter(year_id=year, department__code=department).first()
        if budget is None:
            raise CommandError(f"没有部门 {department} 的 {year} 年预算。")
        data = budget_data(budget)
        layouts = layouts or budget.year.layouts
        what = "部门预算公开表"
        texts = prose_inputs(budget, layouts)  # the department's words; a unit has none of its own yet
        if unit_budget:
            variant = layouts if layouts.level == "单位" else unit_edition_of(layouts)
            if variant is None:
                raise CommandError(f"版式 {layouts.key} 没有单位预算表（可用 --edition 指定有单位版式的版式）。")
            if unit_budget not in unit_names(data):
                raise CommandError(f"部门 {department} 没有单位“{unit_budget}”（有：{'、'.join(unit_names(data))}）。")
            data, layouts, what, texts = unit_part(data, unit_budget), variant, "单位预算公开表", None
        try:
            with output.open("wb") as file:
                write_workbook(file, data, DisplayUnit(unit), layouts, texts)
        except OSError as error:
            raise CommandError(f"无法写入 {output}：{error}") from error
        self.stdout.write(self.style.SUCCESS(f"已导出 {data.department_line} {year} 年{what}：{output}"))

    def _export_year(self, year: int, output: Path, unit: DisplayUnit, layouts: Edition | None) -> None:
        if not Budget.objects.filter(year_id=year).exists():
            raise CommandError(f"没有 {year} 年的部门预算。")
        try:
            with replacing(output) as file:
                total = write_year_zip(year, file, self._show_progress, unit, layouts)
        except OSError as error:
            raise CommandError(f"无法写入 {output}：{error}") from error
        finally:
            if self.stderr.isatty():
                self.stderr.write("", style_func=str)  # end the redrawn progress line
        self.stdout.write(self.style.SUCCESS(f"已导出 {year} 年全部 {total} 个部门的部门预算公开表：{output}"))

    def _show_progress(self, done: int, total: int, department_line: str) -> None:
        filled = PROGRESS_WIDTH * done // total if total else PROGRESS_WIDTH
        if len(department_line) > PROGRESS_LABEL:
            department_line = department_line[: PROGRESS_LABEL - 1] + "…"
        line = f"[{'#' * filled}{'.' * (PROGRESS_WIDTH - filled)}] {done}/{total} {department_line}".rstrip()
        if self.stderr.isatty():
            # Redraw one line in place (\r, then clear to its end) instead of printing one line per department.
            self.stderr.write(f"\r{line}\x1b[K", style_func=str, ending="")
        else:
            self.stderr.write(line, style_func=str)
