"""Evidence filed for a patent's evaluation: the document's bytes, kept in the database like a
statement's documents (`StatementDocument`), so a download returns the same bytes forever."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel

from pool.models.base import enum_field, json_field, timestamp_field


class EvidenceKind(StrEnum):
    CLAIM_CHART = "claim_chart"
    GRANTED_TEXT = "granted_text"
    TRANSLATION = "translation"
    OTHER = "other"


class EvidenceDocument(SQLModel, table=True):
    """One uploaded document. `content_type` is what its bytes are (sniffed), never what the
    uploader declared; the same bytes (SHA-256) are filed once per patent."""

    __tablename__ = "evidence_document"
    __table_args__ = (UniqueConstraint("patent_id", "sha256", name="uq_evidence_patent_sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    kind: str = enum_field(16)
    title: str = Field(max_length=200)
    version_label: str | None = Field(default=None, max_length=40)  # claim charts only
    standard_sections: list[str] = json_field(default_factory=list)  # what a chart maps
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    content: bytes = Field(sa_type=LargeBinary)
    sha256: str = Field(max_length=64)
    size_bytes: int
    uploaded_by_user_id: int = Field(foreign_key="user.id")
    uploaded_at: datetime = timestamp_field()


class EvidenceUpload(SQLModel):
    """What the uploader says the file is (the multipart form's fields besides the file). A
    claim chart names its version and the standard sections it maps."""

    kind: EvidenceKind
    title: str = Field(min_length=1, max_length=200)
    version_label: str | None = Field(default=None, min_length=1, max_length=40)
    standard_sections: list[str] = Field(default_factory=list, max_length=200)


class EvidenceRead(SQLModel):
    id: int
    patent_id: int
    kind: EvidenceKind
    title: str
    version_label: str | None
    standard_sections: list[str]
    filename: str
    content_type: str
    sha256: str
    size_bytes: int
    uploaded_by_user_id: int
    uploaded_at: datetime
