"""A patent's inventors and their shares: what a contributor owes each of them from the
patent's royalties (allocation/remuneration.py, the yearly remuneration report)."""

from decimal import Decimal

from pydantic import field_validator, model_validator
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

MAX_INVENTORS = 50
# the refusals, as the portal translates them (pool/web/contributor/inventors.py lists them)
SHARES_MAKE_100 = "the inventors' shares must add up to exactly 100 %"
STAFF_NUMBER_TWICE = "a staff number is given for two inventors"
BLANK = "must not be blank"


class PatentInventor(SQLModel, table=True):
    """One inventor of a patent. `share_bp` is the share in hundredths of a percent (the
    inventors of a patent sum to 10,000); `position` keeps the order they were listed in,
    which also breaks ties when a cent is left over."""

    __tablename__ = "patent_inventor"
    __table_args__ = (
        UniqueConstraint("patent_id", "position", name="uq_patent_inventor_position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    patent_id: int = Field(foreign_key="patent.id", index=True)
    position: int
    name: str = Field(max_length=200)
    staff_number: str | None = Field(default=None, max_length=64)
    share_bp: int


class InventorWrite(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    staff_number: str | None = Field(default=None, max_length=64)
    share_percent: Decimal = Field(
        gt=0, le=100, decimal_places=2, description="Percent, at most two decimals."
    )

    @field_validator("name", "staff_number")
    @classmethod
    def _trimmed(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = " ".join(value.split())
        if not value:
            raise ValueError(BLANK)
        return value


class InventorsWrite(SQLModel):
    """A patent's inventors, replaced whole; their shares sum to exactly 100 %."""

    inventors: list[InventorWrite] = Field(min_length=1, max_length=MAX_INVENTORS)

    @model_validator(mode="after")
    def _shares_make_a_whole(self) -> "InventorsWrite":
        total = sum((i.share_percent for i in self.inventors), Decimal(0))
        if total != 100:
            raise ValueError(SHARES_MAKE_100)
        numbers = [i.staff_number for i in self.inventors if i.staff_number]
        if len(numbers) != len(set(numbers)):
            raise ValueError(STAFF_NUMBER_TWICE)
        return self


class InventorRead(SQLModel):
    position: int
    name: str
    staff_number: str | None
    share_percent: Decimal


class InventorsRead(SQLModel):
    """A patent's inventors in the order listed (the same shape `PUT` takes, with positions)."""

    patent_id: int
    inventors: list[InventorRead]
