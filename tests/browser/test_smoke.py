from budgets.demo.loader import DEMO_PASSWORD, load_demo
from tests.browser.support import log_in


def test_an_accountant_logs_in_and_sees_the_budgets_of_the_department(page, transactional_db) -> None:
    load_demo()
    log_in(page, "acc202", DEMO_PASSWORD)
    assert "中共石家庄市鹿泉区委办公室" in page.inner_text("body")
