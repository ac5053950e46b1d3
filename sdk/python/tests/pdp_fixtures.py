"""pytest fixtures: the real PDP and clients of it (a plugin: -p pdp_fixtures, see pyproject.toml)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pdp_process import PdpProcess

from redline_pdp import PdpClient


@pytest.fixture(scope="session")
def pdp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PdpProcess]:
    """One real PDP on the built-in contract bundle for the whole session."""
    process = PdpProcess(tmp_path_factory.mktemp("pdp-data"))
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def client(pdp: PdpProcess) -> Iterator[PdpClient]:
    """A client of the shared PDP. The deadline is generous: these tests are about answers, and a
    first evaluation on a cold JVM may take a while."""
    with PdpClient(pdp.target, deadline=10.0) as pdp_client:
        yield pdp_client
