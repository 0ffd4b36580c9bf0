from django.core.management.base import BaseCommand, CommandParser

from catalog.models import BudgetYear
from official.edition import editions


class Command(BaseCommand):
    help = (
        "List the editions of the official template (official/editions/): key, name, tables, and the years using each."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--tables", action="store_true", help="also list each edition's tables with their titles")

    def handle(self, *args, tables: bool, **options) -> None:
        years: dict[str, list[str]] = {}
        for year, key in BudgetYear.objects.order_by("year").values_list("year", "edition"):
            years.setdefault(key, []).append(str(year))
        for key, found in editions().items():
            used = "、".join(years.get(key, [])) or "无"
            self.stdout.write(f"{key}\t{found.name}\t{found.level}\t{len(found.tables)} 张表\t使用年度：{used}")
            if tables:
                for layout in found.tables:
                    number = f"表{layout.number}" if layout.number is not None else "附表"
                    self.stdout.write(f"  {layout.key}\t{number}\t{layout.title}")
