"""The finance dashboard (财政审核工作台) page and its CSV / XLSX export: for the bureau only."""

import tablib
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import EmptyPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_tables2 import RequestConfig
from django_tables2.export import TableExport

from budgets.access import BUREAU_ONLY, is_bureau, require
from catalog.models import BudgetYear
from domain.deadlines import deadline_words
from domain.workflow import BudgetRound
from web.spreadsheets import inert_text
from workflow.dashboard import PER_PAGE, DashboardFilter, DashboardTable, dashboard_budgets
from workflow.dashboard_units import UnitDashboardFilter, UnitDashboardTable, dashboard_units
from workflow.deadlines import deadlines_set, late_budgets, remind_late, year_deadlines
from workflow.forms import DeadlinesForm

EXPORT_FORMATS = (TableExport.CSV, TableExport.XLSX)


def _require_bureau(request: HttpRequest, what: str = "打开审核工作台") -> None:
    require(is_bureau(request.user), BUREAU_ONLY.format(what=what))


def _years() -> list[int]:
    """The years that have budgets, the latest first."""
    budget_years = BudgetYear.objects.filter(budgets__isnull=False).distinct().order_by("-year")
    return list(budget_years.values_list("year", flat=True))


def _year_of(asked: str, years: list[int]) -> int:
    if not (asked.isdigit() and len(asked) == 4 and int(asked) in years):
        raise Http404("该年度没有部门预算。")
    return int(asked)


def _chosen_year(request: HttpRequest, years: list[int]) -> int | None:
    """``?year=``, else the latest year that has budgets (None when there is none)."""
    asked = request.GET.get("year", "")
    if not asked:
        return years[0] if years else None
    return _year_of(asked, years)


# A spreadsheet reads a cell starting with one of these as a formula (OWASP "CSV injection").
def _export(
    table: DashboardTable | UnitDashboardTable, export_format: str, year: int, name: str = "dashboard"
) -> HttpResponse:
    exporter = TableExport(export_format, table, dataset_kwargs={"title": f"{year}年审核工作台"})
    dataset = exporter.dataset
    exporter.dataset = tablib.Dataset(
        *([inert_text(value) for value in row] for row in dataset), headers=dataset.headers, title=dataset.title
    )
    content = exporter.export()
    if export_format == TableExport.CSV:
        content = "\ufeff" + content  # a byte order mark, so that Excel reads the Chinese text as UTF-8
    response = HttpResponse(content, content_type=exporter.content_type())
    response["Content-Disposition"] = f'attachment; filename="{name}_{year}.{export_format}"'
    return response


def _posted_year(request: HttpRequest) -> int:
    """The year a dashboard form posts, one that has budgets."""
    return _year_of(request.POST.get("year", ""), _years())


@require_POST
@login_required
def dashboard_deadlines(request: HttpRequest) -> HttpResponse:
    """Set the year's submission deadlines (截止日期), one per round."""
    _require_bureau(request, "设置截止日期")
    year = _posted_year(request)
    form = DeadlinesForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"截止日期未保存：{label}{'；'.join(errors)}")
        return redirect(f"{reverse('dashboard')}?year={year}")
    changed = deadlines_set(year=year, deadlines=form.deadlines(), actor=request.user)
    messages.success(request, f"{year}年截止日期已保存。" if changed else "截止日期没有变化。")
    return redirect(f"{reverse('dashboard')}?year={year}")


@require_POST
@login_required
def dashboard_remind(request: HttpRequest) -> HttpResponse:
    """催报: notify every department whose budget of the year is not submitted."""
    _require_bureau(request, "催报")
    year = _posted_year(request)
    reminded = remind_late(year=year, actor=request.user)
    if reminded:
        names = "、".join(budget.department.name for budget in reminded[:5])
        more = f"等 {len(reminded)} 个部门" if len(reminded) > 5 else ""
        messages.success(request, f"已催报 {len(reminded)} 个尚未提交的部门：{names}{more}。")
    else:
        messages.info(request, f"{year}年没有尚未提交的部门预算，无需催报。")
    return redirect(f"{reverse('dashboard')}?year={year}")


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_bureau(request)
    years = _years()
    year = _chosen_year(request, years)
    export_format = request.GET.get("_export", "")
    if year is None:
        if export_format:
            raise Http404("没有可导出的部门预算。")
        return render(request, "workflow/dashboard.html", {"year": None, "years": years})

    filterset = DashboardFilter(request.GET, queryset=dashboard_budgets(year), request=request)
    deadlines = year_deadlines(year)
    table = DashboardTable(filterset.qs, deadlines=deadlines)
    RequestConfig(request, paginate=False).configure(table)  # ordering from the query string, paging below

    if export_format in EXPORT_FORMATS:
        return _export(table, export_format, year)  # every filtered row, in the order shown

    page = request.GET.get("page", "1")
    try:
        table.paginate(page=int(page) if page.isdigit() and int(page) > 0 else 1, per_page=PER_PAGE)
    except EmptyPage as error:
        raise Http404("没有这一页。") from error
    today = timezone.localdate()
    context = {
        "year": year,
        "years": years,
        "filter": filterset,
        "table": table,
        "deadlines_form": DeadlinesForm.for_year(deadlines),
        "deadlines": [
            (BudgetRound(round_).label, due, deadline_words(due, today)) for round_, due in sorted(deadlines.items())
        ],
        "late": late_budgets(year).count(),
    }
    return render(request, "workflow/dashboard.html", context)


@require_GET
@login_required
def dashboard_units_view(request: HttpRequest) -> HttpResponse:
    """按单位: the dashboard down to the units, filtered by department, unit and the state of the unit's part."""
    _require_bureau(request)
    years = _years()
    year = _chosen_year(request, years)
    if year is None:
        raise Http404("还没有任何部门预算。")
    filterset = UnitDashboardFilter(request.GET, queryset=dashboard_units(year), request=request)
    table = UnitDashboardTable(filterset.qs, year=year)
    RequestConfig(request, paginate=False).configure(table)
    export_format = request.GET.get("_export", "")
    if export_format in EXPORT_FORMATS:
        return _export(table, export_format, year, "dashboard_units")
    page = request.GET.get("page", "1")
    try:
        table.paginate(page=int(page) if page.isdigit() and int(page) > 0 else 1, per_page=PER_PAGE)
    except EmptyPage as error:
        raise Http404("没有这一页。") from error
    context = {"year": year, "years": years, "filter": filterset, "table": table}
    return render(request, "workflow/dashboard_units.html", context)
