import pytest
from django.test import Client

from budgets.models import Budget
from demo.loader import DEMO_PASSWORD, load_demo


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path) -> None:
    """Uploaded and generated files (import previews, exports, published PDFs) of a test stay in its own folder,
    never in var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def demo(db) -> dict[str, Budget]:
    """Starter catalogues, demo budgets 202 and 318 of 2021, and the demo users."""
    load_demo()
    return {budget.department.code: budget for budget in Budget.objects.select_related("department")}


@pytest.fixture
def login(client: Client):
    """Log the test client in as a demo user: ``login("acc202")``."""

    def _login(username: str) -> Client:
        assert client.login(username=username, password=DEMO_PASSWORD)
        return client

    return _login
