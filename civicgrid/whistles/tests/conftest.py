# The appeals fixtures (catalogue, staff, submit, bring) serve the whistle tests too.
from civicgrid.appeals.tests.conftest import bring, catalogue, staff, submit  # noqa: F401
