"""Which language a page is shown in: the `lang` cookie (set by the language switch), else the
browser's Accept-Language, else English. Babel ids inside (`zh_CN`), BCP 47 outside (`zh-CN`)."""

from typing import Any

from litestar import Request

from pool.rendering import LOCALES, SOURCE_LOCALE

LANG_COOKIE = "lang"
LANGUAGES = (("en", "English"), ("zh-CN", "中文"))  # each named in itself, never translated


def tag(locale: str) -> str:
    """`zh_CN` -> `zh-CN`, for `<html lang>` and the cookie."""
    return locale.replace("_", "-")


def from_tag(value: str | None) -> str | None:
    """A supported locale for a language tag, or None: `zh-cn`, `zh_CN`, `zh`, `zh-Hant-TW`
    -> `zh_CN` (the one Chinese catalog); `en-GB` -> `en`; `fr` -> None."""
    if not value:
        return None
    language = value.strip().replace("_", "-").split("-")[0].lower()
    return next((locale for locale in LOCALES if locale.split("_")[0] == language), None)


def accepted(header: str) -> list[str]:
    """Accept-Language tags by preference (`q=0` means "not this one")."""
    weighted: list[tuple[float, int, str]] = []
    for index, item in enumerate(header.split(",")[:20]):
        name, _, params = item.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        if name and quality > 0:
            weighted.append((-quality, index, name.strip()))
    return [name for _, _, name in sorted(weighted)]


def request_locale(request: Request[Any, Any, Any]) -> str:
    chosen = from_tag(request.cookies.get(LANG_COOKIE))
    if chosen:
        return chosen
    for name in accepted(request.headers.get("accept-language", "")):
        chosen = from_tag(name)
        if chosen:
            return chosen
    return SOURCE_LOCALE
