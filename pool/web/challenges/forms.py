"""The challenge forms' text read as the API's schemas (`ChallengeCreate`, `ChallengeAssign`,
`ChallengeFindingCreate`, `ChallengeClose`): what does not parse names its field, as the
API's problem details do. And the words the pages show for states, grounds and outcomes."""

from dataclasses import dataclass, field
from typing import Any, TypeVar

from litestar.datastructures import UploadFile
from pydantic import BaseModel, ValidationError

from pool.models.evaluation import (
    ChallengeAssign,
    ChallengeClose,
    ChallengeCreate,
    ChallengeFindingCreate,
)
from pool.web import schema_messages
from pool.web.i18n import N_
from pool.web.lists import Filter, ListSpec

T = TypeVar("T", bound=BaseModel)
STATE_LABELS = {
    "filed": N_("Filed: waiting for a re-evaluator"),
    "assigned": N_("Being re-evaluated"),
    "found": N_("Re-evaluated: waiting for the decision"),
    "closed": N_("Closed"),
}
GROUND_LABELS = {"essentiality": N_("Essentiality"), "grade": N_("Grade")}
OUTCOME_LABELS = {
    "keep": N_("Kept as it was"),
    "regrade": N_("Regraded"),
    "end": N_("Inclusion ended"),
}
END_LABELS = {
    "invalidated": N_("Invalidated"),
    "withdrawn": N_("Withdrawn"),
    "lapsed": N_("Lapsed"),
    "expired": N_("Expired"),
}
LIST = ListSpec(
    filters=(
        Filter("state", choices=tuple(STATE_LABELS)),
        Filter("ground", choices=tuple(GROUND_LABELS)),
    ),
    sorts=("filed", "patent", "state"),
    default_sort="-filed",
    per_page=25,
)


@dataclass
class FileForm:
    """The filing form: the pool, the patent's number, the ground, the reasons, the day and
    one or more documents."""

    pool: str = ""
    number: str = ""
    ground: str = ""
    reasons: str = ""
    filed_on: str = ""
    file: list[UploadFile] = field(default_factory=list)

    def typed(self) -> dict[str, str]:
        return {k: v for k, v in vars(self).items() if isinstance(v, str)}


@dataclass
class DocumentForm:
    file: list[UploadFile] = field(default_factory=list)


def _first(form: dict[str, Any]) -> dict[str, str]:
    found = {}
    for name, value in form.items():
        if isinstance(value, list):
            value = value[0] if value else ""
        found[name] = value.strip() if isinstance(value, str) else ""
    return found


def first_of(form: dict[str, Any], name: str) -> str:
    return _first(form).get(name, "")


def _parsed(schema: type[T], values: dict[str, Any], detail: str) -> T:
    try:
        return schema.model_validate({k: v for k, v in values.items() if v != ""})
    except ValidationError as error:
        raise schema_messages.invalid_input(detail, error) from error


def filing(form: FileForm) -> ChallengeCreate:
    values = {"ground": form.ground, "reasons": form.reasons.strip(), "filed_on": form.filed_on}
    return _parsed(ChallengeCreate, values, "the challenge is not valid")


def assignment(form: dict[str, Any]) -> ChallengeAssign:
    first = _first(form)
    values = {k: first.get(k, "") for k in ("evaluator_user_id", "assigned_on")}
    return _parsed(ChallengeAssign, values, "the assignment is not valid")


def finding(form: dict[str, Any], sections: list[str]) -> ChallengeFindingCreate:
    """As the evaluation's finding form: one yes/no per standard section (`section:<name>`),
    else the overall `essential` choice; no claim chart to name."""
    first = _first(form)
    mapped = {s: first.get(f"section:{s}") == "yes" for s in sections}
    essential = any(mapped.values()) if sections else first.get("essential") == "yes"
    values = {
        "sections": mapped, "essential": essential, "grade": first.get("grade", ""),
        "tier": first.get("tier", ""), "reasoning": first.get("reasoning", ""),
        "recorded_on": first.get("recorded_on", ""),
    }  # fmt: skip
    return _parsed(ChallengeFindingCreate, values, "the finding is not valid")


def outcome(form: dict[str, Any]) -> ChallengeClose:
    first = _first(form)
    names = ("outcome", "decided_on", "effective_on", "grade", "tier", "end_status", "reasons")
    values = {k: first.get(k, "") for k in names}
    if values["outcome"] == "keep":  # a kept patent has no date, grade or end to read
        values.update(effective_on="", grade="", tier="", end_status="")
    return _parsed(ChallengeClose, values, "the outcome is not valid")
