"""The budget ledger: one Budget per department and year, and its figures, each stored once.

Every official table is derived from BudgetLine rows (see domain.tables and docs/design.md).
"""

from decimal import Decimal
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from catalog.models import BudgetYear, EconomicCode, FunctionCode
from departments.models import Department, Unit
from domain.classifications import FISCAL_KINDS, FISCAL_SOURCES, Kind, Source
from domain.unit_parts import PartState
from domain.workflow import EDITABLE_STATES, TRANSITIONS, BudgetRound, BudgetState


class Budget(models.Model):
    department = models.ForeignKey(Department, verbose_name="部门", on_delete=models.PROTECT, related_name="budgets")
    year = models.ForeignKey(BudgetYear, verbose_name="预算年度", on_delete=models.PROTECT, related_name="budgets")
    state = models.CharField("状态", max_length=20, choices=BudgetState.choices, default=BudgetState.DRAFT)
    round = models.PositiveSmallIntegerField("轮次", choices=BudgetRound.choices, default=BudgetRound.PROPOSAL)
    version = models.PositiveSmallIntegerField(
        "版本", default=1, help_text="每次预算调整加一；已批复的版本另存，永久可查。"
    )
    # Optimistic locking: every write of the budget bumps it; a write based on an older revision is refused.
    revision = models.PositiveIntegerField("修订号", default=0, editable=False)
    submitted_at = models.DateTimeField("最近提交时间", null=True, blank=True, editable=False)
    # The audit rules' verdict as of the last write, so that listings of many budgets need not run them.
    errors_open = models.PositiveIntegerField("错误数", default=0, editable=False)
    warnings_open = models.PositiveIntegerField("警告数", default=0, editable=False)
    # Every violation as of the last write (audit.verdict.violations_to_json), so that the budget page need not
    # run the rules on each view; None until the first write after this field came (the page then runs them).
    violations = models.JSONField("审核结果", null=True, blank=True, editable=False)
    # The totals listings show, in yuan, stored by every write (budgets.services.locking.budget_touch) so that a
    # listing of many budgets need not sum their lines: all lines, and this year's fiscal appropriation (the
    # spending control figures limit: fiscal sources, not carried over).
    # For the dashboard: how often the bureau returned it, and since when it is in its state (budget_transition).
    returns = models.PositiveSmallIntegerField("退回次数", default=0, editable=False)
    state_since = models.DateTimeField("进入当前状态的时间", default=timezone.now, editable=False)
    # Kept by budgets.services.review, for the budget page and the dashboard: open comment threads, and the
    # 审核数 carried to the department that it has not answered yet.
    comments_open = models.PositiveIntegerField("未解决批注", default=0, editable=False)
    reviews_pending = models.PositiveIntegerField("待答复审核数", default=0, editable=False)
    spending = models.DecimalField("支出合计（元）", max_digits=20, decimal_places=2, default=0, editable=False)
    fiscal_spending = models.DecimalField(
        "财政拨款支出（元）", max_digits=20, decimal_places=2, default=0, editable=False
    )
    duties = models.TextField("部门职责", blank=True)
    assets_as_of = models.DateField(
        "固定资产截止时间", null=True, blank=True, help_text="部门固定资产占用情况表的截止时间；留空时为上年12月31日。"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "部门预算"
        verbose_name_plural = "部门预算"
        ordering = ["-year", "department__code"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="one_budget_per_department_and_year"),
        ]

    def __str__(self) -> str:
        return f"{self.year_id}年 {self.department}"


