"""Every page a person reaches from the menus, in Chinese, as each role (issue 17): the main
pages and one page of each kind linked from them, over a small world with money in it
(two quarters: reports, invoices, payments, an approved run, statements). No run of English
words is left on them but names, codes and what people typed."""

import re
from html import unescape
from urllib.parse import urlsplit

from litestar.testing import TestClient
from sqlalchemy import Engine, update
from sqlmodel import col, select

from pool.db import session_scope
from pool.models.organisation import Organisation
from pool.models.outbox import OutboxMessage
from tests.conftest import FakeClock
from tests.web.conftest import World, post_form, sign_in
from tests.web.test_contributor_pages import issued_statements

ROLES = {
    "administrator": "admin@example.org",
    "auditor": "auditor@example.org",
    "licensee": "sme@example.org",
    "contributor": "uni@example.org",
}
# what the world's people and the worked example typed or were given: names, not words
NAMES = (
    "Test pool", "Uni A", "Lab B", "SME L", "Big M", "mobile device",
)  # fmt: skip
# two or more Latin words in a row (a run of English); codes, ids and numbers are not words
WORD = r"(?<![\w:/.-])[A-Za-z][a-z]+(?![\w:/-])"  # not part of a code (`closed-form`)
ENGLISH = re.compile(rf"{WORD}(?:[ ,;'’]+{WORD})+")
# links that do something or download rather than show a page
NOT_PAGES = re.compile(
    r"/(logout|language)$|\.(pdf|csv|html|xml|txt)$|/(document|documents|download)\b"
)
MOST_PAGES = 30  # per role: the menus and one of each kind behind them


def visible_text(html: str) -> str:
    """The words a person reads: the page without its tags, scripts and styles, codes and
    the audit trail's stored values (`<del>`/`<ins>`: rows as they were written)."""
    html = re.sub(r"<(script|style|code|del|ins)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def english_in(html: str) -> list[str]:
    text = visible_text(html)
    for name in NAMES:
        text = text.replace(name, " ")
    text = re.sub(r"\S+@\S+", " ", text)  # e-mail addresses
    return ENGLISH.findall(text)


def kind_of(path: str) -> str:
    """One page of each kind: /licensee/invoices/7 and /licensee/invoices/8 are one kind."""
    return re.sub(r"\d+", "N", path)


def links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'<a\b[^>]*\bhref="([^"]+)"', html):
        parts = urlsplit(unescape(href))
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        if parts.path.startswith(("/api/", "/schema", "/static/")) or NOT_PAGES.search(parts.path):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client: TestClient) -> tuple[int, dict[str, list[str]]]:
    """Breadth-first from the home page to the pages its menus and lists link to, one page
    of each kind; what each shows in English."""
    queue, seen, leftovers = [("/", 0)], {kind_of("/")}, {}
    while queue and len(seen) <= MOST_PAGES:
        path, depth = queue.pop(0)
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        # a page of the portal, or a document made for its (Chinese-reading) organisation
        assert '<html lang="zh-CN">' in response.text, path
        if found := english_in(response.text):
            leftovers[path] = found
        for link in links(response.text) if depth < 2 else []:
            if kind_of(link.split("?")[0]) not in seen:
                seen.add(kind_of(link.split("?")[0]))
                queue.append((link, depth + 1))
    return len(seen), leftovers


def test_every_roles_pages_read_in_chinese(
    client: TestClient, engine: Engine, world: World, clock: FakeClock
) -> None:
    with session_scope(engine) as s:  # their e-mails and documents in Chinese too
        s.execute(update(Organisation).values(language="zh-CN"))
    issued_statements(client, engine, world, clock)
    english: dict[str, list[str]] = {}
    for role, email in ROLES.items():
        client.cookies.clear()
        sign_in(client, email)
        post_form(client, "/language", {"lang": "zh-CN", "next": "/"}, page="/")
        pages, leftovers = crawl(client)
        assert pages > 5, role
        for path, words in leftovers.items():
            english[f"{role} {path}"] = words
    with session_scope(engine) as s:
        mails = s.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        for mail in mails:  # the auditors' daily checkpoint is written for no one language
            if mail.kind != "audit_checkpoint" and (words := english_in(mail.subject + mail.body)):
                english[f"e-mail {mail.kind} {mail.id}"] = words
    assert len(mails) > 1
    assert english == {}, "\n".join(f"{k}: {sorted(set(v))}" for k, v in english.items())
