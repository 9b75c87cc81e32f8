"""The one Jinja environment: every template under the top-level `templates/` package.

Autoescape is on (names come from users) and undefined variables are errors, so a template
never silently prints an empty field. Templates only format prepared view models; the filters
below are that formatting, done in Python and exactly (no floats):

- ``money(amount_minor, currency)``: integer minor units as a grouped decimal, ``1,234.56``;
- ``percent(rate)``: a decimal rate string as a percentage, ``"0.125"`` -> ``12.5%``;
- ``last_day(end)``: the last day (ISO) of a half-open period ending at ``end``;
- ``local_money``, ``local_rate``, ``local_percent``, ``local_points``, ``local_number``,
  ``local_date``, ``local_datetime``: the same values in the conventions of the locale being
  rendered (``¥1,234.56`` / ``US$1,234.56`` in zh_CN, ``2025年6月2日``), through Babel and CLDR.

Translation: Jinja's i18n extension is installed with callables that read the locale of the
current `render_in(locale, ...)` call, so one environment serves every language at once. The
catalogs are the `pool/locale/<locale>/LC_MESSAGES/messages.po` files, compiled in memory on
first use (no `.mo` files to keep in step); English is the source language. Literal text is
``{{ _("Sign in") }}``; a msgid held in a variable (a label, a service's message) is
``{{ message | translate }}``, which escapes it: ``_()`` marks its result safe, so it must
never be given text that could contain user input.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from copy import copy
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache
from gettext import NullTranslations
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from allocation.currency import format_minor, minor_unit_exponent

LOCALE_DIR = Path(__file__).parent / "locale"
SOURCE_LOCALE = "en"
LOCALES = ("en", "zh_CN")  # Babel identifiers; the web shows them as BCP 47 (`zh-CN`)
_locale: ContextVar[str] = ContextVar("patentpool_render_locale", default=SOURCE_LOCALE)


def money(amount_minor: int, currency: str) -> str:
    """Minor units in major units with grouping, exactly: ``123456`` CNY -> ``1,234.56``."""
    return format_minor(amount_minor, currency)


def percent(rate: str) -> str:
    """A rate kept as a decimal string, shown as a percentage: ``"0.10"`` -> ``10%``."""
    return f"{Decimal(rate).scaleb(2).normalize():f}%"


def last_day(end: date) -> str:
    """Periods are half-open ``[start, end)``; people read the last day they cover."""
    return (end - timedelta(days=1)).isoformat()


def last_day_of(end: date) -> date:
    """The last day of a half-open period ``[start, end)``, as a date to format."""
    return end - timedelta(days=1)


@cache
def translations(locale: str) -> NullTranslations:
    """The locale's catalog compiled in memory (fuzzy entries left out, as `pybabel compile`
    does); the source language and locales without a catalog translate to themselves."""
    po = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if not po.is_file():
        return NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=locale)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def current_locale() -> str:
    return _locale.get()


@contextmanager
def locale_of(locale: str) -> Iterator[None]:
    """Translate and format in `locale` inside the block (rendering, messages built in code)."""
    token = _locale.set(locale if locale in LOCALES else SOURCE_LOCALE)
    try:
        yield
    finally:
        _locale.reset(token)


class Phrase(str):
    """A message with values inside: as text it is the English sentence (for logs and the
    API); `| translate` translates its msgid and then fills in the values."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, **values: object) -> "Phrase":
        made = super().__new__(cls, msgid % values if values else msgid)
        made.msgid, made.values = msgid, values
        return made

    def record(self) -> dict[str, Any]:
        """The phrase as JSON keeps it (a background task's refusal is stored, then shown in
        the language of whoever looks): its msgid and its values as text."""
        return {"msgid": self.msgid, "values": {k: str(v) for k, v in self.values.items()}}


def keep_phrase(stored: dict[str, Any], key: str = "message") -> dict[str, Any]:
    """`stored` with its message's phrase recorded beside the English text, for JSON."""
    message = stored[key]
    return stored | {f"{key}_phrase": message.record()} if isinstance(message, Phrase) else stored


