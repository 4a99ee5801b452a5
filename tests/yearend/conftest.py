"""The emulation fixtures (a cluster year open for scoring) for the lock tests."""

from tests.emulation.conftest import (  # noqa: F401
    cluster,
    cluster_year,
    em_users,
    head_school,
    open_year,
    peer_school,
    scheme,
)
