"""Every write of the site needs the CSRF token: the same request the permission matrix lets through is a 403
without it, and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.test_permission_matrix import (
    DEFAULT_DEPARTMENTS,
    DEPARTMENTS,
    MATRIX,
    OK,
    Case,
    Ctx,
    World,
    changed,
    client_for,
    fingerprint,
    world,  # noqa: F401  (the matrix's fixture, used by name below)
)

pytestmark = pytest.mark.django_db

ROLES = ("acc202", "reviewer", "admin", "acc_nobudget", "unit202")


def _allowed_role(case: Case) -> str | None:
    for role in ROLES:
        outcome = case.expect[role][0] if case.scoped else case.expect[role]
        if outcome == OK:
            return role
    return None


# A write none of the matrix's roles may make (another unit's, which only that unit's accountant may) is refused
# before its token matters: the matrix tests that refusal.
WRITES = [case for case in MATRIX if case.method == "POST" and _allowed_role(case) is not None]


@pytest.mark.parametrize("case", WRITES, ids=[case.label for case in WRITES])
def test_a_write_without_the_csrf_token_is_refused(case: Case, world: World) -> None:  # noqa: F811
    role = _allowed_role(case)
    assert role is not None
    client = client_for(world, role)
    code = DEPARTMENTS.get(role, DEFAULT_DEPARTMENTS)["own"] if case.scoped else None
    ctx = Ctx(world=world, role=role, scope="own" if case.scoped else None, client=client, code=code, expected=OK)
    url = reverse(case.name, args=case.args(ctx) if case.args else [])
    data = case.prepare(ctx) if case.prepare else {}
    # The same session (and so the same pending imports), but a client that checks CSRF like a browser would.
    browser = Client(enforce_csrf_checks=True)
    browser.cookies = client.cookies
    before = fingerprint()

    response = browser.post(url, data)

    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert fingerprint() == before, f"changed: {sorted(changed(before, fingerprint()))}"
