"""The portal's database sessions: settings that every connection carries."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db


def test_jit_is_off_for_the_portals_connections():
    # JIT compiles a costly-looking query on every execution (~0.5 s for a 1 ms query at 100,000 courses).
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
