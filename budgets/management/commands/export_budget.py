from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from budgets.domain.money import DisplayUnit
from budgets.models import Budget
from budgets.official.workbook import write_workbook
from budgets.selectors import budget_data


class Command(BaseCommand):
    help = "Write the official workbook (xlsx) of one department's budget for a year."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--department", required=True, help="department code, e.g. 202")
        parser.add_argument("-o", "--output", type=Path, required=True, help="the .xlsx file to write")
        parser.add_argument("--unit", choices=[unit.value for unit in DisplayUnit], default=DisplayUnit.WAN.value)

    def handle(self, *args, year: int, department: str, output: Path, unit: str, **options) -> None:
        budget = Budget.objects.select_related("department").filter(year_id=year, department__code=department).first()
        if budget is None:
            raise CommandError(f"没有部门 {department} 的 {year} 年预算。")
        data = budget_data(budget)
        try:
            with output.open("wb") as file:
                write_workbook(file, data, DisplayUnit(unit))
        except OSError as error:
            raise CommandError(f"无法写入 {output}：{error}") from error
        self.stdout.write(self.style.SUCCESS(f"已导出 {data.department_line} {year} 年部门预算公开表：{output}"))
