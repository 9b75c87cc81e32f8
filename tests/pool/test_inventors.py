"""A patent's inventors through the API: set whole by the owner, shares summing to exactly
100 %, refused input names the field and changes nothing, each change audited."""

from litestar.testing import TestClient

from tests.pool.conftest import World
from tests.pool.test_patents import submit

API = "/api/v1"
THREE = [
    {"name": "Li Wei", "staff_number": "T-001", "share_percent": "50"},
    {"name": "Zhang Min", "share_percent": "30"},
    {"name": "  Wang   Fang ", "share_percent": "20"},
]


def url(patent_id: int) -> str:
    return f"{API}/patents/{patent_id}/inventors"


def test_the_owner_sets_the_inventors_and_reads_them_back_in_order(
    client: TestClient, world: World
) -> None:
    patent_id = submit(client, world).json()["id"]
    headers = world.contributor.headers
    assert client.get(url(patent_id), headers=headers).json() == {
        "patent_id": patent_id,
        "inventors": [],
    }
    r = client.put(url(patent_id), json={"inventors": THREE}, headers=headers)
    assert r.status_code == 200, r.text
    assert [(i["position"], i["name"], i["share_percent"]) for i in r.json()["inventors"]] == [
        (1, "Li Wei", "50"),
        (2, "Zhang Min", "30"),
        (3, "Wang Fang", "20"),
    ]
    alone = {"inventors": [{"name": "Li Wei", "share_percent": "100"}]}
    again = client.put(url(patent_id), json=alone, headers=headers)
    assert [i["name"] for i in again.json()["inventors"]] == ["Li Wei"]
    events = client.get(
        f"{API}/audit", params={"entity_type": "patent", "entity_id": patent_id},
        headers=world.admin.headers,
    ).json()["items"]  # fmt: skip
    assert [e["action"] for e in events].count("patent.inventors_set") == 2


def test_shares_that_do_not_make_100_percent_are_refused_and_nothing_changes(
    client: TestClient, world: World
) -> None:
    patent_id = submit(client, world).json()["id"]
    headers = world.contributor.headers
    client.put(url(patent_id), json={"inventors": THREE}, headers=headers)
    for inventors, says in (
        ([{"name": "A", "share_percent": "50"}, {"name": "B", "share_percent": "49.99"}],
         "must add up to exactly 100 %"),
        ([{"name": "A", "share_percent": "33.333"}], "decimal"),
        ([{"name": "A", "staff_number": "S", "share_percent": "50"},
          {"name": "B", "staff_number": "S", "share_percent": "50"}], "staff number"),
        ([{"name": "   ", "share_percent": "100"}], "blank"),
        ([], "at least 1"),
    ):  # fmt: skip
        r = client.put(url(patent_id), json={"inventors": inventors}, headers=headers)
        assert r.status_code == 422, r.text
        assert "application/problem+json" in r.headers["content-type"]
        assert says in r.text, (says, r.text)
    kept = client.get(url(patent_id), headers=headers).json()
    assert [i["name"] for i in kept["inventors"]] == ["Li Wei", "Zhang Min", "Wang Fang"]
