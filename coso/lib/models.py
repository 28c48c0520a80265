from django.db import models


class DataVersion(models.Model):
    """One row: a random token that changes with every committed write to the data the pages
    count (coso/lib/pagecache.py). A page's figures are cached under it; a token is never reused,
    so a restored or rolled-back database brings back its own token with its own data."""

    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = "data version"
