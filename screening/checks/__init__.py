"""Every check the toolkit runs. Importing this package registers them all, in this order."""

from screening.checks import integrity, personal_numbers, status, validity  # noqa: F401  (registration)
from screening.checks.registry import SPECS, CheckContext, Settings, run_checks

__all__ = ["SPECS", "CheckContext", "Settings", "run_checks"]
