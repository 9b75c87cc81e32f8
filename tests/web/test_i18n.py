"""Languages: the switch, Accept-Language, the zh_CN catalog's completeness, and money and
dates in each locale's conventions (exact amounts, no floats)."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from babel.util import pathmatch
from hypothesis import given
from hypothesis import strategies as st
from litestar.testing import TestClient

from allocation.currency import MINOR_UNIT_EXPONENTS
from pool import rendering
from pool.web.extracting import built_messages, raised_messages
from pool.web.locale import accepted, from_tag
from tests.web.conftest import World, post_form, sign_in

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "pool" / "locale" / "zh_CN" / "LC_MESSAGES" / "messages.po"


def test_the_language_switch_renders_chinese_and_is_remembered(
    client: TestClient, world: World
) -> None:
    sign_in(client, "sme@example.org")
    english = client.get("/organisation")
    assert '<html lang="en">' in english.text
    assert "Withholding tax rate" in english.text
    switched = post_form(
        client, "/language", {"lang": "zh-CN", "next": "/organisation"}, page="/organisation"
    )
    assert (switched.status_code, switched.headers["location"]) == (303, "/organisation")
    cookie = switched.headers["set-cookie"]
    assert cookie.startswith("lang=zh-CN;")
    assert "HttpOnly" in cookie
    chinese = client.get("/organisation")
    assert '<html lang="zh-CN">' in chinese.text
    for label in ("预提税率", "民营企业", "小型企业", "退出登录", "2025年6月2日"):
        assert label in chinese.text
    assert "Withholding tax rate" not in chinese.text
    back = post_form(client, "/language", {"lang": "en", "next": "https://evil.example/"}, page="/")
    assert back.headers["location"] == "/"
    assert "Withholding tax rate" in client.get("/organisation").text


def test_without_a_choice_the_browser_language_decides(client: TestClient, world: World) -> None:
    def title(accept: str) -> str:
        html = client.get("/login", headers={"accept-language": accept}).text
        return html.split("<h1>")[1].split("</h1>")[0]

    assert title("zh-CN,zh;q=0.9,en;q=0.8") == "登录"
    assert title("fr-FR, zh-Hans;q=0.5, en;q=0.4") == "登录"
    assert title("fr-FR, en;q=0.5, zh;q=0.4") == "Sign in"
    assert title("de") == "Sign in"
    assert title("zh;q=0, en") == "Sign in"
    client.cookies.set("lang", "en")
    assert title("zh-CN") == "Sign in"  # the switch wins over the browser


def test_language_tags() -> None:
    assert from_tag("zh-CN") == "zh_CN"
    assert from_tag("zh") == "zh_CN"
    assert from_tag("zh-Hant-TW") == "zh_CN"  # the one Chinese catalog
    assert from_tag("en-GB") == "en"
    assert from_tag("fr") is None
    assert from_tag(None) is None
    assert accepted("en;q=0.2, zh-CN, fr;q=0.5, xx;q=bad") == ["zh-CN", "fr", "en"]


def _extracted() -> set[str | tuple[str, ...]]:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {message for _, _, message, *_ in extract_from_dir(ROOT, method_map, options_map)}


def test_babel_cfg_reads_every_template_and_all_of_the_services_code() -> None:
    """Nothing a person reads is left out of the extraction: every template (the pages, the
    e-mails, the documents), and all the Python of the service and its jobs."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, _ = parse_mapping_cfg(config)
    patterns = [pattern for pattern, _ in method_map]
    assert {"pool/**.py", "scheduler/**.py", "templates/**.j2"} <= set(patterns)
    templates = sorted((ROOT / "templates").rglob("*.j2"))
    assert len(templates) > 50
    for template in templates:
        relative = template.relative_to(ROOT).as_posix()
        assert any(pathmatch(pattern, relative) for pattern in patterns), relative


