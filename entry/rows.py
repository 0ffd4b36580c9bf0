"""Our row-form base, on Django's forms and formsets: every table-shaped entry page posts all its rows at once.

* A row left entirely blank is skipped, wherever it is (rows deleted in the page leave gaps in the numbering).
* A post without its row count is never read as "no rows" (that would delete everything): the formset is invalid
  with FORM_INCOMPLETE.
* Every error sits at its row and field: the forms' own, the domain's rule (domain.errors.FigureError carries its
  row and field) and whatever a write service refuses, placed by ``RowFormSet.place``, never by the words of a
  message.
* After any refusal the page shows again with everything as typed (the bound forms). A refusal of what was typed
  keeps the revision the page was built on; one because someone else saved first shows what saving again would
  change, the others' values beside the page's, and moves the page to the revision it showed (``StaleWatch``; the
  figures page merges instead: entry.figures_merge).
"""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms
from django.contrib import messages
from django.db import OperationalError
from django.http import HttpRequest

from budgets.models import Budget
from budgets.services.errors import StaleRevision
from budgets.services.rehearsal import Rehearsal, rehearse
from domain.errors import BudgetFiguresError, FigureError
from web.forms import posted_revision
from web.middleware import BUSY, database_busy

NOT_SAVED = "未保存：请按标红的提示修改后再保存（本页内容均未保存）。"
FORM_INCOMPLETE = "未保存：表单不完整（缺少行数信息），请重新打开页面后再操作。"
TOO_MANY_ROWS = "未保存：最多 %(num)d 行。"
STALE_KEPT = "您填写的内容仍在下方，尚未保存；请稍后再次保存（将再次核对他人的修改）。"
STALE_SHOWN = (
    "您填写的内容仍在下方，尚未保存；“再次保存将作出的修改”列出现在已保存的值（含他人的修改）和本页的值，"
    "核对后再保存（将以本页内容为准）。"
)
BUSY_KEPT = "您填写的内容仍在下方，尚未保存；稍候再次保存即可。"
DUPLICATE_ROW = "与第 {first} 行重复：同一张表中不能有两行相同的内容。"
TRUE_WORDS = frozenset({"1", "on", "true", "yes", "y", "是", "√", "✓"})


def posted_id(text: str) -> int | None:
    """A posted id: ASCII digits only (str.isdigit() also takes "²"), short enough for the database."""
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def posted_on(request: HttpRequest, revision: int | str) -> Any:
    """The posted data on ``revision``: after a refusal the page shows again what was typed, on the revision the
    refusal leaves it (StaleWatch.revision)."""
    data = request.POST.copy()
    data["revision"] = str(revision)
    return data


def current_revision(budget: Budget) -> int:
    return Budget.objects.values_list("revision", flat=True).get(pk=budget.pk)


class RowForm(forms.Form):
    """One row of a formset."""

    # A row is blank (and skipped) when all of these are empty: selects always hold a value, so they are not listed.
    content_fields: tuple[str, ...] = ()
    # A row saying the same as an earlier one is refused at this field ("": duplicates allowed), in these words.
    unique_field = ""
    duplicate_message = DUPLICATE_ROW
    # The field that orders the rows (a blank or unreadable one puts the row after the numbered ones).
    order_field = "ORDER"

    def unique_key(self) -> tuple[Any, ...]:
        """What two rows of one table must not share (only asked of a valid row)."""
        return (str(self.cleaned_data[self.unique_field]).strip(),)

    def is_blank(self) -> bool:
        if not self.is_bound:
            return False
        return all(not str(self.data.get(self.add_prefix(name), "")).strip() for name in self.content_fields)

    def has_changed(self) -> bool:
        # The position (ORDER) and the delete box alone do not make a row worth checking.
        return not self.is_blank() if self.is_bound else super().has_changed()

    def is_deleted(self) -> bool:
        """Marked for deletion (the formset's DELETE box, or a row's own ``delete`` field)."""
        for name in ("DELETE", "delete"):
            if name in self.fields:
                return str(self[name].value() or "").strip().lower() in TRUE_WORDS or self[name].value() is True
        return False

    def refuse(self, error: FigureError) -> None:
        """Show an error of the domain or of a service at its field (the row as a whole when it names none)."""
        self.add_error(error.field if error.field in self.fields else None, error.message)

    def typed(self) -> dict[str, Any]:
        """What the row holds as typed (valid or not), to show it again."""
        return {name: self[name].value() for name in self.content_fields}


