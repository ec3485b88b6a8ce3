"""The ledger's demo seeds, one module per part of the ledger."""

from . import (
    opinion,  # noqa: F401
    people,  # noqa: F401,E402
    places,  # noqa: F401
)
