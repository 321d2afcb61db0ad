"""Every check the toolkit runs. Importing this package registers them all, in this order."""

# Registration order is the order checks run and are listed in: integrity first.
from screening.checks import integrity  # noqa: F401
from screening.checks import validity  # noqa: F401
from screening.checks import status  # noqa: F401
from screening.checks import personal_numbers  # noqa: F401
from screening.checks import reading  # noqa: F401
from screening.checks import watchlist  # noqa: F401
from screening.checks import forensics  # noqa: F401
from screening.checks import viz  # noqa: F401
from screening.checks import chip  # noqa: F401
from screening.checks import light  # noqa: F401
from screening.checks.registry import SPECS, CheckContext, Settings, run_checks

__all__ = ["SPECS", "CheckContext", "Settings", "run_checks"]
