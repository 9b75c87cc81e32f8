"""The deal register's forms as typed, read into the API's schemas: the supplier and the
counterparty named with the organisation picker ("Name (#id)", else a name; a contributor, who
may not search the organisations, is the supplier itself and names the counterparty exactly),
the patents by their numbers, the contract amount in major units read exactly (`Decimal`, never
a float; more decimals than the currency has is a fault on the field). Every fault names the
form's field, as the form calls it."""

from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session

from pool.auth import Principal
from pool.errors import DomainError, FieldError, InvalidInput
from pool.models.deal import DealCreate
from pool.models.pool import Pool
from pool.services.accounts import organisations
from pool.services.deals import deal_lists
from pool.services.patents.choosing import words
from pool.web import payment_forms as pf
from pool.web import schema_messages
from pool.web.i18n import N_
from pool.web.pages import FormErrors

REFUSED = N_("the deal was not recorded")
SEVERAL = N_("several organisations have this name: choose one")
RENAMED = {  # the service's field -> the form's
    "supplier_organisation_id": "supplier",
    "counterparty_organisation_id": "counterparty",
    "patent_ids": "patents",
    "contract_amount_minor": "amount",
}


@dataclass
class DealForm:
    pool_id: str = ""
    kind: str = ""
    supplier: str = ""  # a name typed (the type-ahead fills "Name (#id)")
    supplier_organisation_id: str = ""  # one of the names the server found for it
    counterparty: str = ""
    counterparty_organisation_id: str = ""
    patents: str = ""  # numbers, separated by commas
    signed_on: str = ""
    effective_on: str = ""
    amount: str = ""  # major units
    registration_number: str = ""
    registered_on: str = ""
    notes: str = ""


@dataclass
class ReceiptForm:
    amount: str = ""
    received_on: str = ""
    reference: str = ""


@dataclass
class ConsentForm:
    consent_on: str = ""


@dataclass
class EndForm:
    ended_on: str = ""
    reason: str = ""
    confirm: str = ""


@dataclass(frozen=True)
class Choices:
    """Organisations a typed name fits, by the form's field (`supplier`, `counterparty`)."""

    by_field: dict[str, list[tuple[int, str]]] = field(default_factory=dict)


def form_errors(error: DomainError) -> FormErrors:
    """The service's faults under the form's own field names."""
    found = FormErrors.of(error)
    fields: dict[str, list[str]] = {}
    for name, messages in found.fields.items():
        fields.setdefault(RENAMED.get(name.split("[")[0], name), []).extend(messages)
    return FormErrors(fields=fields, general=found.general)


def schema(model: type[Any], values: dict[str, str]) -> Any:
    """The values typed (blank ones left out) as the API's `model`; faults on its fields."""
    data = {name: value.strip() for name, value in values.items() if value.strip()}
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise schema_messages.invalid_input("the form is not valid", error) from error


def _party(
    db: Session, staff: Principal, typed: str, chosen: str, name: str, choices: Choices
) -> int:
    if not staff.sees_everything:  # a contributor: a name typed exactly, no search
        exact = organisations.named_exactly(db, text=typed, field=name)
        ids = [i for i, _ in exact]
        if chosen.strip().isdigit() and int(chosen.strip()) in ids:
            return int(chosen.strip())
        if len(exact) == 1:
            return exact[0][0]
        choices.by_field[name] = exact
        raise InvalidInput.field(name, SEVERAL)
    if chosen.strip().isdigit():
        return int(chosen.strip())
    found, matches = organisations.one(db, principal=staff, text=typed, field=name)
    if matches:
        choices.by_field[name] = matches
        raise InvalidInput.field(name, SEVERAL)
    return found


def deal_create(
    db: Session, staff: Principal, pool: Pool, form: DealForm, choices: Choices
) -> DealCreate:
    """The form as `DealCreate`; every fault found at once, on its field."""
    faults: list[FieldError] = []
    values: dict[str, Any] = {
        name: getattr(form, name)
        for name in ("kind", "signed_on", "effective_on", "registration_number",
                     "registered_on", "notes")
    }  # fmt: skip
    parties = {}
    if not staff.sees_everything:  # a contributor records deals of its own patents
        parties["supplier"] = values["supplier_organisation_id"] = staff.organisation_id or 0
    for name in ("supplier", "counterparty"):
        if name in parties:
            continue
        try:
            typed, chosen = getattr(form, name), getattr(form, f"{name}_organisation_id")
            parties[name] = _party(db, staff, typed, chosen, name, choices)
            values[f"{name}_organisation_id"] = parties[name]
        except InvalidInput as error:
            faults += error.errors
    values["patent_ids"] = [1]  # a placeholder while the supplier is unknown
    if "supplier" in parties:
        try:
            values["patent_ids"] = deal_lists.patents_by_number(
                db, pool_id=pool.id or 0, supplier_id=parties["supplier"],
                typed=words(form.patents),
            )  # fmt: skip
        except InvalidInput as error:
            faults += error.errors
    try:
        found = pf.parsed(DealCreate, values, amount=("contract_amount_minor", form.amount,
                                                      pool.currency), zero=True)  # fmt: skip
    except InvalidInput as error:
        parties_fields = ("supplier_organisation_id", "counterparty_organisation_id")
        faults += [f for f in error.errors if f.field not in parties_fields]
        raise InvalidInput(REFUSED, faults) from error
    if faults:
        raise InvalidInput(REFUSED, faults)
    return found
