"""Checking a workbook (检查工作簿, ``check_budget FILE``): every problem an import of it would meet, at the same
cells and in the same words, because it is the import's own preview (budget_import_preview), run without writing
and whatever the state of the budget the file belongs to."""

from dataclasses import dataclass, field

from domain.audit.model import Severity, Violation
from importing.services import budget_import_preview, rule_problem
from official.audit import ordered
from official.edition import Edition
from official.xlsx_reader import Problem


@dataclass
class WorkbookCheck:
    problems: list[Problem] = field(default_factory=list)  # what refuses an import besides the rules' errors
    violations: list[Violation] = field(default_factory=list)  # every finding of the rules on the file
    notices: list[Problem] = field(default_factory=list)  # 尾差 an import absorbs, hidden sheets and rows
    edition: Edition | None = None  # the edition an official workbook was read in
    template: bool = False  # the file is a 录入模板
    year: int | None = None
    department: str = ""  # "202 中共石家庄市鹿泉区委办公室", as far as the file says

    @property
    def read(self) -> bool:
        """Whether the file could be read as an official workbook (in some edition) or a 录入模板 at all."""
        return self.edition is not None or self.template

    @property
    def errors(self) -> int:
        return len(self.problems) + sum(violation.severity is Severity.ERROR for violation in self.violations)


def workbook_check(
    data: bytes, *, year: int | None = None, department_code: str | None = None, edition: str | None = None
) -> WorkbookCheck:
    """The verdict on a workbook; never writes. ``year`` None: the year its tables name."""
    preview = budget_import_preview(
        data=data, year=year, department_code=department_code, edition=edition, checking=True
    )
    from_rules = {rule_problem(violation) for violation in preview.file_errors}
    return WorkbookCheck(
        problems=[problem for problem in preview.problems if problem not in from_rules],
        violations=ordered([*preview.file_errors, *preview.violations]),
        notices=preview.notices,
        edition=preview.edition,
        template=preview.template,
        year=preview.year or None,
        department=" ".join(part for part in (preview.department_code, preview.department_name) if part),
    )
