"""The publication: a preview and the publish step for signed-in users, and the public pages (no login).

The public pages are the only pages of the product open without login, and they show only what was published:
the year's index, and each department's latest published document, served from the stored file byte for byte
(its SHA-256 in the header ``X-Content-SHA256`` and on the index).
"""

import hashlib
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from budgets.access import REVIEWER_ONLY, may_publish, require, visible_budget_or_404
from budgets.computed import kept
from catalog.models import BudgetYear
from disclosure import publication
from disclosure.jobs import latest_job, publication_job_create
from disclosure.models import PublicationJob, PublicationState, PublishedDocument
from disclosure.publication import PublicationError, render_publication, stored_bytes

# The stored HTML has no script and no outside resource: the browser is told to load none.
PUBLIC_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


@require_GET
@login_required
def budget_publication_preview(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """The whole document as it would be published now (for anyone who may read the budget)."""
    budget = visible_budget_or_404(request.user, year, department_code)
    return HttpResponse(render_publication(budget, preview=True), content_type="text/html; charset=utf-8")


@require_GET
@login_required
def budget_publication_pdf(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """The whole document as a PDF before it is published, marked 预览稿 on every page, for internal review."""
    budget = visible_budget_or_404(request.user, year, department_code)
    html = render_publication(budget, preview=True)
    # The PDF is a function of the HTML alone: kept under its digest, it is typeset once per content.
    digest = hashlib.blake2b(html.encode(), digest_size=16).hexdigest()
    pdf = kept(f"publication-preview-pdf:{digest}", lambda: publication.render_pdf(html))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{year}年部门预算公开_{department_code}_预览稿.pdf"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@require_POST
@login_required
def budget_publish_view(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    """Start publishing the approved version in the background; the budget page follows it."""
    budget = visible_budget_or_404(request.user, year, department_code)
    require(may_publish(request.user), REVIEWER_ONLY.format(what="发布部门预算公开"))
    try:
        job = publication_job_create(budget=budget, user=request.user)
    except PublicationError as refused:
        for message in refused.messages:
            messages.error(request, f"未发布：{message}")
    else:
        if job.state == PublicationState.DONE:
            messages.success(request, f"第{job.version}版已发布公开。")
        elif job.state == PublicationState.FAILED:
            messages.error(request, f"未发布：{job.error}")
        else:
            messages.info(
                request, f"正在发布第{job.version}版：生成公开文件需要几秒到几十秒，本页显示进度，也可以离开本页。"
            )
    return redirect("budget_detail", year, department_code)


@require_GET
@never_cache
@login_required
def budget_publish_status(request: HttpRequest, year: int, department_code: str) -> JsonResponse:
    """The latest publication job of the budget's version, for the page's progress bar."""
    budget = visible_budget_or_404(request.user, year, department_code)
    require(may_publish(request.user), REVIEWER_ONLY.format(what="查看发布进度"))
    job = latest_job(budget)
    if job is None:
        raise Http404("没有发布任务。")
    return JsonResponse(
        {
            "state": job.state,
            "state_label": job.get_state_display(),
            "step": job.step,
            "steps_done": job.steps_done,
            "steps_total": PublicationJob.STEPS,
            "error": job.error,
        }
    )


def _published(year: int):
    return PublishedDocument.objects.filter(budget__year_id=year).select_related("budget__department")


def _latest(year: int, department_code: str) -> PublishedDocument:
    document = _published(year).filter(budget__department__code=department_code).order_by("-version").first()
    if document is None:
        raise Http404("该部门本年度的预算尚未公开。")
    return document


@require_GET
def public_home(request: HttpRequest) -> HttpResponse:
    """部门预算公开 without a year: the latest year anything was published in (else the latest budget year)."""
    latest = PublishedDocument.objects.order_by("-budget__year_id").values_list("budget__year_id", flat=True).first()
    year = latest or BudgetYear.objects.order_by("-year").values_list("year", flat=True).first()
    if year is None:
        raise Http404("尚无预算年度。")
    return redirect("public_index", year)


@require_GET
def public_index(request: HttpRequest, year: int) -> HttpResponse:
    """All departments of the year with a published budget, each with its latest published version."""
    latest: dict[int, PublishedDocument] = {}
    for document in _published(year).order_by("budget__department__code", "version"):
        latest[document.budget_id] = document
    return render(request, "disclosure/public_index.html", {"year": year, "documents": list(latest.values())})


def _stored_response(document: PublishedDocument, field: str, content_type: str, filename: str) -> HttpResponse:
    try:
        content = stored_bytes(document, field)
    except FileNotFoundError as error:
        raise Http404("公开文件已不存在。") from error
    response = HttpResponse(content, content_type=content_type)
    response["X-Content-SHA256"] = getattr(document, f"{field}_sha256")
    response["Content-Security-Policy"] = PUBLIC_CSP
    response["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(filename)}"
    return response


@require_GET
def public_document(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    document = _latest(year, department_code)
    name = f"{year}年部门预算公开_{department_code}_第{document.version}版.html"
    return _stored_response(document, "html", "text/html; charset=utf-8", name)


@require_GET
def public_document_pdf(request: HttpRequest, year: int, department_code: str) -> HttpResponse:
    document = _latest(year, department_code)
    name = f"{year}年部门预算公开_{department_code}_第{document.version}版.pdf"
    return _stored_response(document, "pdf", "application/pdf", name)
