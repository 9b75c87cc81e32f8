"""A statement's HTML as PDF with WeasyPrint (moved out of `documents`, which re-exports
`render_pdf`; the decisions are in that module's docstring): the same HTML gives the same
bytes, and nothing outside the document is fetched."""

import hashlib
import os
import warnings
from functools import cache
from typing import Any, NamedTuple


class _WeasyPrint(NamedTuple):
    html: Any  # weasyprint.HTML
    refusing_fetcher: Any  # a weasyprint.urls.URLFetcher subclass
    fatal_fetch_error: type[BaseException]


@cache
def _weasyprint() -> _WeasyPrint:
    """WeasyPrint, imported on first use: it takes about 0.4 s and loads Pango, which the web
    app and the CLI do not need until a PDF is made.

    Without HarfBuzz's subsetter library (Debian `libharfbuzz-subset0`) WeasyPrint's import
    warns that a future version will need it (DeprecationWarning, an error under our pytest
    settings) and subsets fonts with fontTools instead, logging a warning at each PDF. That
    one import warning is silenced; the log line stays, so operators still see it."""
    warnings.filterwarnings(
        "ignore", message="HarfBuzz-Subset will be required", category=DeprecationWarning
    )
    import weasyprint
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class RefusingFetcher(URLFetcher):  # type: ignore[misc]
        """A statement is self-contained: any URL (image, stylesheet, font, even `data:`)
        stops the rendering."""

        def __init__(self) -> None:
            super().__init__(fail_on_errors=True)

        def fetch(self, url: str, headers: object = None) -> None:
            raise PermissionError(f"statement documents fetch nothing, refused: {url}")

    return _WeasyPrint(weasyprint.HTML, RefusingFetcher, FatalURLFetchingError)


def _pin_font_timestamps() -> None:
    """fontTools stamps every font it subsets with the current time unless
    `SOURCE_DATE_EPOCH` is set (reproducible-builds.org), and WeasyPrint subsets with fontTools
    when `libharfbuzz-subset0` is missing. Pin it for the process to one constant (so
    concurrent renderings agree), unless the operator chose a value."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "0")


def render_pdf(html: bytes) -> bytes:
    """The HTML statement as PDF: the same bytes for the same HTML on one set of installed
    fonts (the PDF embeds a subset of the font fontconfig picks). CPU-bound, about half a
    second: call it off the event loop."""
    _pin_font_timestamps()
    weasy = _weasyprint()
    identifier = hashlib.sha256(html).hexdigest()[:32].encode("ascii")
    try:
        document = weasy.html(string=html.decode("utf-8"), url_fetcher=weasy.refusing_fetcher())
        pdf = document.write_pdf(pdf_identifier=identifier)
    except weasy.fatal_fetch_error as error:
        raise ValueError(f"statement HTML refers to an external resource: {error}") from error
    return bytes(pdf)
