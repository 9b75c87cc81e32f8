"""Bulk onboarding by CSV: all or nothing, every fault reported with its line and column."""

from httpx import Response
from litestar.testing import TestClient

from tests.pool.conftest import World

HEADER = "number,title,filing_date,grant_date,expiry_date,standard_sections\n"


def upload(
    client: TestClient, world: World, content: str | bytes, caller: str = "contributor"
) -> Response:
    body = content.encode() if isinstance(content, str) else content
    return client.post(
        f"/api/v1/pools/{world.pool_id}/patents/import",
        content=body,
        headers={**world.callers[caller].headers, "Content-Type": "text/csv"},
    )


def count(client: TestClient, world: World) -> int:
    r = client.get(f"/api/v1/pools/{world.pool_id}/patents?limit=1", headers=world.admin.headers)
    return int(r.json()["total"])


def audit_events(client: TestClient, world: World) -> int:
    return int(client.get("/api/v1/audit?limit=1", headers=world.admin.headers).json()["total"])


def test_a_clean_file_imports_every_line(client: TestClient, world: World) -> None:
    csv = HEADER + (
        "US10123456B2,Partitioning,2016-01-04,2018-11-13,2036-01-04,7.3;7.4\n"
        "\ufeffCN201810123456.5,Entropy coding,2018-03-01,2020-05-01,2038-03-01,\n"
    ).replace("\ufeff", "")
    r = upload(client, world, "\ufeff" + csv)
    assert r.status_code == 201, r.text
    assert r.json()["imported"] == 2
    listed = client.get(
        f"/api/v1/pools/{world.pool_id}/patents", headers=world.contributor.headers
    ).json()
    assert [p["number"] for p in listed["items"]] == ["US10123456B2", "CN201810123456.5"]
    assert listed["items"][0]["standard_sections"] == ["7.3", "7.4"]


def test_a_british_number_imports(client: TestClient, world: World) -> None:
    csv = HEADER + "GB 2 512 345 B,Beam steering,2013-06-04,2016-09-14,2033-06-04,5.1\n"
    r = upload(client, world, csv)
    assert r.status_code == 201, r.text
    patent = client.get(
        f"/api/v1/pools/{world.pool_id}/patents", headers=world.contributor.headers
    ).json()["items"][0]
    assert (patent["number"], patent["jurisdiction"], patent["country"]) == (
        "GB2512345B",
        "GB",
        "GB",
    )


def test_mixed_good_and_bad_lines_import_nothing_and_list_every_error(
    client: TestClient, world: World
) -> None:
    before = audit_events(client, world)
    csv = HEADER + (
        "US10123456B2,Good one,2016-01-04,2018-11-13,2036-01-04,7.3\n"  # line 2: fine
        "CN201810123456.7,Bad check digit,2018-03-01,,,\n"  # line 3
        "US9876543B1,,2016-01-04,,,\n"  # line 4: no title
        "US8765432B2,Bad date,2016-13-01,,,\n"  # line 5
        "US7654321B2,Out of order,2016-01-04,2015-01-01,,\n"  # line 6
        "US10123456B2,Duplicate of line 2,2016-01-04,,,\n"  # line 7
        "US6543210B2,Too few fields\n"  # line 8
    )
    r = upload(client, world, csv)
    assert r.status_code == 422
    problem = r.json()
    where = [(e["line"], e.get("column")) for e in problem["errors"]]
    assert where == [
        (3, "number"),
        (4, "title"),
        (5, "filing_date"),
        (6, "grant_date"),
        (7, "number"),
        (8, None),
    ]
    assert "nothing was imported" in problem["detail"]
    assert count(client, world) == 0
    assert audit_events(client, world) == before


def test_header_problems_are_reported_on_line_one(client: TestClient, world: World) -> None:
    r = upload(client, world, "number,colour,filing_date\nUS10123456B2,red,2016-01-04\n")
    assert r.status_code == 422
    errors = {(e["line"], e["column"], e["message"]) for e in r.json()["errors"]}
    assert errors == {(1, "colour", "unknown column"), (1, "title", "required column missing")}


def test_patents_already_in_the_pool_are_reported(client: TestClient, world: World) -> None:
    assert upload(client, world, HEADER + "US10123456B2,One,2016-01-04,,,\n").status_code == 201
    r = upload(
        client,
        world,
        HEADER + "US9876543B1,Two,2016-01-04,,,\nUS 10123456 B2,Again,2016-01-04,,,\n",
    )
    assert r.status_code == 422
    assert [(e["line"], e["column"]) for e in r.json()["errors"]] == [(3, "number")]
    assert count(client, world) == 1


def test_not_utf8_empty_and_oversized_files_are_refused(client: TestClient, world: World) -> None:
    latin1 = upload(
        client, world, (HEADER + "US10123456B2,Caf\xe9,2016-01-04,,,\n").encode("latin-1")
    )
    assert latin1.status_code == 422
    assert upload(client, world, b"").status_code == 422
    assert upload(client, world, HEADER).status_code == 422
    huge = HEADER + "US10123456B2,x,2016-01-04,,,\n" * 200_000
    r = upload(client, world, huge)
    assert r.status_code == 413
    assert r.headers["content-type"].startswith("application/problem+json")
    assert count(client, world) == 0


def test_contributors_cannot_import_for_another_owner(client: TestClient, world: World) -> None:
    other = world.other_contributor.organisation_id
    r = upload(
        client,
        world,
        f"number,title,filing_date,owner_organisation_id\nUS10123456B2,x,2016-01-04,{other}\n",
    )
    assert r.status_code == 422
    assert r.json()["errors"][0]["column"] == "owner_organisation_id"


def test_administrators_import_for_named_member_owners(client: TestClient, world: World) -> None:
    uni, lab = world.contributor.organisation_id, world.other_contributor.organisation_id
    csv = (
        f"number,title,filing_date,owner_organisation_id\n"
        f"US10123456B2,a,2016-01-04,{uni}\nUS9876543B1,b,2016-01-04,{lab}\nUS8765432B2,c,2016-01-04,\n"
    )
    r = upload(client, world, csv, caller="admin")
    assert r.status_code == 422
    assert [(e["line"], e["column"]) for e in r.json()["errors"]] == [(4, "owner_organisation_id")]
    fixed = csv.replace("2016-01-04,\n", f"2016-01-04,{lab}\n")
    assert upload(client, world, fixed, caller="admin").json()["imported"] == 3


def test_ten_thousand_lines_import_in_one_request(client: TestClient, world: World) -> None:
    lines = [
        f"US{9_000_000 + i}B2,Patent {i},2016-01-04,2018-01-04,2036-01-04,7.{i % 9}"
        for i in range(10_000)
    ]
    r = upload(client, world, HEADER + "\n".join(lines) + "\n")
    assert r.status_code == 201, r.text[:500]
    assert r.json()["imported"] == 10_000
    assert count(client, world) == 10_000
    verify = client.get("/api/v1/audit/verify", headers=world.admin.headers).json()
    assert verify["ok"] is True
