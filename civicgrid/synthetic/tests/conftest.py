# The appeals fixtures (catalogue, staff) build the street the history runs on.
from civicgrid.appeals.tests.conftest import (  # noqa: F401
    catalogue,
    staff,
)
