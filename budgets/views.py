import io
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig

from budgets.auditing import audit_budget
from budgets.domain.money import DisplayUnit
from budgets.domain.workflow import TRANSITIONS, BudgetState, available
from budgets.listings import BudgetTable
from budgets.models import Budget
from budgets.official.definitions import OFFICIAL_TABLES, TABLES_BY_KEY
from budgets.official.render import print_table
from budgets.official.workbook import write_workbook
from budgets.permissions import can_edit_figures
from budgets.selectors import budget_data, budget_texts, budgets_visible_to
from budgets.transitions import WorkflowError, budget_transition, may_act


def visible_budget_or_404(request: HttpRequest, year: int, department_code: str) -> Budget:
    # A budget the user may not see answers 404, exactly like one that does not exist.
    return get_object_or_404(budgets_visible_to(request.user), year_id=year, department__code=department_code)


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    budgets = budgets_visible_to(request.user).annotate(spending=Sum("lines__amount"))
    table = BudgetTable(budgets)
    RequestConfig(request, paginate=False).configure(table)  # ordering from the query string, paging below
    page = request.GET.get("page", "1")
    try:
        table.paginate(page=int(page) if page.isdigit() and int(page) > 0 else 1, per_page=50)
    except EmptyPage as error:
        raise Http404("没有这一页。") from error
    return render(request, "budgets/home.html", {"table": table})


@require_GET
@login_required
def budget_detail(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request, year, department_code)
    data = budget_data(budget)
    printed = [print_table(layout, data) for layout in OFFICIAL_TABLES]
    context = {
        "budget": budget,
        "tables": printed,
        "can_import": can_edit_figures(request.user, budget),
        "violations": audit_budget(data, budget_texts(budget, data)),
        "actions": [t for t in available(budget.state) if may_act(request.user, budget, t)],
        "events": budget.events.select_related("actor").order_by("-created_at", "-id")[:50],
    }
    return render(request, "budgets/budget_detail.html", context)


@require_GET
@login_required
def budget_table(request: HttpRequest, year: int, department_code: str, table_key: str) -> HttpResponse:
    layout = TABLES_BY_KEY.get(table_key)
    if layout is None:
        raise Http404("没有这张表。")
    budget = visible_budget_or_404(request, year, department_code)
    printed = print_table(layout, budget_data(budget))
    return render(request, "budgets/budget_table.html", {"budget": budget, "table": printed})


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
@login_required
def budget_workbook(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    budget = visible_budget_or_404(request, year, department_code)
    unit = DisplayUnit.YUAN if request.GET.get("unit") == DisplayUnit.YUAN.value else DisplayUnit.WAN
    buffer = io.BytesIO()
    write_workbook(buffer, budget_data(budget), unit)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    filename = f"{year}年部门预算公开表_{department_code}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


@require_POST
@login_required
def budget_transition_view(request: HttpRequest, year: int, department_code: str, action: str) -> HttpResponse:
    budget = visible_budget_or_404(request, year, department_code)
    try:
        budget = budget_transition(
            budget=budget, action=action, user=request.user, comment=request.POST.get("comment", "")
        )
    except WorkflowError as refused:
        for message in refused.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"{TRANSITIONS[action].label}成功，预算当前为“{BudgetState(budget.state).label}”。")
    return redirect("budget_detail", year, department_code)
