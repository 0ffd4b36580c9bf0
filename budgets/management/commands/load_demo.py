from django.core.management.base import BaseCommand

from budgets.demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Load the starter catalogues, the demo budgets (departments 202 and 318, 2021) and demo users."

    def handle(self, *args, **options) -> None:
        users = load_demo()
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入。演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, description in users:
            self.stdout.write(f"  {username:<12} {description}")
