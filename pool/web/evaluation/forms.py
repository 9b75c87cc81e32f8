"""The evaluation forms' text as the API's schemas: a finding and a decision. What does not
parse names its field, as the API's problem details do."""

from dataclasses import dataclass
from typing import Any

from litestar.datastructures import UploadFile
from pydantic import ValidationError

from pool.models.evaluation import DecisionCreate, FindingCreate
from pool.web import schema_messages


@dataclass
class EvidenceForm:
    file: UploadFile | None = None
    kind: str = ""
    title: str = ""
    version_label: str = ""
    standard_sections: str = ""


@dataclass
class AssignForm:
    evaluator: str = ""  # typed: the type-ahead fills "Name (#id)"
    evaluator_user_id: str = ""  # chosen among the evaluators the typed text fits
    assigned_on: str = ""
    due_on: str = ""


def _first(form: dict[str, Any]) -> dict[str, str]:
    """A posted form's fields, each as its (first) text."""
    found = {}
    for name, value in form.items():
        if isinstance(value, list):
            value = value[0] if value else ""
        found[name] = value if isinstance(value, str) else ""
    return found


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.strip() if isinstance(v, str) else v for k, v in values.items() if v != ""}


def finding(form: dict[str, Any], sections: list[str]) -> FindingCreate:
    """The finding form: one yes/no choice per standard section (`section:<name>`), and when
    the patent has no sections the overall `essential` choice."""
    first = _first(form)
    mapped = {s: first.get(f"section:{s}") == "yes" for s in sections}
    essential = any(mapped.values()) if sections else first.get("essential") == "yes"
    data = _clean({
        "sections": mapped, "essential": essential, "grade": first.get("grade", ""),
        "tier": first.get("tier", ""), "reasoning": first.get("reasoning", ""),
        "claim_chart_id": first.get("claim_chart_id", ""),
        "recorded_on": first.get("recorded_on", ""),
    })  # fmt: skip
    try:
        return FindingCreate.model_validate(data)
    except ValidationError as error:
        raise schema_messages.invalid_input("the finding is not valid", error) from error


def decision(form: dict[str, Any]) -> DecisionCreate:
    first = _first(form)
    data = _clean({
        "essential": first.get("essential") == "yes", "grade": first.get("grade", ""),
        "tier": first.get("tier", ""), "reasons": first.get("reasons", ""),
        "decided_on": first.get("decided_on", ""),
    })  # fmt: skip
    try:
        return DecisionCreate.model_validate(data)
    except ValidationError as error:
        raise schema_messages.invalid_input("the decision is not valid", error) from error