def test_every_message_a_person_reads_has_a_chinese_translation() -> None:
    """What `pybabel extract -F babel.cfg` finds in every template (the web's, the e-mails',
    the documents') and in the service's Python (gettext calls, `N_` marks, and the messages
    services raise to people: pool/web/extracting.py) must all be in the zh_CN catalog,
    translated (not empty, not fuzzy) with the same placeholders."""
    extracted = _extracted()
    assert "Sign in" in extracted
    assert "the current password is wrong" in extracted  # service messages, via messages.py
    # each kind of source the extraction reads: a page, an e-mail, the invoice document, the
    # inventor report, a message a service raises, one a job's service raises
    for known in (
        "Dear %(name)s,",
        "Royalty statement %(serial)s: %(pool)s, %(first)s – %(last)s",
        "Open, to be paid",  # the invoice document
        "Remuneration owed to inventors",  # the inventor report
        "name the pool of the certificate",  # InvalidInput.field(...), in statements
        "distribution run not found",  # NotFound(...)
        "the MT940 statement is empty",  # InvalidInput(...)
    ):
        assert known in extracted, known
    assert "pool_id" not in extracted  # a field's name is not a message
    with PO.open("rb") as source:
        catalog = read_po(source, locale="zh_CN")
    missing, untranslated = [], []
    for msgid in sorted(extracted, key=str):
        entry = catalog.get(msgid)
        if entry is None:
            missing.append(msgid)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if entry.fuzzy or not all(strings):
            untranslated.append(msgid)
    assert missing == [], "add these to the end of messages.po (docs/web.md)"
    assert untranslated == []
    problems = [(message.id, errors) for message, errors in catalog.check()]
    assert problems == []


def test_raised_messages_are_literal_sentences_given_to_domain_errors() -> None:
    source = """
from pool.errors import FieldError, InvalidInput, NotFound
from pool import errors
raise NotFound("invoice not found")
raise InvalidInput.field("pool_id", "name the pool")
raise errors.Conflict("already done, twice")
FieldError(message="must be positive", field="amount")
raise InvalidInput(f"{field}: bad", [])
raise ValueError("not shown to people")
raise NotFound("code_only")
raise Conflict(Phrase("run %(id)s is closed", id=run.id))
"""
    assert [message for _, message in raised_messages(source)] == [
        "invoice not found",
        "name the pool",
        "already done, twice",
        "must be positive",
        "run %(id)s is closed",
    ]


def test_no_message_a_person_reads_is_built_at_run_time() -> None:
    """A message given to a domain error (or a field error, or as a `Phrase`) written as an
    f-string, `+`, `%` or `.format` cannot be extracted, so the Chinese page would show it in
    English: every one in the service and its jobs is a literal or a `Phrase` with values."""
    built = [
        f"{path.relative_to(ROOT)}:{line}: {code}"
        for folder in ("pool", "scheduler")
        for path in sorted((ROOT / folder).rglob("*.py"))
        for line, code in built_messages(path.read_text(encoding="utf-8"))
    ]
    assert built == [], "write these as Phrase('... %(name)s ...', name=...) (pool.rendering)"


def test_built_messages_are_found_however_they_are_built() -> None:
    source = """
raise NotFound(f"invoice {number} not found")
raise errors.Conflict("run " + str(run_id) + " is closed")
raise Conflict("run %s is closed" % run_id)
raise InvalidInput.field("year", "must be from {0}".format(first))
FieldError(message=f"line {n}", line=n)
raise NotFound(f"{what} not found" if what else "not found")
raise Forbidden(Phrase("this needs the role %(roles)s", roles=" or ".join(roles)))
raise InvalidInput(f"{len(faults)} problem(s) found", faults)
raise InvalidInput(f"{field}: bad", [])
raise ValueError(f"not shown to {people}")
raise NotFound(NOT_FOUND)
"""
    assert [line for line, _ in built_messages(source)] == [2, 3, 4, 5, 6, 7, 10]


