"""The inventors of a contributor's patent on its page: listed with their shares, and set by a
form with one inventor per line ("name; staff number; share %"), which is what a university's
technology-transfer office has at hand in a spreadsheet. The service checks the shares (100 %
exactly) and audits the change; a refused form keeps what was typed and names the line."""

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pool.errors import FieldError, InvalidInput
from pool.models.inventor import InventorRead, InventorsWrite
from pool.web import schema_messages
from pool.web.i18n import N_

FIELD = "inventors"
REFUSED = N_("The inventors were not saved.")
MESSAGES = (  # the schema's own refusals (pool/models/inventor.py), for the catalogue
    N_("the inventors' shares must add up to exactly 100 %"),
    N_("a staff number is given for two inventors"),
    N_("must not be blank"),
)
THREE_PARTS = N_(
    "Write each inventor on its own line as: name; staff number (or nothing); share in percent."
)


@dataclass
class InventorsForm:
    inventors: str = ""


def as_text(found: list[InventorRead]) -> str:
    """The inventors as the form shows them, one per line."""
    return "\n".join(
        f"{i.name}; {i.staff_number or ''}; {i.share_percent.normalize():f}" for i in found
    )


def parsed(form: InventorsForm) -> InventorsWrite:
    rows: list[dict[str, Any]] = []
    lines = [line for line in form.inventors.splitlines() if line.strip()]
    for line in lines:
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3:
            raise InvalidInput(REFUSED, [FieldError(field=FIELD, message=THREE_PARTS)])
        name, staff, share = parts
        rows.append(
            {"name": name, "staff_number": staff or None, "share_percent": share.rstrip("% ")}
        )
    try:
        return InventorsWrite.model_validate({FIELD: rows})
    except ValidationError as error:
        refused = schema_messages.invalid_input(REFUSED, error).errors
        raise InvalidInput(
            REFUSED, [FieldError(field=FIELD, message=f.message) for f in refused]
        ) from error
