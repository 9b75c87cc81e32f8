"""Patent onboarding and evaluation."""

from datetime import datetime
from typing import Annotated

from litestar import Controller, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromQuery, JSONBody, QueryParameter, RawBody
from sqlmodel import Session

from pool.bounds import PathId
from pool.controllers.params import Limit, Offset, QueryId
from pool.dependencies import Caller
from pool.models.inventor import InventorsRead, InventorsWrite
from pool.models.patent import (
    Grade,
    ImportSummary,
    InclusionRead,
    PatentAccept,
    PatentCreate,
    PatentEnd,
    PatentFilters,
    PatentRead,
    PatentReject,
    PatentStatus,
    PatentUpdate,
    Tier,
)
from pool.services import patents
from pool.services.common.pages import Page
from pool.services.patents import csv_import as patent_import
from pool.services.patents import evaluation, inventors


class PoolPatentController(Controller):
    path = "/pools/{pool_id:int}/patents"
    tags = ["patents"]

    @get("/", sync_to_thread=True)
    def list_patents(
        self,
        pool_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        status: FromQuery[PatentStatus | None] = None,
        country: FromQuery[str | None] = None,
        grade: FromQuery[Grade | None] = None,
        tier: FromQuery[Tier | None] = None,
        owner_organisation_id: QueryId = None,
        family_id: FromQuery[str | None] = None,
        q: Annotated[str | None, QueryParameter(max_length=100)] = None,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[PatentRead]:
        """Staff see every patent of the pool; contributors their own organisation's."""
        filters = PatentFilters(
            status=status,
            country=country,
            grade=grade,
            tier=tier,
            owner_organisation_id=owner_organisation_id,
            family_id=family_id,
            q=q,
        )
        return patents.listing(
            db, principal=principal, pool_id=pool_id, filters=filters, limit=limit, offset=offset
        )

    @post("/", sync_to_thread=True)
    def submit_patent(
        self,
        pool_id: PathId,
        data: JSONBody[PatentCreate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PatentRead:
        """Submit a patent for evaluation (a member contributor, or an administrator for one)."""
        patent = patents.submit(db, principal=principal, pool_id=pool_id, data=data, now=now)
        return PatentRead.model_validate(patent)

    @post("/import", sync_to_thread=True, request_body_media_type="text/csv")
    def import_patents(
        self,
        pool_id: PathId,
        body: RawBody,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> ImportSummary:
        """Upload a CSV (UTF-8, header line first). All or nothing: every bad line is reported."""
        result = patent_import.import_csv(
            db, principal=principal, pool_id=pool_id, content=bytes(body), now=now
        )
        return ImportSummary(imported=result.imported, patent_ids=result.patent_ids)


class PatentController(Controller):
    path = "/patents/{patent_id:int}"
    tags = ["patents"]

    @get("/", sync_to_thread=True)
    def get_patent(
        self,
        patent_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> PatentRead:
        """One patent (staff, or its owner)."""
        return PatentRead.model_validate(patents.get(db, principal=principal, patent_id=patent_id))

    @patch("/", sync_to_thread=True)
    def update_patent(
        self,
        patent_id: PathId,
        data: JSONBody[PatentUpdate],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PatentRead:
        """Correct bibliographic data before the evaluation decides."""
        patent = patents.update(db, principal=principal, patent_id=patent_id, data=data, now=now)
        return PatentRead.model_validate(patent)

    @get("/inventors", sync_to_thread=True)
    def list_inventors(
        self,
        patent_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
    ) -> InventorsRead:
        """The patent's inventors with their shares, in the order listed (staff, or its owner)."""
        found = inventors.listing(db, principal=principal, patent_id=patent_id)
        return InventorsRead(patent_id=patent_id, inventors=found)

    @put("/inventors", sync_to_thread=True)
    def set_inventors(
        self,
        patent_id: PathId,
        data: JSONBody[InventorsWrite],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> InventorsRead:
        """Replace the patent's inventors (its owner or an administrator): names, optional
        staff numbers, shares in percent summing to 100. The yearly remuneration report pays
        each inventor its share of the patent's royalties."""
        found = inventors.replace(db, principal=principal, patent_id=patent_id, data=data, now=now)
        return InventorsRead(patent_id=patent_id, inventors=found)

    @post("/evaluation", sync_to_thread=True, status_code=200)
    def start_evaluation(
        self,
        patent_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PatentRead:
        """Move a submitted patent into evaluation (administrators only)."""
        patent = evaluation.start_evaluation(db, principal=principal, patent_id=patent_id, now=now)
        return PatentRead.model_validate(patent)

    @post("/accept", sync_to_thread=True, status_code=200)
    def accept(
        self,
        patent_id: PathId,
        data: JSONBody[PatentAccept],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PatentRead:
        """Accept as essential, with grade or tier; the patent enters the pool on `admitted_on`."""
        patent = evaluation.accept(db, principal=principal, patent_id=patent_id, data=data, now=now)
        return PatentRead.model_validate(patent)

    @post("/reject", sync_to_thread=True, status_code=200)
    def reject(
        self,
        patent_id: PathId,
        data: JSONBody[PatentReject],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PatentRead:
        """Reject with a reason (administrators only)."""
        patent = evaluation.reject(db, principal=principal, patent_id=patent_id, data=data, now=now)
        return PatentRead.model_validate(patent)

    @post("/end", sync_to_thread=True, status_code=200)
    def end(
        self,
        patent_id: PathId,
        data: JSONBody[PatentEnd],
        db: NamedDependency[Session],
        principal: Caller,
        now: NamedDependency[datetime],
    ) -> PatentRead:
        """Record expiry, lapse, invalidation or withdrawal on a date."""
        patent = evaluation.end(db, principal=principal, patent_id=patent_id, data=data, now=now)
        return PatentRead.model_validate(patent)

    @get("/inclusions", sync_to_thread=True)
    def inclusions(
        self,
        patent_id: PathId,
        db: NamedDependency[Session],
        principal: Caller,
        limit: Limit = 50,
        offset: Offset = 0,
    ) -> Page[InclusionRead]:
        """The half-open intervals in which the patent counts for the pool, earliest first."""
        return patents.inclusions(
            db, principal=principal, patent_id=patent_id, limit=limit, offset=offset
        )
