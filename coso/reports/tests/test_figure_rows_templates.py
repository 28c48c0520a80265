"""Every measure family has the template of the records behind its figures (reports/rows/<family>.html
with a #head and a #row partial): a new family without one fails here, not on a user's click."""

import pytest
from django.template.loader import get_template

from coso.measures.catalog import FAMILIES


@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_each_family_has_its_rows_template(name):
    for part in ("head", "row"):
        assert get_template(f"reports/rows/{name}.html#{part}") is not None
