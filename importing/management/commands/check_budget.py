from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.verdict import budget_violations
from budgets.models import Budget
from domain.audit.model import Severity, Violation
from importing.check import workbook_check
from importing.management.files import workbook_bytes
from official.xlsx_reader import Problem


class Command(BaseCommand):
    help = (
        "Run the audit rules (审核规则) on a stored budget (--year --department), or check a workbook file as an "
        "import of it would (every problem it would refuse the file for, at the same cells); one line each: "
        "id severity place message. Exits 1 when there are errors. Never writes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="an official workbook or 录入模板 (.xlsx) to check")
        parser.add_argument("--year", type=int, help="with a file: the budget year (default: the one it names)")
        parser.add_argument("--department", help="department code, e.g. 202")
        parser.add_argument(
            "--edition", help="with a file: the template edition it is in (manage.py editions); told from its titles"
        )

    def handle(
        self,
        *args,
        file: Path | None,
        year: int | None,
        department: str | None,
        edition: str | None = None,
        **options,
    ) -> None:
        problems: list[Problem] = []
        notices: list[Problem] = []
        if file is not None:
            data = workbook_bytes(file)
            check = workbook_check(data, year=year, department_code=department, edition=edition)
            problems, violations, notices = check.problems, check.violations, check.notices
            if check.edition is not None:
                self.stdout.write(f"版式：{check.edition.key}（{check.edition.name}）")
        elif year is not None and department:
            budget = (
                Budget.objects.select_related("department").filter(year_id=year, department__code=department).first()
            )
            if budget is None:
                raise CommandError(f"没有部门 {department} 的 {year} 年预算。")
            violations = budget_violations(budget)  # the verdict the budget page shows
        else:
            raise CommandError("请给出工作簿文件，或 --year 和 --department。")
        for problem in problems:
            self.stdout.write(f"导入 错误 {problem.place or '文件'} {problem.message}")
        for violation in violations:
            self.stdout.write(str(violation))
        for notice in notices:
            self.stdout.write(f"导入 提示 {notice.place or '文件'} {notice.message}")
        errors = len(problems) + sum(1 for violation in violations if violation.severity is Severity.ERROR)
        self.stdout.write(self._summary(violations, errors, len(notices)))
        if errors:
            raise CommandError(f"有 {errors} 处错误。")

    @staticmethod
    def _summary(violations: list[Violation], errors: int, notices: int) -> str:
        warnings = sum(1 for violation in violations if violation.severity is Severity.WARNING)
        notices += sum(1 for violation in violations if violation.severity is Severity.NOTICE)
        return f"错误 {errors} 处，警告 {warnings} 处，提示 {notices} 处。"
