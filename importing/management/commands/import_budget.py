from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from budgets.access import may_import_as
from departments.models import Unit
from importing.management.files import workbook_bytes
from importing.services import ImportPreview, ImportRefused, budget_import_apply, budget_import_preview

MAX_LISTED = 200


def _administrator(username: str) -> User:
    actor = User.objects.filter(username=username, is_active=True).first()
    if not may_import_as(actor):
        raise CommandError(f"用户 {username} 不存在、已停用或不是系统管理员。")
    return actor


def _unit(department: str | None, name: str) -> Unit:
    if not department:
        raise CommandError("--unit 需要同时指定 --department。")
    unit = Unit.objects.filter(department__code=department, name=name).first()
    if unit is None:
        names = Unit.objects.filter(department__code=department).order_by("position", "id")
        listed = "、".join(names.values_list("name", flat=True)) or "无"
        raise CommandError(f"部门 {department} 没有单位“{name}”（有：{listed}）。")
    return unit


class Command(BaseCommand):
    help = "Import an official workbook (xlsx) of a department budget: check every cell, then replace the figures."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--department", help="department code; read from the workbook's department line if omitted")
        parser.add_argument("--create-department", action="store_true", help="create the department if it is missing")
        parser.add_argument("--dry-run", action="store_true", help="check and show the changes, write nothing")
        parser.add_argument(
            "--user", help="username of the administrator responsible, recorded in the budget's audit trail"
        )
        parser.add_argument(
            "--unit",
            help="a unit's name: import that unit's 录入模板 or 单位预算 workbook into its part only, refusing a file "
            "that changes anything else (needs --department)",
        )
        parser.add_argument(
            "--edition",
            help="the template edition the file is in (manage.py editions); told from its titles if omitted",
        )

    def handle(
        self,
        *args,
        file: Path,
        year: int,
        department: str | None,
        create_department: bool,
        dry_run: bool,
        user: str | None = None,
        edition: str | None = None,
        unit: str | None = None,
        **options,
    ) -> None:
        actor = _administrator(user) if user else None
        scope = _unit(department, unit) if unit else None
        data = workbook_bytes(file)
        if dry_run:
            preview = budget_import_preview(
                data=data, year=year, department_code=department, edition=edition, unit=unit or ""
            )
            self._report(preview)
            if not preview.ok:
                raise CommandError(f"{file} 有 {len(preview.problems)} 处问题，未导入。")
            self.stdout.write("（试运行，未写入任何数据）")
            return
        try:
            preview = budget_import_apply(
                data=data,
                year=year,
                department_code=department,
                create_department=create_department,
                actor=actor,
                edition=edition,
                unit=scope,
            )
        except ImportRefused as refused:
            self._report(refused.preview)
            raise CommandError(f"{file} 有 {len(refused.preview.problems)} 处问题，未导入。") from refused
        self._report(preview)
        if not preview.unchanged:
            where = f"{preview.department_code} {preview.department_name}"
            self.stdout.write(self.style.SUCCESS(f"已导入 {where} {year} 年{_what(preview)}。"))

    def _report(self, preview: ImportPreview) -> None:
        if preview.edition is not None:
            self.stdout.write(f"版式：{preview.edition.key}（{preview.edition.name}）")
        if preview.unit:
            self.stdout.write(f"单位预算：{preview.unit}（只替换该单位的数字，其他单位不变）")
        for problem in preview.problems[:MAX_LISTED]:
            self.stderr.write(f"  {problem}")
        if len(preview.problems) > MAX_LISTED:
            self.stderr.write(f"  ……另有 {len(preview.problems) - MAX_LISTED} 处问题")
        if not preview.ok:
            return
        for violation in preview.violations[:MAX_LISTED]:
            self.stdout.write(f"  {violation}")
        for notice in preview.notices[:MAX_LISTED]:
            self.stdout.write(f"  提示 {notice}")
        if preview.unchanged:
            self.stdout.write("与已存预算相同：没有变化。")
            return
        if not preview.budget_exists:
            where = f"{preview.department_code} {preview.department_name} {preview.year} 年预算"
            self.stdout.write(f"将新建 {where}（{len(preview.lines)} 条明细）。")
        for words in preview.structure:
            self.stdout.write(f"  结构｜{words}")
        self.stdout.write(f"预算明细的变化 {len(preview.figure_changes)} 条（元）：")
        for change in preview.figure_changes[:MAX_LISTED]:
            old, new = (value if value is not None else "—" for value in (change.old, change.new))
            self.stdout.write(f"  {change.place}：{old} → {new}")
        for title, rows in (
            ("单位构成", preview.unit_changes),
            ("政府采购和固定资产", preview.text_changes),
            ("绩效目标", preview.target_text_changes),
        ):
            for place, old, new in rows[:MAX_LISTED]:
                self.stdout.write(f"  {title}｜{place}：{old or '—'} → {new or '—'}")
        for violation in preview.audit_appearing[:MAX_LISTED]:
            self.stdout.write(f"  导入后将出现：{violation}")
        for violation in preview.audit_going[:MAX_LISTED]:
            self.stdout.write(f"  导入后将消除：{violation}")
        tables: dict[str, int] = {}
        for change in preview.changes:
            tables[change.table] = tables.get(change.table, 0) + 1
        for table, count in tables.items():
            self.stdout.write(f"  由此引起：{table} {count} 处")


def _what(preview: ImportPreview) -> str:
    return f"单位预算（{preview.unit}）" if preview.unit else "部门预算"
