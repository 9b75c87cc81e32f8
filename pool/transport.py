"""How the service meets HTTP: the one place the app reads a request's client address, and the
headers owed to the transport (HSTS over HTTPS, no `Server`).

The ASGI server rewrites the scope's client and scheme from `X-Forwarded-For` /
`X-Forwarded-Proto` only when the connection comes from a trusted proxy
(`PATENTPOOL_FORWARDED_ALLOW_IPS`, none by default; `pool.cli.server_options`); the throttle
and the access log read the scope through `client_address`, never a header themselves."""

from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

HSTS = (b"strict-transport-security", b"max-age=31536000; includeSubDomains")


def client_address(scope: Scope) -> str:
    """The client as the server established it (after a trusted proxy, the proxy's client)."""
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def transport_headers_middleware(app: ASGIApp) -> ASGIApp:
    """HSTS on every response to an HTTPS request (API, pages, errors alike), and no `Server`
    header, whoever set one: neither says anything a client needs."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (name, value)
                    for name, value in message.get("headers", [])
                    if name.lower() not in (b"server", HSTS[0])
                ]
                if https:
                    headers.append(HSTS)
                message["headers"] = headers
            await send(message)

        await app(scope, receive, send_with_headers)

    return middleware
