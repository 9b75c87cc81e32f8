"""A schema's refusal (pydantic) reaches a page in the page's language: our own msgids by
error type, with the limits filled in, never pydantic's English sentences."""

from litestar.testing import TestClient
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import Engine

from pool.rendering import Phrase, locale_of, translate
from pool.web import schema_messages
from tests.web.conftest import World, post_form, sign_in
from tests.web.test_admin_pages import status_of, submitted_patent


class Sample(BaseModel):
    name: str = Field(min_length=1, max_length=5)
    count: int = Field(gt=0, le=10)
    day: str = Field(pattern=r"^\d+$")


def refusal(**values: object) -> dict[str, list[str]]:
    try:
        Sample.model_validate(values)
    except ValidationError as error:
        return schema_messages.by_field(error.errors())
    raise AssertionError("accepted")


def test_each_error_type_has_our_message_with_its_limit() -> None:
    assert refusal(name="", count="x", day="1") == {
        "name": ["required"],
        "count": ["not a whole number"],
    }
    found = refusal(name="toolong", count=11, day="a")
    assert found == {
        "name": ["must be at most 5 characters"],
        "count": ["must be at most 10"],
        "day": ["not in the expected format"],
    }
    assert refusal(name="a", count=0, day="1") == {"count": ["must be greater than 0"]}
    assert refusal(count=1, day="1") == {"name": ["required"]}
    limit = found["name"][0]
    assert isinstance(limit, Phrase)
    with locale_of("zh_CN"):
        assert translate(limit) == "最多 5 个字符"
        assert translate("required") != "required"
    with locale_of("en"):
        assert translate(limit) == "must be at most 5 characters"


def test_a_chinese_page_shows_a_refused_form_in_chinese(
    client: TestClient, engine: Engine, world: World
) -> None:
    patent_id = submitted_patent(client, world)
    sign_in(client, "admin@example.org")
    client.cookies.set("lang", "zh-CN")
    bad_day = post_form(
        client,
        f"/admin/patents/{patent_id}/accept",
        {"grade": "A", "admitted_on": "not a day"},
        page="/admin/patents",
    )
    assert bad_day.status_code == 422
    assert '<html lang="zh-CN">' in bad_day.text
    assert "请输入日期" in bad_day.text
    assert "Input should be" not in bad_day.text
    too_long = post_form(
        client, f"/admin/patents/{patent_id}/reject", {"reason": "x" * 4001}, page="/admin/patents"
    )
    assert too_long.status_code == 422
    assert "最多 4000 个字符" in too_long.text
    assert "String should" not in too_long.text
    assert status_of(engine, patent_id) == ("submitted", None)
