from django import forms

from catalog.models import BudgetYear


class ExportStartForm(forms.Form):
    year = forms.ModelChoiceField(
        label="预算年度",
        queryset=BudgetYear.objects.filter(budgets__isnull=False).distinct().order_by("-year"),
        empty_label=None,
        error_messages={"invalid_choice": "这一年度没有部门预算。", "required": "请选择预算年度。"},
    )
