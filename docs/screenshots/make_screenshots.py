"""Print the official workbooks with LibreOffice and keep one PNG per table in docs/screenshots/.

    .venv/bin/python docs/screenshots/make_screenshots.py [--dpi 100] [--work /tmp/budget-shots]

Needs soffice (Debian: libreoffice-calc), pdftoppm/pdftotext/pdfinfo (poppler-utils) and a CJK font
(fonts-noto-cjk). Steps: a throw-away SQLite database with the demo data (never var/db.sqlite3); the
2021 workbooks of departments 202 and 318 from ``manage.py export_budget``; each workbook printed to PDF
by LibreOffice headless (every sheet on its own A4 pages, as the workbook's print settings say); the
first page of each sheet found by its title (pdftotext); that page, and the second one of a sheet that
runs over, rendered to PNG in grey at --dpi.

The workbook asks for the font 宋体, which a Linux box has not got; unless --no-font-alias, LibreOffice
gets a private fontconfig file that maps 宋体/SimSun to Noto Serif CJK SC (a Song face, like the original).
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "docs" / "screenshots"
YEAR = 2021
# 202 is printed in full; 318 only where its tables have data that 202's have not.
DEPARTMENTS = {
    "202": None,
    "318": (
        "income",
        "expenditure",
        "fiscal-summary",
        "govfund-appropriation",
        "three-public",
        "procurement",
        "fixed-assets",
    ),
}
PAGE_SIZE = re.compile(r"Page +\d+ size:")
FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimSun</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
</fontconfig>
"""


def run(*command: str | Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run([str(part) for part in command], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, command))}\n{result.stdout}{result.stderr}")
    return result.stdout


def official_tables() -> list[tuple[str, str]]:
    """(key, title) of each sheet, in workbook order."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "budgetoffice.settings")
    import django

    django.setup()
    from official.workbook import sheet_name
    from tests.support.hebei_2021 import OFFICIAL_TABLES

    return [(layout.key, sheet_name(layout)) for layout in OFFICIAL_TABLES]


def page_text(pdf: Path, page: int) -> list[str]:
    text = run("pdftotext", "-f", str(page), "-l", str(page), "-layout", pdf, "-")
    return [line.strip() for line in text.splitlines() if line.strip()]


def squeeze(text: str) -> str:
    return "".join(text.split())


def sheet_pages(pdf: Path, tables: list[tuple[str, str]]) -> dict[str, list[int]]:
    """The PDF pages of each sheet: a sheet starts on the page whose first line is its title."""
    info = run("pdfinfo", "-f", "1", "-l", "999", pdf)
    sizes = [line.split(":", 1)[1].split("pts")[0].strip() for line in info.splitlines() if PAGE_SIZE.match(line)]
    for number, size in enumerate(sizes, start=1):
        width, height = (float(value) for value in size.split(" x "))
        if not (abs(width - 841.89) < 1 and abs(height - 595.28) < 1):
            print(f"  ! {pdf.name} page {number} is {size} pts, not A4 landscape")
    titles = {squeeze(title): key for key, title in tables}
    pages: dict[str, list[int]] = {}
    current = None
    for number in range(1, len(sizes) + 1):
        lines = page_text(pdf, number)
        key = titles.get(squeeze(lines[0])) if lines else None
        if key is not None:
            current = key
            pages[current] = []
        elif current is None:
            sys.exit(f"{pdf.name} page {number} does not start with a table title")
        pages[current].append(number)
    missing = [key for key, _ in tables if key not in pages]
    if missing:
        sys.exit(f"{pdf.name}: no page found for {', '.join(missing)}")
    return pages


def render(pdf: Path, page: int, target: Path, dpi: int) -> None:
    stem = target.with_suffix("")
    run("pdftoppm", "-f", str(page), "-l", str(page), "-r", str(dpi), "-gray", "-png", "-singlefile", pdf, stem)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--work", type=Path, default=Path("/tmp/budget-shots"), help="scratch directory (emptied)")
    parser.add_argument("--lo-profile", default="file:///tmp/lo-profile", help="LibreOffice UserInstallation URL")
    parser.add_argument("--no-font-alias", action="store_true", help="let fontconfig pick the fallback for 宋体")
    args = parser.parse_args()

    for tool in ("soffice", "pdftoppm", "pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is missing: apt-get install libreoffice-calc poppler-utils fonts-noto-cjk")

    work: Path = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    database = work / "shots.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}", "DEBUG": "1"}
    os.environ.update(DATABASE_URL=env["DATABASE_URL"], DEBUG="1")  # the settings imported below, too
    manage = (sys.executable, ROOT / "manage.py")
    run(*manage, "migrate", "--noinput", "-v0", env=env)
    run(*manage, "load_demo", "--no-unit-accountants", env=env)  # the walk is one accountant's

    lo_env = dict(env)
    if not args.no_font_alias:
        fonts_conf = work / "fonts.conf"
        fonts_conf.write_text(FONTS_CONF, encoding="utf-8")
        lo_env["FONTCONFIG_FILE"] = str(fonts_conf)

    tables = official_tables()
    numbers = {key: index for index, (key, _) in enumerate(tables, start=1)}
    for old in OUT_DIR.glob("*.png"):
        old.unlink()
    kept: list[Path] = []
    for department, wanted in DEPARTMENTS.items():
        workbook = work / f"{department}.xlsx"
        run(*manage, "export_budget", "--year", str(YEAR), "--department", department, "-o", workbook, env=env)
        run(
            "soffice",
            f"-env:UserInstallation={args.lo_profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            work,
            workbook,
            env=lo_env,
        )
        pdf = workbook.with_suffix(".pdf")
        if not pdf.exists():
            sys.exit(f"LibreOffice wrote no {pdf} (another soffice using {args.lo_profile}?)")
        pages = sheet_pages(pdf, tables)
        print(f"{department}: {sum(len(p) for p in pages.values())} pages")
        for key, sheet in pages.items():
            repeated = ""
            if len(sheet) > 1:
                first_line = page_text(pdf, sheet[1])[0]
                repeated = f"; page {sheet[1]} starts with {first_line!r}"
            print(f"  {numbers[key]:02d} {key}: pages {sheet[0]}-{sheet[-1]} ({len(sheet)}){repeated}")
            if wanted is not None and key not in wanted:
                continue
            name = f"{department}-{numbers[key]:02d}-{key}"
            targets = [(sheet[0], OUT_DIR / f"{name}.png")]
            if len(sheet) > 1:
                targets.append((sheet[1], OUT_DIR / f"{name}-page2.png"))
            for page, target in targets:
                render(pdf, page, target, args.dpi)
                kept.append(target)
    total = sum(path.stat().st_size for path in kept)
    print(f"{len(kept)} PNG files in {OUT_DIR.relative_to(ROOT)}, {total / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
