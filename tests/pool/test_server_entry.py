"""The ASGI server's entry point: the app it builds, with the startup objects kept out of the
garbage collector's full collections (they made the read path's tail; docs/benchmarks.md)."""

import gc
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import TestClient

from pool.app import app_from_env


def test_the_server_entry_builds_the_app_from_the_environment_and_freezes_its_startup_objects(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATENTPOOL_DATABASE_URL", f"sqlite:///{tmp_path}/entry.sqlite3")
    monkeypatch.setenv("PATENTPOOL_DATA_DIR", str(tmp_path / "data"))
    frozen_before = gc.get_freeze_count()
    try:
        app = app_from_env()
        assert isinstance(app, Litestar)
        # the routes and everything else built at startup now sit in the permanent generation
        assert gc.get_freeze_count() > frozen_before + 10_000
        with TestClient(app) as client:
            assert client.get("/health/live").status_code == 200
    finally:
        gc.unfreeze()
