"""The web portal: server-rendered pages (Jinja2, `templates/web/`) over the same services as
the API, progressively enhanced with htmx. See docs/web.md."""
