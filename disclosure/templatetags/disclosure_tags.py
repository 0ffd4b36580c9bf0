"""The publication's buttons on the budget page: {% publication_actions budget %} inside its page-head actions."""

from django import template

from budgets.access import may_publish
from disclosure.jobs import latest_job
from disclosure.publication import is_published, latest_publication
from domain.workflow import BudgetState

register = template.Library()


@register.inclusion_tag("disclosure/_publication_actions.html", takes_context=True)
def publication_actions(context, budget) -> dict:
    user = context["request"].user
    approved = budget.state == BudgetState.APPROVED
    publisher = approved and may_publish(user)
    job = latest_job(budget) if publisher else None
    return {
        "budget": budget,
        "csrf_token": context.get("csrf_token"),
        "job": job,
        "can_publish": publisher and not is_published(budget) and not (job and job.is_active),
        "published": latest_publication(budget),
    }
