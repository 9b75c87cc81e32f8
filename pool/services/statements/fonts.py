"""Whether a Chinese PDF would have Chinese glyphs: WeasyPrint draws text with Pango, which
takes its fonts from fontconfig, and without a font covering Chinese every character is a box.

`cjk_font()` asks fontconfig (its library, the one Pango loads) for the installed fonts whose
languages include `zh`, the question `fc-list ':lang=zh' family` asks, once per process and
required family (cached: a font installed later is seen after a restart). The statements'
CSS names Noto Sans CJK SC, WenQuanYi Micro Hei and Source Han Sans SC, but Pango falls back to
any font covering the text, so by default any one will do; `PATENTPOOL_CJK_FONT` names the
family that must be there instead (a deployment that wants one face in its documents).

`require_cjk_font()` is what statement issuance and the invoice PDF call before they render a
Chinese PDF: it refuses with a 503 problem (`pool.errors.NoCjkFont`) rather than make a PDF of
boxes. `patentpool doctor`
prints the same check, and `serve`, `worker` and `demo` log a warning at start
(`warn_without_cjk_font`).
"""

import logging
import os
from functools import cache
from typing import Any

from pool.errors import NoCjkFont
from pool.rendering import Phrase

CJK_FONT_ENV = "PATENTPOOL_CJK_FONT"
FONTCONFIG_NAMES = ("libfontconfig.so.1", "libfontconfig.so", "libfontconfig.1.dylib", "fontconfig")
INSTALL_HINT = (
    "install a CJK font fontconfig finds (Debian/Ubuntu: apt-get install fonts-wqy-microhei, "
    "or fonts-noto-cjk), then restart"
)
log = logging.getLogger(__name__)

_CDEF = """
typedef struct _FcPattern FcPattern;
typedef struct _FcObjectSet FcObjectSet;
typedef struct _FcConfig FcConfig;
typedef struct _FcFontSet { int nfont; int sfont; FcPattern **fonts; } FcFontSet;
FcPattern *FcNameParse(const unsigned char *name);
FcObjectSet *FcObjectSetCreate(void);
int FcObjectSetAdd(FcObjectSet *os, const char *object);
FcFontSet *FcFontList(FcConfig *config, FcPattern *p, FcObjectSet *os);
int FcPatternGetString(FcPattern *p, const char *object, int n, unsigned char **s);
void FcFontSetDestroy(FcFontSet *s);
void FcObjectSetDestroy(FcObjectSet *os);
void FcPatternDestroy(FcPattern *p);
"""


def required_family() -> str | None:
    """The family `PATENTPOOL_CJK_FONT` names, or None: any font covering Chinese."""
    return os.environ.get(CJK_FONT_ENV, "").strip() or None


@cache
def _fontconfig() -> tuple[Any, Any]:
    from cffi import FFI

    ffi = FFI()
    ffi.cdef(_CDEF)
    for name in FONTCONFIG_NAMES:
        try:
            return ffi, ffi.dlopen(name)
        except OSError:
            continue
    raise OSError("the fontconfig library is not installed")


def _escaped(family: str) -> str:
    """A family name inside a fontconfig pattern (`-`, `:`, `,` and `\\` are syntax)."""
    return "".join("\\" + ch if ch in "\\-:," else ch for ch in family)


@cache
def cjk_font(family: str | None = None) -> str | None:
    """The first (sorted) family of an installed font covering Chinese (`family` itself when
    given and installed), or None. Fontconfig missing altogether counts as no font."""
    try:
        ffi, fc = _fontconfig()
    except OSError:
        return None
    pattern = fc.FcNameParse(f"{_escaped(family) if family else ''}:lang=zh".encode())
    objects = fc.FcObjectSetCreate()
    fc.FcObjectSetAdd(objects, b"family")
    found = fc.FcFontList(ffi.NULL, pattern, objects)
    families = set()
    try:
        for index in range(found.nfont if found != ffi.NULL else 0):
            value = ffi.new("unsigned char **")
            if fc.FcPatternGetString(found.fonts[index], b"family", 0, value) == 0:
                families.add(ffi.string(value[0]).decode("utf-8", "replace"))
    finally:
        if found != ffi.NULL:
            fc.FcFontSetDestroy(found)
        fc.FcObjectSetDestroy(objects)
        fc.FcPatternDestroy(pattern)
    return min(families) if families else None


def problem() -> str | None:
    """What is wrong for Chinese PDFs, in one sentence, or None when a font is there."""
    family = required_family()
    if cjk_font(family) is not None:
        return None
    if family:
        return f"no font '{family}' with Chinese glyphs ({CJK_FONT_ENV}) is installed"
    return "no font with Chinese glyphs is installed: Chinese PDFs would show boxes"


def require_cjk_font() -> None:
    """Refuse (503) to render a Chinese PDF that would have no Chinese glyphs."""
    if problem() is None:
        return
    if family := required_family():
        raise NoCjkFont(
            Phrase(
                "no font '%(family)s' with Chinese glyphs (%(setting)s) is installed, so a "
                "Chinese document would show boxes: install it and restart",
                family=family,
                setting=CJK_FONT_ENV,
            )
        )
    raise NoCjkFont(
        "no font with Chinese glyphs is installed, so a Chinese document would show boxes: "
        "install one (fonts-wqy-microhei or fonts-noto-cjk) and restart"
    )


def warn_without_cjk_font(logger: logging.Logger = log) -> bool:
    """Log a warning at start when Chinese PDFs cannot be made; True when all is well."""
    if (found := problem()) is None:
        return True
    logger.warning(
        "%s; Chinese statements and invoice PDFs will be refused until you %s",
        found,
        INSTALL_HINT.split(", then")[0],
    )
    return False
