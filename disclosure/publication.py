"""Publishing an approved budget (部门预算公开): the document rendered once, stored with its hashes, never changed.

Only the finance bureau's reviewers publish, only an approved budget, once per approved version. The document is
made of the approved version as it was approved (its snapshot: the figures and catalogue names of that moment) and
the explanation; what is stored is served byte for byte on the public pages afterwards, whatever later happens to
the budget (an adjustment to version 2) or to the catalogue.
"""

import hashlib
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from budgets.access import REVIEWER_ONLY, may_publish, require
from budgets.models import Budget, BudgetEvent, SnapshotKind
from budgets.selectors import budget_data
from budgets.services.locking import lock_budget
from disclosure.document import render_document_html, render_pdf
from disclosure.models import PublishedDocument
from disclosure.selectors import budget_explanation
from domain.ledger import BudgetData
from domain.snapshot import snapshot_from_json
from domain.workflow import BudgetState

PUBLISHED_DIR = "published"


class PublicationError(Exception):
    """Publishing is refused; ``messages`` say why, in Chinese."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def publication_data(budget: Budget) -> BudgetData:
    """What the document prints: the approved version's snapshot when the budget is approved (the figures and
    catalogue names as approved), else (a preview of a budget in progress) the budget as it is now."""
    if budget.state == BudgetState.APPROVED:
        snapshot = budget.snapshots.filter(kind=SnapshotKind.APPROVED, version=budget.version).first()
        if snapshot is not None:
            return snapshot_from_json(snapshot.data)
    return budget_data(budget)


def render_publication(budget: Budget, *, published_at=None, preview: bool = False) -> str:
    return render_document_html(
        publication_data(budget),
        budget_explanation(budget),
        version=budget.version,
        published_at=published_at,
        preview=preview,
        layouts=budget.year.layouts,
    )


def latest_publication(budget: Budget) -> PublishedDocument | None:
    return budget.published_documents.order_by("-version").first()


def is_published(budget: Budget) -> bool:
    return budget.published_documents.filter(version=budget.version).exists()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _store(budget: Budget, suffix: str, content: bytes) -> str:
    name = (
        f"{PUBLISHED_DIR}/{budget.year_id}/{budget.department.code}/v{budget.version}-{sha256(content)[:16]}.{suffix}"
    )
    return default_storage.save(name, ContentFile(content))


def publishable_errors(budget: Budget) -> list[str]:
    """Why the budget's current version cannot be published now (nothing: it can)."""
    if budget.state != BudgetState.APPROVED:
        return [f"预算当前为“{BudgetState(budget.state).label}”，只有已批复的预算可以发布公开。"]
    if is_published(budget):
        return [f"第{budget.version}版已经发布公开，不能重复发布。"]
    return []


def _no_step(done: int, label: str) -> None:
    return None


def budget_publish(budget: Budget, user, on_step: Callable[[int, str], None] = _no_step) -> PublishedDocument:
    """Publish the budget's approved version, or raise PublicationError / PermissionDenied.

    The document and its PDF are made before the budget is locked (seconds: no write to it may wait that long),
    then, locked, the budget is checked again (still approved, the same version, not published meanwhile) and the
    files and their record are written. ``on_step(done, label)`` is told before each of the three steps."""
    require(may_publish(user), REVIEWER_ONLY.format(what="发布部门预算公开"))
    errors = publishable_errors(budget)
    if errors:
        raise PublicationError(errors)
    version = budget.version
    published_at = timezone.now()
    on_step(0, "生成公开文件（网页版）")
    html = render_publication(budget, published_at=timezone.localtime(published_at)).encode("utf-8")
    on_step(1, "生成公开文件（PDF）")
    pdf = render_pdf(html.decode("utf-8"))
    on_step(2, "保存并登记")
    with transaction.atomic():
        budget = lock_budget(budget, editable=False)
        errors = publishable_errors(budget)
        if budget.version != version:
            errors = [f"发布期间预算已开始第{budget.version}版（预算调整），第{version}版未发布。"]
        if errors:
            raise PublicationError(errors)
        names = [_store(budget, "html", html), _store(budget, "pdf", pdf)]
        try:  # the files are written before the row: should that fail, they are removed again
            document = PublishedDocument.objects.create(
                budget=budget,
                version=budget.version,
                html=names[0],
                html_sha256=sha256(html),
                pdf=names[1],
                pdf_sha256=sha256(pdf),
                published_by=user,
                published_at=published_at,
            )
            BudgetEvent.objects.create(
                budget=budget,
                actor=user,
                action="publish",
                data={
                    "version": budget.version,
                    "html_sha256": document.html_sha256,
                    "pdf_sha256": document.pdf_sha256,
                },
            )
        except Exception:
            for name in names:
                default_storage.delete(name)
            raise
    return document


def stored_bytes(document: PublishedDocument, field: str) -> bytes:
    """The stored file (``html`` or ``pdf``) as published; raises FileNotFoundError when it has gone."""
    file = getattr(document, field)
    with file.storage.open(file.name, "rb") as handle:
        return handle.read()
