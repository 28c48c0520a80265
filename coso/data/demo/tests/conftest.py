import pytest
from django.core.management import call_command

from coso.data.worlds import world


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for the package's tests (coso/data/worlds.py), rolled back afterwards."""
    with world(django_db_blocker, lambda: call_command("demo")):
        yield
