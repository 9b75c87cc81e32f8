"""What every list test checks: a CSV download (BOM, header, rows) and the rows a page shows."""

import csv
import re
from io import StringIO

from httpx import Response


def csv_rows(response: Response) -> list[dict[str, str]]:
    """The CSV download's rows by header, after checking it is one (UTF-8 with a BOM)."""
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    assert re.match(r'attachment; filename="[a-z-]+-\d{4}-\d{2}-\d{2}\.csv"',
                    response.headers["content-disposition"])  # fmt: skip
    assert response.content.startswith(b"\xef\xbb\xbf")
    text = response.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(StringIO(text)))


def row_ids(html: str, prefix: str) -> list[int]:
    """The ids of the rows shown, in order (`<tr id="prefix-ID"`)."""
    return [int(found) for found in re.findall(rf'<tr id="{prefix}-(\d+)"', html)]


def links(html: str, text: str) -> list[str]:
    """The hrefs of the links whose text starts with `text` (entities as in the page)."""
    return [
        href.replace("&amp;", "&")
        for href, label in re.findall(r'<a href="([^"]+)"[^>]*>([^<]*)</a>', html)
        if label.startswith(text)
    ]


def visible_text(html: str) -> str:
    """What a person reads on the page: the text outside tags, scripts and styles, with the
    labels and titles that describe elements."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    described = " ".join(re.findall(r'(?:data-label|aria-label|title|placeholder)="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + described
