import pytest


@pytest.fixture(autouse=True)
def _jobs_run_inline(settings) -> None:
    # 发布公开 runs in the request unless a test picks another runner (tests/disclosure/test_jobs.py does).
    settings.EXPORT_RUNNER = "inline"
