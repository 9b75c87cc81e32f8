"""The inventors the demo's universities and research institutes record on about half of their
patents (two or three each, with staff numbers and shares such as 50/30/20), so the yearly
inventor remuneration report has something to pay. Seeded per contributor: the same seed
records the same inventors."""

import random
from datetime import datetime
from decimal import Decimal

from sqlmodel import Session

from pool.auth import Principal
from pool.models.inventor import InventorsWrite, InventorWrite
from pool.models.organisation import OrganisationKind
from pool.services.patents import inventors
from scheduler.demo.records import Org

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静磊强军洋勇艳杰涛明超霞"
SPLITS = ((50, 30, 20), (60, 40), (40, 30, 30), (70, 30), (100,))
RECORDING = {OrganisationKind.UNIVERSITY, OrganisationKind.RESEARCH_INSTITUTE}


def record(
    session: Session,
    *,
    owner: Org,
    principal: Principal,
    patent_ids: list[int],
    seed: int,
    now: datetime,
) -> int:
    """Record inventors on about half of the owner's patents; return how many got them."""
    if owner.kind not in RECORDING:
        return 0
    rng = random.Random(f"{seed}:inventors:{owner.key}")
    done = 0
    for patent_id in patent_ids:
        if rng.random() < 0.5:
            continue
        split = rng.choice(SPLITS)
        people = [
            InventorWrite(
                name=rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2)))),
                staff_number=f"{owner.key.upper()}-{rng.randrange(1000, 9999)}-{n}",
                share_percent=Decimal(share),
            )
            for n, share in enumerate(split, start=1)
        ]
        inventors.replace(
            session,
            principal=principal,
            patent_id=patent_id,
            data=InventorsWrite(inventors=people),
            now=now,
        )
        done += 1
    return done
