"""Reading the tables of a rendered budget page (each official or supplementary table is a ``section#table-<key>``)."""

import re
from html import unescape

from bs4 import BeautifulSoup


def section(html: str, key: str) -> dict:
    """The table ``key`` as shown: its title, the texts of its meta line, header rows, body rows and note."""
    soup = BeautifulSoup(html, "html.parser")
    found = soup.select_one(f"section#table-{key}")
    assert found is not None, key
    note = found.select_one(".table-note")
    meta = found.select(".table-meta span")
    return {
        "title": found.select_one(".table-title").get_text().strip(),
        "meta": [span.get_text().strip() for span in meta],
        "header": [[re.sub(r"\s+", "", th.get_text()) for th in tr.find_all("th")] for tr in found.select("thead tr")],
        "rows": [[td.get_text().strip() for td in tr.find_all("td")] for tr in found.select("tbody tr")],
        "note": note.get_text().strip() if note else None,
    }


def body_cells(html: str, key: str) -> list[list[str]]:
    """The texts of the body cells of table ``key`` exactly as written (no stripping), without the serial column."""
    part = html.split(f'id="table-{key}"', 1)[1].split("</section>", 1)[0]
    body = part.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    return [[unescape(text) for text in re.findall(r'<td class="(?!serial)[^"]*">(.*?)</td>', row)] for row in rows]
