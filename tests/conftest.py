import tempfile
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.models import Role, User
from budgets.models import Budget
from demo.loader import DEMO_PASSWORD, load_demo
from departments.models import Unit
from tests.support.budgets import CENTRE, PASSWORD, SmallWorld, make_small_world

pytest_plugins = ["tests.support.editions"]  # the renamed_edition fixture


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _an_empty_cache() -> None:
    """Each test starts with nothing kept (budgets.computed): a test's database is rolled back or flushed after
    it, and the next one's budgets may come back under the same ids and revisions."""
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path) -> None:
    """Uploaded and generated files (import previews, exports, published PDFs) of a test stay in its own folder,
    never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def upload_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """django-import-export keeps an upload in the temporary folder between preview and confirmation: the test's
    own folder, for the admin import tests (``pytest.mark.usefixtures("upload_folder")``)."""
    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def small(db) -> SmallWorld:
    """A tiny 2021 catalogue, two departments with a small budget each and a user of each role
    (tests/support/budgets.py): what most tests need."""
    return make_small_world()


@pytest.fixture
def centre(small: SmallWorld) -> Unit:
    """The small world's 服务中心, with its own accountant ``unit_centre`` (单位填报人)."""
    unit = Unit.objects.get(department=small.budget.department, name=CENTRE)
    User.objects.create_user(
        "unit_centre", password=PASSWORD, role=Role.UNIT_ACCOUNTANT, department=small.budget.department, unit=unit
    )
    return unit


@pytest.fixture
def demo(db) -> dict[str, Budget]:
    """Starter catalogues, demo budgets 202 and 318 of 2021, and the demo users: for tests about the published
    example (its figures, golden comparisons, the browser story), not as a general-purpose budget."""
    load_demo()
    return {budget.department.code: budget for budget in Budget.objects.select_related("department")}


@pytest.fixture
def login(client: Client):
    """Log the test client in as a user of the small world or the demo: ``login("accountant")``."""

    def _login(username: str) -> Client:
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return _login
