from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.services import CatalogImportError, catalog_import, decode_csv, read_csv
from domain.catalogue import CatalogKind


class Command(BaseCommand):
    help = "Load a year's classification catalogue from a CSV file with the header code,name,level,parent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="UTF-8 CSV file")
        parser.add_argument("--year", type=int, required=True, help="budget year (edition), e.g. 2021")
        parser.add_argument("--kind", required=True, choices=[kind.value for kind in CatalogKind])

    def handle(self, *args, file: Path, year: int, kind: str, **options) -> None:
        catalog_kind = CatalogKind(kind)
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"无法读取文件 {file}：{error}") from error
        try:
            report = catalog_import(year=year, kind=catalog_kind, rows=read_csv(decode_csv(data)))
        except CatalogImportError as error:
            raise CommandError(f"{file} 未导入，发现以下错误：\n{error}") from error
        self.stdout.write(self.style.SUCCESS(f"{year}年度{catalog_kind.label}：{report}"))
