"""The demo pool (`patentpool demo`): a realistic year of an AVS3 video-coding pool, planned
from a seed and built only through the real services. `scheduler/demo.py` walks the calendar
and runs the jobs; the `sample_*` modules say who is in the pool and what each of them does:

* the plan, pure and deterministic: `sample_plan.plan(seed, size, year)` (one
  `random.Random(seed)`) makes the `sample_records`, with organisations from
  `sample_organisations` and patents from `sample_patents`; `sample_usage` gives each
  licensee's quarterly report lines (generators seeded per licensee and quarter) and
  `sample_terms` the pool's terms. One seed plans the same pool on every machine.
* its execution through the services: `sample_founding` (users, organisations, the pool, its
  terms, the open licence, patents submitted and evaluated) and `sample_events` (licences,
  products, filings, reports, corrections, payments).

This module keeps the names the demo and the CLI use, and prints where to sign in.
"""

import json

from pool.services.sample_events import accepted_patents as accepted_patents
from pool.services.sample_events import correct_report as correct_report
from pool.services.sample_events import file_contract as file_contract
from pool.services.sample_events import fixed_fees_of as fixed_fees_of
from pool.services.sample_events import pay as pay
from pool.services.sample_events import register_products as register_products
from pool.services.sample_events import sign as sign
from pool.services.sample_events import submit_report as submit_report
from pool.services.sample_founding import SYSTEM as SYSTEM
from pool.services.sample_founding import Built as Built
from pool.services.sample_founding import OnceHasher as OnceHasher
from pool.services.sample_founding import build_pool as build_pool
from pool.services.sample_founding import evaluate as evaluate
from pool.services.sample_founding import principal as principal
from pool.services.sample_founding import submit_patents as submit_patents
from pool.services.sample_plan import plan as plan
from pool.services.sample_records import ADMIN_EMAIL as ADMIN_EMAIL
from pool.services.sample_records import AUDITOR_EMAIL as AUDITOR_EMAIL
from pool.services.sample_records import CONTRIBUTOR_EMAIL as CONTRIBUTOR_EMAIL
from pool.services.sample_records import CURRENCY as CURRENCY
from pool.services.sample_records import DEMO_PASSWORD as DEMO_PASSWORD
from pool.services.sample_records import LICENSEE_EMAIL as LICENSEE_EMAIL
from pool.services.sample_records import LicenseePlan as LicenseePlan
from pool.services.sample_records import Org as Org
from pool.services.sample_records import PatentPlan as PatentPlan
from pool.services.sample_records import Plan as Plan
from pool.services.sample_records import Size as Size
from pool.services.sample_records import pool_name as pool_name
from pool.services.sample_terms import TERMS as TERMS
from pool.services.sample_terms import royalty_terms as royalty_terms
from pool.services.sample_usage import as_csv as as_csv
from pool.services.sample_usage import report_lines as report_lines
from pool.settings import Settings


def banner(settings: Settings, *, built_now: bool) -> str:
    """Where to sign in, and with what (the demo password is the same for every user)."""
    base = f"http://{settings.host}:{settings.port}"
    state = "built" if built_now else "already built (nothing changed)"
    login = json.dumps({"email": ADMIN_EMAIL, "password": DEMO_PASSWORD})
    return "\n".join(
        [
            f"patentpool demo: pool {state} in {settings.database_url}",
            f"  portal:    {base}/login",
            f"  API:       {base}/api/v1   OpenAPI: {base}/schema",
            f"  sign in:   {ADMIN_EMAIL}, {AUDITOR_EMAIL}, {CONTRIBUTOR_EMAIL}, {LICENSEE_EMAIL}",
            "             (and contributor-NN@ / licensee-NNN@example.org for every organisation)",
            f"  password:  {DEMO_PASSWORD}   (demo only)",
            f"  e.g.       curl -s -X POST {base}/api/v1/auth/login "
            f"-H 'content-type: application/json' -d '{login}'",
        ]
    )
