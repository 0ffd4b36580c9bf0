"""What the performance target editors post: built from stored data, or read from a rendered page (also used by
tests/test_permission_matrix.py)."""

from typing import Any

from bs4 import BeautifulSoup, Tag

from budgets.models import Budget, Project
from entry.targets_forms import indicator_initial
from performance.selectors import budget_performance

GOALS, ROWS = "sub", "ind"


def management(prefix: str, count: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(count),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def row(**fields: str) -> dict[str, str]:
    """An indicator row as typed: a valid one unless told otherwise."""
    return {
        "level1": "产出指标",
        "level2": "数量指标",
        "name": "演出场次",
        "description": "全年组织演出的场次",
        "comparator": "≥",
        "number": "60",
        "unit": "场",
        "word": "",
        "basis": "工作计划",
        **fields,
    }


def rows_data(prefix: str, rows: list[dict[str, Any]]) -> dict[str, str]:
    data = management(prefix, len(rows))
    for index, fields in enumerate(rows):
        data.update({f"{prefix}-{index}-{name}": "" if value is None else str(value) for name, value in fields.items()})
    return data


def target_post(goal: str, rows: list[dict[str, Any]], revision: int | None) -> dict[str, str]:
    data = {"goal": goal, **rows_data(ROWS, rows)}
    if revision is not None:
        data["revision"] = str(revision)
    return data


def stored_rows(budget: Budget, project: Project) -> tuple[str, list[dict[str, Any]]]:
    """The project's goal and rows as the editor shows them."""
    table = next((t for t in budget_performance(budget).targets if t.project == project.name), None)
    if table is None:
        return "", []
    rows = [{k: v for k, v in indicator_initial(i).items() if k != "raw"} for i in table.indicators]
    return table.goal, rows


def stored_target_post(budget: Budget, project: Project, **changes: str) -> dict[str, str]:
    """The editor's form for the stored table, as posted unchanged (``changes``: e.g. goal="…")."""
    budget.refresh_from_db()
    goal, rows = stored_rows(budget, project)
    return target_post(changes.get("goal", goal), rows, budget.revision)


def goals_post(
    overall: str, sub_goals: list[dict[str, str]], measures: str, revision: int | None, **extra: str
) -> dict[str, str]:
    data = {"overall": overall, "measures": measures, **rows_data(GOALS, sub_goals), **extra}
    if revision is not None:
        data["revision"] = str(revision)
    return data


def stored_goals_post(budget: Budget, **changes: str) -> dict[str, str]:
    budget.refresh_from_db()
    goals = budget_performance(budget).goals
    subs = [{"title": sub.title, "goal": sub.goal, "indicators": sub.indicators} for sub in goals.sub_goals]
    return goals_post(
        changes.get("overall", goals.overall), subs, changes.get("measures", goals.measures), budget.revision
    )


def form_data(html: str, form_id: str) -> dict[str, str]:
    """The values a browser sends for the form as shown (checked radios and boxes only; no submit buttons)."""
    form = BeautifulSoup(html, "html.parser").find("form", id=form_id)
    assert form is not None, f"no form {form_id}"
    return element_data(form)


def page_form(client: Any, url: str, form_id: str) -> dict[str, str]:
    """What the page at ``url`` posts for its form as shown, its row template left out."""
    html = client.get(url).content.decode()
    return {name: value for name, value in form_data(html, form_id).items() if "__prefix__" not in name}


def element_data(container: Tag) -> dict[str, str]:
    """The values of the fields inside ``container`` as a browser sends them."""
    data: dict[str, str] = {}
    for element in container.find_all(["input", "select", "textarea"]):
        name = element.get("name")
        kind = element.get("type")
        if not name or kind in ("submit", "file") or element.name == "button":
            continue
        if element.name == "textarea":
            data[name] = element.text.removeprefix("\n")  # Django writes a newline after <textarea>
        elif element.name == "select":
            selected = element.find("option", selected=True)
            data[name] = selected["value"] if selected else ""
        elif kind in ("checkbox", "radio"):
            if element.has_attr("checked"):
                data[name] = element.get("value", "on")
        else:
            data[name] = element.get("value", "")
    return data


def rendered_rows(data: dict[str, str], prefix: str = ROWS) -> list[dict[str, str]]:
    """The rows of a posted formset, in form order: {field: value}."""
    rows = []
    for index in range(int(data[f"{prefix}-TOTAL_FORMS"])):
        start = f"{prefix}-{index}-"
        rows.append({name.removeprefix(start): value for name, value in data.items() if name.startswith(start)})
    return rows


def rehearsal_rows(html: str) -> list[list[str]]:
    """What a stale page says saving it again would change: [place, stored now, the page's] per row."""
    rows = BeautifulSoup(html, "html.parser").select("#theirs table.rehearsal tbody tr")
    return [[cell.get_text() for cell in row.find_all("td")] for row in rows]
