"""The discipline channel's use cases: ``reports`` (intake, handling, the
reporter's receipt, grants, the identity custodian, deadlines), ``roster``
(posts). Every public function is here too, so callers say
``actions.report_accept(…)``."""

from .codes import *  # noqa: F403
from .guide import *  # noqa: F403
from .publicity import *  # noqa: F403
from .reports import *  # noqa: F403
from .roster import *  # noqa: F403
