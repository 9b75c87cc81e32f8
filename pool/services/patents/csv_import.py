"""All-or-nothing CSV onboarding: every bad line and column is reported, nothing half-imported."""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import insert
from sqlmodel import Session, col, select

from pool.auth import Principal
from pool.errors import FieldError, InvalidInput
from pool.models.patent import Patent, PatentCreate, PatentStatus
from pool.models.user import Role
from pool.rendering import Phrase
from pool.services import audit
from pool.services.audit.snapshot import json_safe
from pool.services.common import csv_upload
from pool.services.patents.onboarding import open_pool, require_member
from pool.services.patents.rules import date_order_error, number_and_country
from pool.services.tasks.progress import CHECKING_LINES, IMPORTING, Progress, every, no_progress

REQUIRED_COLUMNS = ("number", "title", "filing_date")
OPTIONAL_COLUMNS = (
    "country",
    "family_id",
    "grant_date",
    "expiry_date",
    "standard_sections",
    "owner_organisation_id",
)
MAX_ERRORS = 1000
PROGRESS_EVERY = 500  # lines checked between two progress reports


@dataclass(frozen=True)
class ImportResult:
    imported: int
    patent_ids: list[int]


def _parse_row(values: dict[str, str], line: int) -> PatentCreate | list[FieldError]:
    data: dict[str, object] = {k: v.strip() for k, v in values.items() if v and v.strip()}
    if "standard_sections" in data:
        data["standard_sections"] = [
            s.strip() for s in str(data["standard_sections"]).split(";") if s.strip()
        ]
    try:
        return PatentCreate.model_validate(data)
    except ValidationError as error:
        return [
            FieldError(message=e["msg"], line=line, column=str(e["loc"][0]) if e["loc"] else None)
            for e in error.errors()
        ]


def parse(
    content: bytes, progress: Progress = no_progress
) -> tuple[list[tuple[int, PatentCreate]], list[FieldError]]:
    """Line numbers are those a spreadsheet shows: the header is line 1."""
    reader = csv.reader(io.StringIO(csv_upload.decode(content), newline=""))
    total, report = csv_upload.data_lines(content), every(PROGRESS_EVERY, progress)
    names = csv_upload.check_header(
        next(reader, None), required=REQUIRED_COLUMNS, optional=OPTIONAL_COLUMNS
    )
    rows: list[tuple[int, PatentCreate]] = []
    errors: list[FieldError] = []
    for line, values in enumerate(reader, start=2):
        report(CHECKING_LINES, line - 1, total)
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(names):
            errors.append(
                FieldError(
                    message=Phrase(
                        "expected %(expected)s fields, found %(found)s",
                        expected=len(names),
                        found=len(values),
                    ),
                    line=line,
                )
            )
            continue
        parsed = _parse_row(dict(zip(names, values, strict=True)), line)
        if isinstance(parsed, list):
            errors.extend(parsed)
        else:
            rows.append((line, parsed))
    return rows, errors


Identity = tuple[str, str]  # (number key, country)


def _already_in_pool(
    session: Session, pool_id: int, identities: list[Identity]
) -> dict[Identity, str]:
    """Which of these patents the pool already holds, with their stored numbers."""
    found: dict[Identity, str] = {}
    keys = sorted({key for key, _ in identities})
    for start in range(0, len(keys), 900):
        rows = session.exec(
            select(Patent.number_key, Patent.country, Patent.number).where(
                Patent.pool_id == pool_id, col(Patent.number_key).in_(keys[start : start + 900])
            )
        ).all()
        found.update({(key, country): number for key, country, number in rows})
    return {identity: found[identity] for identity in identities if identity in found}


