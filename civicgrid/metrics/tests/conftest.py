# The appeals fixtures (catalogue, staff, submit, bring) serve these tests too.
from civicgrid.appeals.tests.conftest import (  # noqa: F401
    bring,
    catalogue,
    staff,
    submit,
)
