"""The list toolkit's pure parts (issue 17): LIKE patterns take `%`, `_` and `\\` literally,
filters keep only values they understand, links keep every filter and turn a sorted column the
other way, and a CSV opens in Excel as written (BOM, amounts in major units, no formulas)."""

from collections.abc import Iterator
from datetime import date

from pool.services.common.listing import ListQuery, like_pattern
from pool.web.lists import Filter, ListSpec, ListView, csv_response, major_units

SPEC = ListSpec(
    filters=(Filter("state", "choice", ("active", "draft")), Filter("pool", "id")),
    sorts=("licensee", "start"),
    default_sort="licensee",
)


def test_like_patterns_take_their_own_characters_literally() -> None:
    assert like_pattern("100%_A\\b") == "%100\\%\\_a\\\\b%"
    assert like_pattern("华为") == "%华为%"


def test_filters_keep_only_values_they_understand() -> None:
    assert Filter("state", "choice", ("active",)).clean(" active ") == "active"
    assert Filter("state", "choice", ("active",)).clean("gone") is None
    assert Filter("pool", "id").clean("12") == "12"
    for bad in ("0", "-1", "1e3", "99999999999", "١٢"):
        assert Filter("pool", "id").clean(bad) is None, bad
    assert Filter("year", "year").clean("2025") == "2025"
    assert Filter("year", "year").clean("25") is None
    assert Filter("from", "day").clean("2025-02-29") is None
    assert Filter("from", "day").clean("2024-02-29") == "2024-02-29"
    assert Filter("q", "text").clean("x" * 101) is None
    assert Filter("overdue", "yes").clean("yes") == "yes"
    assert Filter("overdue", "yes").clean("no") is None


def test_links_keep_every_filter_and_sorting_turns_the_column_around() -> None:
    query = ListQuery(q="acme", filters={"state": "active", "pool": "3"}, page=2)
    view = ListView(SPEC, query, "/admin/agreements")
    assert view.page_href(3) == "/admin/agreements?q=acme&state=active&pool=3&page=3"
    assert view.page_href(1) == "/admin/agreements?q=acme&state=active&pool=3"
    assert view.csv_href() == "/admin/agreements?q=acme&state=active&pool=3&format=csv"
    assert view.sort_href("licensee").endswith("&sort=-licensee")  # sorted by it: turn around
    assert view.sort_href("start").endswith("&sort=start")
    assert view.aria_sort("licensee") == "ascending"
    assert view.aria_sort("start") == "none"
    turned = ListView(SPEC, ListQuery(sort="start", descending=True), "/x")
    assert turned.sort_href("start") == "/x?sort=start"
    assert turned.aria_sort("start") == "descending"
    assert view.pages(101) == {"number": 2, "last": 3, "previous": 1, "next": 3}
    assert view.pages(0)["last"] == 1


def test_a_csv_opens_as_written() -> None:
    response = csv_response(
        "invoices", date(2025, 6, 2), ("name", "total", "currency"),
        [("深圳样例", major_units(123456, "CNY"), "CNY"), ("=HYPERLINK(1)", "-5.00", "JPY")],
    )  # fmt: skip
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="invoices-2025-06-02.csv"')  # fmt: skip
    body = b"".join(response.iterator)
    assert body.startswith("\ufeff".encode())
    lines = body.decode("utf-8").removeprefix("\ufeff").splitlines()
    assert lines == ["name,total,currency", "深圳样例,1234.56,CNY", "'=HYPERLINK(1),-5.00,JPY"]
    assert major_units(1234, "JPY") == "1234"


def test_a_long_csv_is_streamed_in_chunks_as_its_rows_come() -> None:
    """Rows are written as the iterable yields them (a service's `Export` reads them from
    the database a batch at a time), not gathered first."""
    given: list[int] = []

    def rows() -> Iterator[tuple[int]]:
        for n in range(1, 1201):
            given.append(n)
            yield (n,)

    response = csv_response("audit", date(2025, 6, 2), ("n",), rows())
    chunks = iter(response.iterator)
    first = next(chunks)
    assert len(given) == 500  # the first chunk went out after 500 rows
    body = first + b"".join(chunks)
    assert len(given) == 1200
    assert body.decode("utf-8").removeprefix("\ufeff").splitlines() == [
        "n",
        *(str(n) for n in range(1, 1201)),
    ]
    assert major_units(-5, "USD") == "-0.05"