def import_csv(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    content: bytes,
    now: datetime,
    progress: Progress = no_progress,
) -> ImportResult:
    """Validate every line first; insert only when the whole file is clean. `progress`
    hears of the lines checked, then of the saving."""
    principal.require_role(Role.ADMIN, Role.CONTRIBUTOR)
    open_pool(session, pool_id)
    rows, errors = parse(content, progress)
    records: list[dict[str, Any]] = []
    seen: dict[Identity, int] = {}
    owners: set[int] = set()
    for line, data in rows:
        record = _record(principal, pool_id, line, data, seen, errors, now)
        if record is not None:
            records.append(record)
            owners.add(record["owner_organisation_id"])
    for owner in sorted(owners):
        try:
            require_member(
                session, pool_id=pool_id, organisation_id=owner, field="owner_organisation_id"
            )
        except InvalidInput:
            errors.append(
                FieldError(
                    message=Phrase(
                        "organisation %(owner)s is not a current member of this pool", owner=owner
                    ),
                    column="owner_organisation_id",
                )
            )
    for identity, number in _already_in_pool(session, pool_id, list(seen)).items():
        errors.append(
            FieldError(
                message=Phrase("patent %(number)s is already in this pool", number=number),
                line=seen[identity],
                column="number",
            )
        )
    if errors:
        errors.sort(key=lambda e: (e.line or 0, e.column or ""))
        raise InvalidInput(
            f"{len(errors)} problem(s) found; nothing was imported", errors[:MAX_ERRORS]
        )
    if not records:
        raise InvalidInput("the file has no patents", [FieldError(message="no data lines", line=2)])
    progress(IMPORTING, len(records), len(records))
    return _insert(session, principal=principal, pool_id=pool_id, records=records, now=now)


def _record(
    principal: Principal,
    pool_id: int,
    line: int,
    data: PatentCreate,
    seen: dict[Identity, int],
    errors: list[FieldError],
    now: datetime,
) -> dict[str, Any] | None:
    if principal.role == Role.CONTRIBUTOR:
        if data.owner_organisation_id not in (None, principal.organisation_id):
            errors.append(
                FieldError(
                    message="contributors import their own patents",
                    line=line,
                    column="owner_organisation_id",
                )
            )
            return None
        owner = principal.organisation_id
    elif data.owner_organisation_id is None:
        errors.append(
            FieldError(
                message="name the owning organisation", line=line, column="owner_organisation_id"
            )
        )
        return None
    else:
        owner = data.owner_organisation_id
    resolved = number_and_country(data.number, data.country)
    faults = [resolved] if isinstance(resolved, FieldError) else []
    date_fault = date_order_error(data.filing_date, data.grant_date, data.expiry_date)
    faults += [date_fault] if date_fault else []
    if faults or isinstance(resolved, FieldError):
        errors.extend(FieldError(message=f.message, line=line, column=f.field) for f in faults)
        return None
    identity = (resolved.key, resolved.country)
    if identity in seen:
        errors.append(
            FieldError(
                message=Phrase(
                    "patent %(canonical)s also on line %(line)s",
                    canonical=resolved.canonical,
                    line=seen[identity],
                ),
                line=line,
                column="number",
            )
        )
        return None
    seen[identity] = line
    return {
        "pool_id": pool_id,
        "owner_organisation_id": owner,
        "number": resolved.canonical,
        "number_key": resolved.key,
        "jurisdiction": resolved.jurisdiction,
        "country": resolved.country,
        "family_id": data.family_id,
        "title": data.title,
        "filing_date": data.filing_date,
        "grant_date": data.grant_date,
        "expiry_date": data.expiry_date,
        "standard_sections": data.standard_sections,
        "status": PatentStatus.SUBMITTED.value,
        "submitted_at": now,
        "updated_at": now,
    }


def _insert(
    session: Session,
    *,
    principal: Principal,
    pool_id: int,
    records: list[dict[str, Any]],
    now: datetime,
) -> ImportResult:
    """One multi-row INSERT ... RETURNING, then one audit event per patent in file order."""
    table = Patent.__table__  # type: ignore[attr-defined]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    result = session.connection().execute(statement, records)
    ids = [row[0] for row in result]
    events: list[audit.EventSpec] = [
        ("patent.submitted", "patent", pid, None, json_safe({**rec, "id": pid}), pool_id)
        for pid, rec in zip(ids, records, strict=True)
    ]
    audit.record_many(session, events, actor=audit.Actor.of(principal), now=now)
    return ImportResult(imported=len(ids), patent_ids=ids)
