"""A refused CSV import reads in the page's language (issue 17), also when it ran as a
background task: the task keeps each fault's phrase (its msgid and values) beside the English
text, and the page translates it when someone reads it."""

from litestar.testing import TestClient

from pool.web.contributor.background_import import BACKGROUND_PATENTS
from tests.web.conftest import World, sign_in
from tests.web.tasks_kit import task_id_of, wait_for
from tests.web.test_contributor_pages import upload
from tests.web.test_service_words import in_chinese, text_of


def patents(count: int, *, again: int, short: int) -> bytes:
    """`count` patents, line `again` repeating line 2's patent, line `short` one field short."""
    rows = ["number,title,filing_date"]
    for line in range(2, count + 2):
        number = 10_000_002 if line == again else 10_000_000 + line
        rows.append(f"US{number}B2,Codec {line}" + ("" if line == short else ",2019-01-15"))
    return ("\n".join(rows) + "\n").encode()


def test_a_refused_import_names_its_faults_in_chinese_in_a_request_and_in_a_task(
    client: TestClient, world: World
) -> None:
    sign_in(client, "uni@example.org")
    in_chinese(client)
    small = text_of(upload(client, world, patents(5, again=4, short=5)).text)
    for words in ("专利 US10000002B2 也出现在第 2 行", "应有 3 个字段，实有 2 个"):
        assert words in small, words
    assert "also on line" not in small
    large = patents(BACKGROUND_PATENTS + 1, again=70, short=90)
    refused = text_of(wait_for(client, task_id_of(upload(client, world, large))).text)
    for words in ("专利 US10000002B2 也出现在第 2 行", "应有 3 个字段，实有 2 个"):
        assert words in refused, words
    for english in ("also on line", "fields, found"):
        assert english not in refused, english
