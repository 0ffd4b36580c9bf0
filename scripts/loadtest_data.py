"""The load test's data (run by scripts/loadtest, in the database DATABASE_URL names, which it has just created):
the demo (departments 202 and 318 of 2021, its users), copies of the example 202 up to ``--departments`` departments
(the bench's bulk copier, budgets/bench/data.py), one accountant for each of the first copies, a few reviewers, and
the example 202 approved and published so that the public pages have a document to show.

Prints JSON lines for the locustfile: {"published": [codes]}, then the users, {"username", "role", "department"}.
"""

import argparse
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budgetoffice.settings")

import django

django.setup()

from django.db import transaction  # noqa: E402

from accounts.models import Role, User  # noqa: E402
from bench.data import FIRST_COPY_CODE, copy_budget  # noqa: E402
from budgets.models import Budget  # noqa: E402
from demo.loader import load_demo  # noqa: E402
from departments.models import Department  # noqa: E402
from disclosure.publication import budget_publish, is_published  # noqa: E402
from domain.workflow import BudgetRound, BudgetState  # noqa: E402
from workflow.services import budget_transition  # noqa: E402

PASSWORD = "load-test-2021"
YEAR = 2021


def _user(username: str, role: Role, department: Department | None = None) -> User:
    user = User.objects.filter(username=username).first() or User(username=username)
    user.role = role
    user.department = department
    user.first_name = username
    user.set_password(PASSWORD)
    user.save()
    return user


def _publish_example() -> list[str]:
    """The example approved and published through the services (the PDF takes a few seconds, once); the codes of
    the published departments. Best effort: without it the public index is still tested, only not a document."""
    budget = Budget.objects.get(year_id=YEAR, department__code="202")
    reviewer = User.objects.get(username="reviewer")
    try:
        if budget.state != BudgetState.APPROVED:
            Budget.objects.filter(pk=budget.pk).update(state=BudgetState.IN_REVIEW, round=BudgetRound.FORMAL)
            budget = budget_transition(budget=Budget.objects.get(pk=budget.pk), action="approve", user=reviewer)
        if not is_published(budget):
            budget_publish(budget, reviewer)
    except Exception as error:  # reported; the load test goes on without a published document
        print(f"warning: the example was not published, no public document in the test: {error!r}", file=sys.stderr)
        return []
    return ["202"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--accountants", type=int, default=40)
    parser.add_argument("--reviewers", type=int, default=10)
    options = parser.parse_args()

    load_demo()
    template = Budget.objects.select_related("department").get(year_id=YEAR, department__code="202")
    existing = Budget.objects.filter(year_id=YEAR).count()
    with transaction.atomic():
        copy_budget(template, max(options.departments - existing, 0))
    users = []
    for number in range(options.reviewers):
        users.append(_user(f"load-rev-{number + 1:02d}", Role.REVIEWER))
    copies = Department.objects.filter(code__gte=str(FIRST_COPY_CODE)).order_by("code")[: options.accountants]
    for department in copies:
        users.append(_user(f"load-acc-{department.code}", Role.ACCOUNTANT, department))
    print(json.dumps({"published": _publish_example()}))
    for user in users:
        department = user.department.code if user.department_id else None
        print(json.dumps({"username": user.username, "role": user.role, "department": department}))
    print(f"{Budget.objects.filter(year_id=YEAR).count()} departments, {len(users)} users", file=sys.stderr)


if __name__ == "__main__":
    main()
