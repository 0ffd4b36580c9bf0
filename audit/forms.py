"""The department's explanations of its warnings as a page posts them: key-N names a warning, text-N explains it.

They are posted by 保存警告说明 and by 提交 alike (the boxes belong to the budget page's workflow form), so that
what was typed is saved whichever button is pressed."""

from django.contrib import messages
from django.http import HttpRequest, QueryDict

from audit.services import budget_explain_warnings
from budgets.models import Budget
from domain.errors import BudgetFiguresError

MAX_EXPLAINED = 500


def posted_explanations(data: QueryDict) -> dict[str, str]:
    """The texts by warning key; fields beyond MAX_EXPLAINED warnings are not read."""
    explanations = {}
    for name, key in list(data.items())[: MAX_EXPLAINED * 3]:
        if name.startswith("key-"):
            explanations[key] = data.get(f"text-{name[4:]}", "")
    return explanations


def save_explanations(request: HttpRequest, budget: Budget, *, quiet: bool) -> bool:
    """Save the explanations the request posts and say so (``quiet``: nothing said when none changed, or none
    was posted); whether nothing was refused. The caller has checked that the user may enter the budget."""
    explanations = posted_explanations(request.POST)
    if quiet and not explanations:
        return True
    try:
        changed = budget_explain_warnings(budget=budget, actor=request.user, explanations=explanations)
    except BudgetFiguresError as refused:
        for error in refused.errors:
            messages.error(request, f"说明未保存：{error}")
        return False
    if changed or not quiet:
        messages.success(request, f"已保存 {changed} 条警告说明。" if changed else "警告说明没有变化。")
    return True
