from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.loader import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = (
        "Load the starter catalogues, the demo budgets (departments 202 and 318, 2021) and demo users: the bureau's, "
        "each department's accountant and one 单位填报人 per unit."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="load even with DEBUG off (it resets the demo users' passwords)"
        )
        parser.add_argument(
            "--no-unit-accountants",
            action="store_true",
            help="without the 单位填报人: each department enters all its units itself, as a department without them",
        )

    def handle(self, *args, force: bool = False, no_unit_accountants: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "演示数据只用于开发环境（DEBUG=1）：它会重置演示账号的密码和演示部门的预算。确需载入请加 --force。"
            )
        users = load_demo(unit_accountants=not no_unit_accountants)
        self.stdout.write(self.style.SUCCESS(f"演示数据已载入。演示账号（密码均为 {DEMO_PASSWORD}）："))
        for username, description in users:
            self.stdout.write(f"  {username:<12} {description}")
