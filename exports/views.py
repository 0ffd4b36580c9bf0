"""Pages of the year exports: for the finance bureau (reviewers and administrators) only."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from budgets.access import BUREAU_ONLY, may_export_all, require
from exports.forms import ExportStartForm
from exports.models import ExportJob, ExportState
from exports.runner import export_job_create

LISTED_JOBS = 50


def _require_exporter(request: HttpRequest) -> None:
    require(may_export_all(request.user), BUREAU_ONLY.format(what="批量导出"))


def _list_page(request: HttpRequest, form: ExportStartForm, status: int = 200) -> HttpResponse:
    jobs = ExportJob.objects.select_related("requested_by")[:LISTED_JOBS]
    return render(request, "exports/job_list.html", {"jobs": jobs, "form": form}, status=status)


@require_GET
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    _require_exporter(request)
    return _list_page(request, ExportStartForm())


@require_POST
@login_required
def job_start(request: HttpRequest) -> HttpResponse:
    _require_exporter(request)
    form = ExportStartForm(request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    job = export_job_create(year=form.cleaned_data["year"], user=request.user)
    messages.success(request, f"已提交 {job.year_id} 年全部部门的导出任务 #{job.pk}，完成后可在下表下载。")
    return redirect("exports:list")


def job_status_payload(job: ExportJob) -> dict[str, object]:
    return {
        "id": job.pk,
        "state": job.state,
        "state_label": job.get_state_display(),
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "error": job.error,
        "download_url": reverse("exports:download", args=[job.pk]) if job.state == ExportState.DONE else None,
    }


@require_GET
@never_cache
@login_required
def job_status(request: HttpRequest, pk: int) -> JsonResponse:
    _require_exporter(request)
    job = get_object_or_404(ExportJob, pk=pk)
    return JsonResponse(job_status_payload(job))


@require_GET
@login_required
def job_download(request: HttpRequest, pk: int) -> FileResponse:
    _require_exporter(request)
    job = get_object_or_404(ExportJob, pk=pk, state=ExportState.DONE)
    try:
        handle = job.file.storage.open(job.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404("导出文件已不存在。") from error
    return FileResponse(handle, as_attachment=True, filename=job.download_name, content_type="application/zip")
