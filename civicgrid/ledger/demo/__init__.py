"""The ledger's demo seeds, one module per part of the ledger."""

from . import places  # noqa: F401
