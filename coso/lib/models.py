from django.db import models


class DataVersion(models.Model):
    """Random tokens that change with the committed writes to the data the pages count
    (coso/lib/pagecache.py): "*" with every undeclared write, "all" with every write, "o<id>" with
    a write declared under that organization's subtree. A page's figures are cached under the
    tokens it depends on; a token is never reused, so a restored or rolled-back database brings
    back its own tokens with its own data."""

    key = models.CharField(max_length=24, unique=True)
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "data version"