class RowFormSet(forms.BaseFormSet):  # type: ignore[type-arg]  # its forms are RowForms of several kinds
    default_error_messages = {
        "missing_management_form": FORM_INCOMPLETE,
        "too_many_forms": TOO_MANY_ROWS,
        "too_few_forms": "至少 %(num)d 行。",
    }

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        # Every row may be left blank, whatever INITIAL_FORMS a post claims (so no HTML "required" either).
        return {**super().get_form_kwargs(index), "empty_permitted": True, "use_required_attribute": False}

    def _position(self, index: int, form: RowForm) -> tuple[int, int]:
        if form.order_field not in form.fields:
            return (0, index)
        order = str(form[form.order_field].value() or "").strip()
        return (int(order) if order.isascii() and order.isdigit() and len(order) < 6 else 99999, index)

    def kept_forms(self) -> list[Any]:
        """The rows to keep, in their order (an ORDER column, then as sent); blank and deleted rows aside."""
        kept = [
            (self._position(index, form), form)
            for index, form in enumerate(self.forms)
            if not form.is_blank() and not form.is_deleted()
        ]
        return [form for _, form in sorted(kept, key=lambda pair: pair[0])]

    def shown_forms(self) -> list[Any]:
        """The rows the page shows again: all but the blank ones (a row marked for deletion stays, marked)."""
        return [form for form in self.forms if not form.is_blank()] if self.is_bound else list(self.forms)

    def spare_form(self) -> Any:
        """An empty row after the others, for a new entry without JavaScript (its index follows the posted ones)."""
        return self.form(
            auto_id=self.auto_id, prefix=self.add_prefix(self.total_form_count()), **self.get_form_kwargs(None)
        )

    def typed_rows(self) -> list[dict[str, Any]]:
        """The rows as typed, in order, to show them again (unbound) after an action other than saving."""
        return [form.typed() for form in self.kept_forms()]

    def clean(self) -> None:
        super().clean()
        first_row: dict[tuple[Any, ...], int] = {}
        for number, form in enumerate(self.kept_forms(), start=1):
            if not form.unique_field or form.errors:
                continue
            key = form.unique_key()
            if key in first_row:
                form.add_error(form.unique_field, form.duplicate_message.format(first=first_row[key]))
            else:
                first_row[key] = number

    def place(self, errors: Sequence[FigureError], rows: Sequence[RowForm] | None = None) -> list[FigureError]:
        """Put each error at its row (1-based among ``rows``, by default the kept rows) and field; the errors
        about no row are returned."""
        rows = self.kept_forms() if rows is None else rows
        general = []
        for error in errors:
            if 1 <= error.index <= len(rows):
                rows[error.index - 1].refuse(error)
            else:
                general.append(error)
        return general


def save_page(
    request: HttpRequest,
    budget: Budget,
    what: str,
    write: Callable[[int | None], int | None],
    bound: Sequence[forms.Form | RowFormSet],
    placed: RowFormSet | None = None,
    on_stale: Callable[[StaleRevision], None] | None = None,
) -> bool:
    """A page's POST once its forms are bound: refuse them if any is invalid; otherwise call the write service
    (``write`` gets the revision the page was built on and returns how many changes it made, or None when the
    service does not count them) and say what it changed. A service's refusal puts its errors at the rows of
    ``placed`` and says the rest on top; ``on_stale``, if given, answers a stale page instead. Returns whether it
    saved; after a refusal the bound forms hold everything typed (a database still busy after its timeout is such a
    refusal too)."""
    valid = [form.is_valid() for form in bound]  # each one, so that every form says its errors
    if not all(valid):
        refuse_rows(
            request,
            [form for form in bound if isinstance(form, RowFormSet)],
            *[form for form in bound if not isinstance(form, RowFormSet)],
        )
        return False
    try:
        count = write(posted_revision(request.POST))
    except StaleRevision as refused:
        if on_stale is None:
            show_refusal(request, what, refused, [placed] if placed else [])
        else:
            on_stale(refused)
        return False
    except BudgetFiguresError as refused:
        show_refusal(request, what, refused, [placed] if placed else [])
        return False
    except OperationalError as error:
        if not database_busy(error):
            raise
        messages.error(request, f"{what}未保存：{BUSY}")
        messages.warning(request, BUSY_KEPT)
        return False
    changed = count if count is not None else current_revision(budget) != budget.revision
    if not changed:
        messages.success(request, f"{what}没有变化。")
    elif count:
        messages.success(request, f"{what}已保存（{count} 处修改）。")
    else:
        messages.success(request, f"{what}已保存。")
    return True


class StaleWatch:
    """An ``on_stale`` for save_page: says the refusal as save_page would, then rehearses the same write on the
    budget as it is now (budgets.services.rehearsal) so that the page shows what saving again would change, the
    others' values beside its own. The page then stands on the revision rehearsed (saving again is a choice made
    having seen them); after a refusal of what was typed it stays on the revision it was built on, which a later
    save of someone else's still makes stale."""

    def __init__(
        self,
        request: HttpRequest,
        budget: Budget,
        what: str,
        write: Callable[[int], object],
        formsets: Sequence[RowFormSet] = (),
    ) -> None:
        self.request, self.budget, self.what, self.write, self.formsets = request, budget, what, write, formsets
        self.rehearsal: Rehearsal | None = None

    def __call__(self, refused: StaleRevision) -> None:
        self.rehearsal = rehearse(self.budget, self.write)
        shown = self.rehearsal.revision is not None
        show_refusal(self.request, self.what, refused, self.formsets, kept=STALE_SHOWN if shown else STALE_KEPT)

    def revision(self) -> int | str:
        if self.rehearsal is not None and self.rehearsal.revision is not None:
            return self.rehearsal.revision
        return self.request.POST.get("revision", "")


def show_refusal(
    request: HttpRequest,
    what: str,
    refused: BudgetFiguresError,
    formsets: Sequence[RowFormSet] = (),
    kept: str = STALE_KEPT,
) -> None:
    """A write service's refusal: its errors at their rows (of the first formset), the rest on top; a stale page
    says in ``kept`` what became of what was typed."""
    general = formsets[0].place(refused.errors) if formsets else list(refused.errors)
    if len(general) < len(refused.errors):
        messages.error(request, NOT_SAVED)
    for error in general:
        messages.error(request, f"{what}未保存：{error}")
    if isinstance(refused, StaleRevision):
        messages.warning(request, kept)


def refuse_rows(request: HttpRequest, formsets: Sequence[RowFormSet], *forms_: forms.Form) -> None:
    """Say why nothing was saved: the formsets' own errors (row count, too many rows) or the rows' at their cells."""
    problems = [str(error) for formset in formsets for error in formset.non_form_errors()]
    for message in problems:
        messages.error(request, message if message.startswith("未保存") else f"未保存：{message}")
    if not problems or any(form.errors for form in forms_):
        messages.error(request, NOT_SAVED)
