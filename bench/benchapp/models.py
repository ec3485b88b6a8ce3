from django.db import models


class BareRow(models.Model):
    """What the baseline view inserts: one row, nothing else."""

    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