def kept_message(stored: dict[str, Any], key: str = "message") -> str:
    """A message stored by a background task (`Phrase.record` beside it): the phrase again,
    so the page translates it; else the text as stored (a msgid, or words as written)."""
    record = stored.get(f"{key}_phrase")
    if isinstance(record, dict):
        return Phrase(str(record["msgid"]), **dict(record["values"]))
    return str(stored.get(key) or "")


def gettext(message: str) -> str:
    return translations(_locale.get()).gettext(message)


def translate(message: str) -> str:
    """A msgid held in a variable (a label, a service's message, a `Phrase`), translated."""
    if isinstance(message, Phrase):
        if not message.values:
            return gettext(message.msgid)
        whole = gettext(message)  # a filled-in sentence the catalog has ("invoice not found")
        return whole if whole != message else gettext(message.msgid) % message.values
    return gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(_locale.get()).ngettext(singular, plural, n)


def local_money(amount_minor: int, currency: str) -> str:
    """Minor units as the exact Decimal amount, in the locale's currency pattern with as many
    decimals as ISO 4217 gives the currency (CLDR shows fewer for some, e.g. IQD: never rounded
    away): ``123456`` CNY -> ``¥1,234.56`` in zh_CN, ``CN¥1,234.56`` in en."""
    exponent = minor_unit_exponent(currency)
    pattern = copy(Locale.parse(_locale.get()).currency_formats["standard"])
    pattern.frac_prec = (exponent, exponent)
    amount = Decimal(amount_minor).scaleb(-exponent)
    return format_currency(
        amount, currency, format=pattern, locale=_locale.get(), currency_digits=False
    )


def local_rate(rate: str | Decimal, currency: str) -> str:
    """A per-unit rate kept as a decimal string in major units: ``"0.5"`` USD -> ``$0.50``."""
    return format_currency(
        Decimal(rate), currency, locale=_locale.get(), decimal_quantization=False
    )


def local_percent(fraction: str | Decimal) -> str:
    """A fraction as a local percentage, every digit kept: ``"0.035"`` -> ``3.5%``."""
    return format_percent(Decimal(fraction), locale=_locale.get(), decimal_quantization=False)


def local_points(percent: str | Decimal) -> str:
    """A percentage as terms write it, in points: ``"1.5"`` -> ``1.5%``, every digit kept."""
    return local_percent(Decimal(percent).scaleb(-2))


def local_number(value: int | str | Decimal) -> str:
    return format_decimal(Decimal(value), locale=_locale.get(), decimal_quantization=False)


def local_date(day: date | str, style: str = "medium") -> str:
    """A date, or one written as ISO `YYYY-MM-DD` (facts stored as JSON), the locale's way."""
    day = date.fromisoformat(day) if isinstance(day, str) else day
    return format_date(day, format=style, locale=_locale.get())


def local_datetime(moment: datetime, style: str = "medium") -> str:
    """Timestamps are UTC and shown as UTC (users' time zones are not known yet)."""
    shown = format_datetime(moment, format=style, tzinfo=UTC, locale=_locale.get())
    return f"{shown} UTC"


@cache
def environment() -> Environment:
    """Built once per process, on first use (nothing is built at import)."""
    env = Environment(
        loader=PackageLoader("templates", ""),
        # HTML everywhere but the plain-text e-mails (`templates/mail/*.txt.j2`)
        autoescape=select_autoescape(
            disabled_extensions=("txt.j2",), default=True, default_for_string=True
        ),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        money=money,
        percent=percent,
        last_day=last_day,
        last_day_of=last_day_of,
        translate=translate,  # a msgid held in a variable; the result is escaped like any text
        local_money=local_money,
        local_rate=local_rate,
        local_percent=local_percent,
        local_points=local_points,
        local_number=local_number,
        local_date=local_date,
        local_datetime=local_datetime,
    )
    return env


def render(template: str, **context: Any) -> str:
    """Render in the source language (documents choose their language with their own labels)."""
    return environment().get_template(template).render(**context)


def render_in(locale: str, template: str, **context: Any) -> str:
    """Render with `_()`, `| translate` and the `local_*` filters in `locale` (web pages)."""
    with locale_of(locale):
        return environment().get_template(template).render(**context)
