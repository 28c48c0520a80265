import pytest
from django.core.management import call_command


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for the package's tests (about 10 s), flushed afterwards."""
    with django_db_blocker.unblock():
        call_command("places", "load", verbosity=0)
        call_command("demo")
        yield
        call_command("flush", "--noinput")
