"""A stored statement document as an HTTP answer, for the contributor's and the
administrator's pages: to read in the browser (the HTML inline, also framed by the statement's
page) or to download (any format). Always the stored bytes, which are the evidence (their
SHA-256 is in `ETag` and `X-Content-SHA256`): a page never renders a statement again.

The stored HTML carries its CSS inline: the answer's Content-Security-Policy allows exactly
its `<style>` element by hash (`policy_for_document`), and only this site may frame it."""

from litestar import MediaType, Response

from pool.models.distribution import Statement, StatementDocument
from pool.web.security import policy_for_document


def _digest_headers(
    statement: Statement, stored: StatementDocument, disposition: str
) -> dict[str, str]:
    return {
        "ETag": f'"{stored.sha256}"',
        "X-Content-SHA256": stored.sha256,
        "Content-Disposition": f'{disposition}; filename="{statement.serial}.{stored.format}"',
    }


def reading(statement: Statement, stored: StatementDocument) -> Response[bytes]:
    """The stored HTML, inline, framable by this site's pages only."""
    policy = policy_for_document(stored.content.decode("utf-8")).replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    headers = _digest_headers(statement, stored, "inline")
    headers |= {"Content-Security-Policy": policy, "X-Frame-Options": "SAMEORIGIN"}
    return Response(stored.content, media_type=MediaType.HTML, headers=headers)


def download(statement: Statement, stored: StatementDocument) -> Response[bytes]:
    """The stored bytes as a file, with the content type they were stored with."""
    headers = _digest_headers(statement, stored, "attachment")
    headers["Content-Type"] = stored.content_type  # as stored (it names its charset)
    return Response(stored.content, media_type=stored.content_type, headers=headers)