def test_constant_messages_are_extracted_and_phrases_survive_a_task() -> None:
    """A message kept in a module's constant is extracted like a literal one; a phrase a
    background task stored (as JSON) is translated when its page is read."""
    source = 'NOT_FOUND = "deal not found"\nCODE = "x"\nraise NotFound(NOT_FOUND)\n'
    assert [message for _, message in raised_messages(source)] == ["deal not found"]
    fault = rendering.keep_phrase(
        {
            "message": rendering.Phrase(
                "patent %(canonical)s also on line %(line)s", canonical="CN1", line=3
            )
        }
    )
    stored = json.loads(json.dumps(fault))
    assert stored["message"] == "patent CN1 also on line 3"
    with rendering.locale_of("zh_CN"):
        assert rendering.translate(rendering.kept_message(stored)) == "专利 CN1 也出现在第 3 行"
        assert rendering.translate(rendering.kept_message({"message": "deal not found"})) == (
            "未找到该交易"
        )
        # a filled-in sentence the catalog has whole keeps its own translation
        assert rendering.translate(rendering.Phrase("%(what)s not found", what="invoice")) == (
            "未找到该发票"
        )


def test_the_catalog_is_compiled_from_the_po_file_at_run_time() -> None:
    assert rendering.translations("zh_CN").gettext("Sign in") == "登录"
    assert rendering.translations("en").gettext("Sign in") == "Sign in"
    with rendering.locale_of("zh_CN"):
        assert rendering.gettext("Wrong e-mail or password.") == "电子邮箱或密码错误。"
        assert rendering.ngettext("%(num)d month", "%(num)d months", 3) == "%(num)d 个月"
    assert rendering.gettext("Sign in") == "Sign in"  # outside: the source language


@pytest.mark.parametrize(
    ("locale", "amount_minor", "currency", "shown"),
    [
        ("en", 123456, "USD", "$1,234.56"),
        ("zh_CN", 123456, "USD", "US$1,234.56"),
        ("en", 123456, "CNY", "CN¥1,234.56"),
        ("zh_CN", 123456, "CNY", "¥1,234.56"),
        ("zh_CN", 1234, "JPY", "JP¥1,234"),
        ("en", 1000, "IQD", "IQD1.000"),  # CLDR shows 0 decimals; ISO 4217 has 3: kept
        ("en", -5, "EUR", "-€0.05"),
        ("zh_CN", 10**17 + 1, "CNY", "¥1,000,000,000,000,000.01"),
    ],
)
def test_money_per_currency_and_locale(
    locale: str, amount_minor: int, currency: str, shown: str
) -> None:
    with rendering.locale_of(locale):
        assert rendering.local_money(amount_minor, currency) == shown


@given(
    amount=st.integers(min_value=-(10**17), max_value=10**17),
    currency=st.sampled_from(sorted(MINOR_UNIT_EXPONENTS)),
    locale=st.sampled_from(["en", "zh_CN"]),
)
def test_shown_money_keeps_every_minor_unit(amount: int, currency: str, locale: str) -> None:
    with rendering.locale_of(locale):
        shown = rendering.local_money(amount, currency)
    digits = "".join(ch for ch in shown if ch.isdigit())
    assert int(digits) == abs(amount)


def test_dates_rates_and_percentages_per_locale() -> None:
    day, moment = date(2025, 6, 2), datetime(2025, 6, 2, 9, 30, tzinfo=UTC)
    with rendering.locale_of("zh_CN"):
        assert rendering.local_date(day) == "2025年6月2日"
        assert rendering.local_datetime(moment).endswith("UTC")
        assert rendering.local_rate("0.5", "CNY") == "¥0.50"
        assert rendering.local_percent(Decimal("0.035")) == "3.5%"
    with rendering.locale_of("en"):
        assert rendering.local_date(day) == "Jun 2, 2025"
        assert rendering.local_rate("0.0125", "USD") == "$0.0125"
        assert rendering.local_number(100000) == "100,000"
