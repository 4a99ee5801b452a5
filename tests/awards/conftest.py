# The emulation tests' cluster year (school A a member, a head school H, a peer M).
from tests.emulation.conftest import cluster, cluster_year, em_users, head_school, peer_school  # noqa: F401