class Project(models.Model):
    """A project (预算项目): its expenditure lines are the 项目支出; its performance targets hang off it."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="projects")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="projects")
    name = models.CharField("项目名称", max_length=200)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "预算项目"
        verbose_name_plural = "预算项目"
        ordering = ["budget", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["budget", "name"], name="unique_project_name_per_budget"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.unit_id and self.budget_id and self.unit.department_id != self.budget.department_id:
            raise ValidationError({"unit": "项目所属单位必须是本部门的单位。"})


class BudgetLine(models.Model):
    """One figure in yuan: a unit's amount for a functional 项, an economic 款, a kind and a source."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="lines")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="lines")
    function = models.ForeignKey(
        FunctionCode, verbose_name="功能分类科目", on_delete=models.PROTECT, related_name="lines"
    )
    economic = models.ForeignKey(
        EconomicCode, verbose_name="经济分类科目", on_delete=models.PROTECT, related_name="lines"
    )
    kind = models.CharField("支出类型", max_length=10, choices=Kind.choices)
    source = models.CharField("资金来源", max_length=10, choices=Source.choices)
    carried_over = models.BooleanField("上年结转", default=False)
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.RESTRICT, null=True, blank=True, related_name="lines"
    )
    amount = models.DecimalField("金额（元）", max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = "预算明细"
        verbose_name_plural = "预算明细"
        ordering = ["budget", "function__code", "economic__code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0), name="line_amount_not_negative", violation_error_message="金额不能为负数。"
            ),
            models.CheckConstraint(
                condition=~Q(source__in=[s.value for s in FISCAL_SOURCES])
                | Q(kind__in=[k.value for k in FISCAL_KINDS]),
                name="fiscal_funds_basic_or_project",
                violation_error_message="财政拨款资金只能用于基本支出或项目支出。",
            ),
            models.CheckConstraint(
                condition=Q(kind=Kind.PROJECT, project__isnull=False)
                | (~Q(kind=Kind.PROJECT) & Q(project__isnull=True)),
                name="project_lines_name_their_project",
                violation_error_message="项目支出必须指定项目，其他支出不能指定项目。",
            ),
            models.UniqueConstraint(
                fields=["budget", "unit", "function", "economic", "kind", "source", "carried_over"],
                condition=Q(project__isnull=True),
                name="one_line_per_cell",
            ),
            models.UniqueConstraint(
                fields=["budget", "project", "function", "economic", "source", "carried_over"],
                condition=Q(project__isnull=False),
                name="one_project_line_per_cell",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.function_id} {self.economic_id} {self.get_kind_display()} {self.amount}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.function_id and self.function.level != FunctionCode.LEAF_LEVEL:
            errors["function"] = "功能分类科目必须选到项级（7位）。"
        if self.economic_id and self.economic.level != EconomicCode.LEAF_LEVEL:
            errors["economic"] = "经济分类科目必须选到款级（5位）。"
        if self.budget_id:
            year = self.budget.year_id
            if self.function_id and self.function.year_id != year:
                errors["function"] = f"功能分类科目必须取自{year}年度科目表。"
            if self.economic_id and self.economic.year_id != year:
                errors["economic"] = f"经济分类科目必须取自{year}年度科目表。"
            if self.unit_id and self.unit.department_id != self.budget.department_id:
                errors["unit"] = "单位必须是本部门的单位。"
            if self.project is not None and self.project.budget_id != self.budget_id:
                errors["project"] = "项目必须属于本部门预算。"
        if self.project is not None and self.unit_id and self.project.unit_id != self.unit_id:
            errors["unit"] = "项目支出的单位必须是项目所属单位。"
        if self.budget_id and self.budget.state not in EDITABLE_STATES:
            errors["budget"] = "预算已提交或已批复，数字不能修改。"
        if errors:
            raise ValidationError(errors)


def _not_negative(field: str, name: str, label: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0}), name=name, violation_error_message=f"{label}不能为负数。"
    )


class ProcurementItem(models.Model):
    """One line of 部门政府采购预算: an item to buy, the project it comes from, and its amount by fund type.

    The project's 预算资金 is not stored: it is the sum of the project's lines.
    """

    budget = models.ForeignKey(
        Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="procurement_items"
    )
    project = models.ForeignKey(
        Project,
        verbose_name="政府采购项目来源",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="procurement_items",
    )
    item_name = models.CharField("采购物品名称", max_length=200)
    catalogue_number = models.CharField("政府采购目录序号", max_length=50, blank=True)
    measure_unit = models.CharField("计量单位", max_length=20, blank=True)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2, default=0)
    unit_price = models.DecimalField("单价（元）", max_digits=16, decimal_places=2, default=0)
    general = models.DecimalField("一般公共预算拨款（元）", max_digits=16, decimal_places=2, default=0)
    govfund = models.DecimalField("基金预算拨款（元）", max_digits=16, decimal_places=2, default=0)
    statecap = models.DecimalField("国有资本经营预算拨款（元）", max_digits=16, decimal_places=2, default=0)
    special_account = models.DecimalField("财政专户核拨（元）", max_digits=16, decimal_places=2, default=0)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "政府采购预算"
        verbose_name_plural = "政府采购预算"
        ordering = ["budget", "position", "id"]
        constraints = [
            _not_negative("quantity", "procurement_quantity_not_negative", "数量"),
            _not_negative("unit_price", "procurement_unit_price_not_negative", "单价"),
            _not_negative("general", "procurement_general_not_negative", "一般公共预算拨款"),
            _not_negative("govfund", "procurement_govfund_not_negative", "基金预算拨款"),
            _not_negative("statecap", "procurement_statecap_not_negative", "国有资本经营预算拨款"),
            _not_negative("special_account", "procurement_special_not_negative", "财政专户核拨"),
        ]

    def __str__(self) -> str:
        return self.item_name

    def clean(self) -> None:
        if self.project is not None and self.budget_id and self.project.budget_id != self.budget_id:
            raise ValidationError({"project": "政府采购项目来源必须是本部门预算的项目。"})


