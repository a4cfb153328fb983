"""Fixtures of the desk tests: a kiosk and a desk on SQLite and on a real PostgreSQL, sharing
one database or each with its own (the slip as the only bridge)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from forms.loader import Library, load_library
from printouts.layout import Fonts
from tests.kiosk.desk.world import Site, build_site
from tests.kiosk.store.conftest import Clock
from tests.support.pgserver import PgServer


@pytest.fixture(scope="session")
def fonts() -> Fonts:
    return Fonts.for_pdf()


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.integration)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Callable[[str], str]:
    """name -> the URL of a fresh database of the backend (a file, or a PostgreSQL database)."""
    def url(name: str) -> str:
        if backend == "sqlite":
            return f"sqlite:///{tmp_path / 'db' / name}.sqlite3"
        server: PgServer = request.getfixturevalue("postgres")
        return server.create_database(f"{name}_{uuid.uuid4().hex[:12]}")
    return url


SiteFactory = Callable[..., Site]


@pytest.fixture
def make_site(tmp_path: Path, db_url: Callable[[str], str], library: Library, fonts: Fonts,
              clock: Clock) -> Iterator[SiteFactory]:
    sites: list[Site] = []

    def make(*, shared: bool = True, **options: object) -> Site:
        root = tmp_path / f"site{len(sites)}"
        root.mkdir()
        site = build_site(root, url=db_url, shared=shared, library=library, fonts=fonts,
                          clock=clock, **options)  # type: ignore[arg-type]
        sites.append(site)
        return site

    yield make
    for site in sites:
        for engine in site.engines:
            engine.dispose()


@pytest.fixture(params=["shared", "bridge"])
def site(request: pytest.FixtureRequest, make_site: SiteFactory) -> Site:
    """Both topologies: one database for kiosk and desk, or one each."""
    return make_site(shared=request.param == "shared")