class FixedAsset(models.Model):
    """One line of 部门固定资产占用情况表 (e.g. 房屋, 车辆, 办公设备), its value in yuan."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="fixed_assets")
    # The unit that holds it (and enters it, where it has its own accountant); none: the department's own entry.
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, null=True, blank=True, related_name="fixed_assets"
    )
    item = models.CharField("项目", max_length=100)
    quantity = models.DecimalField("数量", max_digits=12, decimal_places=2, default=0)
    value_yuan = models.DecimalField("价值（元）", max_digits=16, decimal_places=2, default=0)
    position = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "固定资产占用"
        verbose_name_plural = "固定资产占用"
        ordering = ["budget", "position", "id"]
        constraints = [
            _not_negative("quantity", "asset_quantity_not_negative", "数量"),
            _not_negative("value_yuan", "asset_value_not_negative", "价值"),
        ]

    def __str__(self) -> str:
        return self.item

    def clean(self) -> None:
        if self.unit is not None and self.budget_id and self.unit.department_id != self.budget.department_id:
            raise ValidationError({"unit": "资产所属单位必须是本部门的单位。"})


EVENT_LABELS = {
    "figures": "修改数字",
    "supplementary": "修改政府采购和固定资产",
    "duties": "修改部门职责",
    "control": "设置控制数",
    "admin": "在管理后台修改",
    "targets": "修改绩效目标",
    "explanation": "修改情况说明",
    "publish": "发布公开",
    "units": "修改单位",
    "projects": "修改项目",
    "rollover": "新建预算",
    "remind": "催报",
    "review": "填写审核数",
    "review_answer": "答复审核数",
    "comment": "批注",
    "unit_report": "单位报送部门",
    "unit_accept": "部门审核通过单位预算",
    "unit_return": "部门退回单位预算",
}


class SubmissionDeadline(models.Model):
    """The day by which the departments submit a year's budgets in one round (一上 or 二上), set by the bureau."""

    year = models.ForeignKey(BudgetYear, verbose_name="预算年度", on_delete=models.CASCADE, related_name="deadlines")
    round = models.PositiveSmallIntegerField("轮次", choices=BudgetRound.choices)
    due = models.DateField("截止日期")
    set_by = models.ForeignKey(
        "accounts.User", verbose_name="设置人", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    set_at = models.DateTimeField("设置时间", auto_now=True)

    class Meta:
        verbose_name = "报送截止日期"
        verbose_name_plural = "报送截止日期"
        ordering = ["-year", "round"]
        constraints = [models.UniqueConstraint(fields=["year", "round"], name="one_deadline_per_year_and_round")]

    def __str__(self) -> str:
        return f"{self.year_id}年{BudgetRound(self.round).label}：{self.due:%Y-%m-%d}"


class BudgetEvent(models.Model):
    """One entry of a budget's audit trail: a transition or a change of figures. Never changed, never deleted."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        "accounts.User", verbose_name="操作人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField("操作", max_length=30)
    from_state = models.CharField("原状态", max_length=20, blank=True)
    to_state = models.CharField("新状态", max_length=20, blank=True)
    comment = models.TextField("意见或说明", blank=True)
    data = models.JSONField("详情", default=dict, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "预算操作记录"
        verbose_name_plural = "预算操作记录"
        ordering = ["budget", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.summary}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("预算操作记录只能追加，不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("预算操作记录只能追加，不能删除。")

    @property
    def summary(self) -> str:
        transition = TRANSITIONS.get(self.action)
        label = transition.label if transition else EVENT_LABELS.get(self.action, self.action)
        if self.to_state:
            return f"{label}（{BudgetState(self.from_state).label} → {BudgetState(self.to_state).label}）"
        return label

    @property
    def changes(self) -> list[list[str]]:
        """[place, old, new] for each figure this event changed (as far as it was recorded)."""
        return self.data.get("changes", []) if isinstance(self.data, dict) else []


class ControlFigures(models.Model):
    """The control figures (控制数) the finance bureau issues to a department for a year; see domain.control."""

    budget = models.OneToOneField(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="control")
    total = models.DecimalField("财政拨款支出合计（元）", max_digits=16, decimal_places=2)
    basic = models.DecimalField("基本支出（元）", max_digits=16, decimal_places=2)
    project = models.DecimalField("项目支出（元）", max_digits=16, decimal_places=2)
    three_public = models.DecimalField("“三公”经费（元）", max_digits=16, decimal_places=2)
    issued_by = models.ForeignKey(
        "accounts.User", verbose_name="下达人", on_delete=models.PROTECT, related_name="+", null=True
    )
    issued_at = models.DateTimeField("下达时间", auto_now=True)
    # Each change after the first is a new issue (调整控制数), numbered, and the department is told.
    issue = models.PositiveSmallIntegerField("下达次数", default=1, editable=False)

    class Meta:
        verbose_name = "控制数"
        verbose_name_plural = "控制数"
        constraints = [
            _not_negative(field, f"control_{field}_not_negative", label)
            for field, label in (
                ("total", "合计"),
                ("basic", "基本支出"),
                ("project", "项目支出"),
                ("three_public", "三公"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.budget} 控制数"

    def limits(self) -> dict[str, Decimal]:
        return {"total": self.total, "basic": self.basic, "project": self.project, "three_public": self.three_public}


class SnapshotKind(models.TextChoices):
    RETURNED = "returned", "退回时"
    APPROVED = "approved", "批复时"


class BudgetSnapshot(models.Model):
    """The whole budget as plain data at a moment that matters: when it was returned (what changed since?) and
    when it was approved (the approved version, readable forever). Never changed, never deleted."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.PROTECT, related_name="snapshots")
    kind = models.CharField("类型", max_length=20, choices=SnapshotKind.choices)
    version = models.PositiveSmallIntegerField("版本")
    event = models.OneToOneField(
        BudgetEvent, verbose_name="操作记录", on_delete=models.PROTECT, related_name="snapshot"
    )
    data = models.JSONField("预算数据")
    created_at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        verbose_name = "预算快照"
        verbose_name_plural = "预算快照"
        ordering = ["budget", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["budget", "version"],
                condition=Q(kind="approved"),
                name="one_approved_snapshot_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.budget} 第{self.version}版（{self.get_kind_display()}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("预算快照不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ValueError("预算快照不能删除。")


class WarningExplanation(models.Model):
    """The department's written explanation of one warning of the audit rules (rule and place): a budget with
    warnings is submitted only once each is explained."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="explanations")
    rule = models.CharField("规则", max_length=10)
    place = models.CharField("位置", max_length=300)
    text = models.TextField("说明", max_length=2000)
    author = models.ForeignKey("accounts.User", verbose_name="说明人", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("时间", auto_now=True)

    class Meta:
        verbose_name = "警告说明"
        verbose_name_plural = "警告说明"
        constraints = [
            models.UniqueConstraint(fields=["budget", "rule", "place"], name="one_explanation_per_warning"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} {self.place}：{self.text}"


class Notification(models.Model):
    """A message for one user about one budget (returned, approved, control figures issued)."""

    user = models.ForeignKey(
        "accounts.User", verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="notifications")
    message = models.TextField("内容")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = "通知"
        verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.message


class ReviewAnswer(models.TextChoices):
    PENDING = "pending", "待答复"
    ACCEPTED = "accepted", "已接受审核数"
    KEPT = "kept", "保留申报数"


class ReviewFigure(models.Model):
    """The bureau's 审核数 for one project or one basic-expenditure economic 款 (domain.review), beside the 申报数
    it was recorded against, and the department's answer. The department sees it once a return or the issue of
    control figures carries it (``carried_at``); the trail keeps every change."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="reviews")
    project = models.ForeignKey(
        Project, verbose_name="项目", on_delete=models.CASCADE, null=True, blank=True, related_name="reviews"
    )
    economic = models.ForeignKey(
        EconomicCode, verbose_name="经济分类款", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    requested = models.DecimalField("申报数（元）", max_digits=16, decimal_places=2)
    reviewed = models.DecimalField("审核数（元）", max_digits=16, decimal_places=2)
    reason = models.TextField("审核理由", max_length=2000, blank=True)
    reviewer = models.ForeignKey("accounts.User", verbose_name="审核人", on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("审核时间")
    carried_at = models.DateTimeField("交部门时间", null=True, blank=True)
    answer = models.CharField("部门答复", max_length=10, choices=ReviewAnswer.choices, default=ReviewAnswer.PENDING)
    answer_text = models.TextField("答复说明", max_length=2000, blank=True)
    answered_by = models.ForeignKey(
        "accounts.User", verbose_name="答复人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        verbose_name = "审核数"
        verbose_name_plural = "审核数"
        ordering = ["budget", "economic__code", "project__position", "id"]
        constraints = [
            _not_negative("reviewed", "review_reviewed_not_negative", "审核数"),
            models.CheckConstraint(
                condition=Q(project__isnull=True, economic__isnull=False)
                | Q(project__isnull=False, economic__isnull=True),
                name="review_of_project_or_economic",
                violation_error_message="审核数必须对应一个项目或一个经济分类款。",
            ),
            models.UniqueConstraint(
                fields=["budget", "project"], condition=Q(project__isnull=False), name="one_review_per_project"
            ),
            models.UniqueConstraint(
                fields=["budget", "economic"], condition=Q(economic__isnull=False), name="one_review_per_economic"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject_label} 审核数 {self.reviewed}"

    @property
    def subject_label(self) -> str:
        if self.project is not None:
            return f"项目｜{self.project.name}"
        assert self.economic is not None  # review_of_project_or_economic
        return f"基本支出｜{self.economic.code}"


class ReviewComment(models.Model):
    """A comment at a place of the budget: an official table, one of its rows, or one cell (row × column), or a
    project's 绩效目标表. A thread is its first comment (the reviewer's) and the replies under it; the reviewer
    resolves the thread; a reply keeps no place of its own. Comments are never deleted: a later version still
    shows them, with the version they were written on."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", verbose_name="回复", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    table = models.CharField("表", max_length=60, blank=True)
    table_title = models.CharField("表名", max_length=200, blank=True)
    row = models.CharField("行", max_length=300, blank=True)
    column = models.CharField("列", max_length=60, blank=True)  # the layout's column key
    column_title = models.CharField("列名", max_length=200, blank=True)
    cell_text = models.CharField("批注时单元格内容", max_length=200, blank=True)
    text = models.TextField("内容", max_length=2000)
    author = models.ForeignKey("accounts.User", verbose_name="批注人", on_delete=models.PROTECT, related_name="+")
    version = models.PositiveSmallIntegerField("版本")
    created_at = models.DateTimeField("时间", auto_now_add=True)
    resolved_by = models.ForeignKey(
        "accounts.User", verbose_name="解决人", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField("解决时间", null=True, blank=True)

    class Meta:
        verbose_name = "批注"
        verbose_name_plural = "批注"
        ordering = ["budget", "created_at", "id"]
        indexes = [models.Index(fields=["budget", "parent", "resolved_at"], name="comment_open_threads")]

    def __str__(self) -> str:
        return f"{self.place}：{self.text[:30]}"

    @property
    def place(self) -> str:
        parts = [self.table_title or "整个预算", self.row, self.column_title]
        return " › ".join(part for part in parts if part)


class UnitPart(models.Model):
    """The state of one unit's part of a budget (domain.unit_parts), for a unit that has its own accountant."""

    budget = models.ForeignKey(Budget, verbose_name="部门预算", on_delete=models.CASCADE, related_name="unit_parts")
    unit = models.ForeignKey(Unit, verbose_name="单位", on_delete=models.CASCADE, related_name="parts")
    state = models.CharField("状态", max_length=20, choices=PartState.choices, default=PartState.DRAFT)
    state_since = models.DateTimeField("进入当前状态的时间", default=timezone.now)

    class Meta:
        verbose_name = "单位预算状态"
        verbose_name_plural = "单位预算状态"
        ordering = ["budget", "unit__position", "unit_id"]
        constraints = [models.UniqueConstraint(fields=["budget", "unit"], name="one_part_per_unit")]

    def __str__(self) -> str:
        return f"{self.unit.name}：{self.get_state_display()}"
