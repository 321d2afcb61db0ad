"""Imported only by the local pool's forkserver, as its preload module: the forkserver ends when
the audit process dies (``lifeline``), and the workers it forks start with the task code loaded."""

from screening.audit import task  # noqa: F401 - loaded once here, inherited by every worker
from screening.audit.lifeline import arm

arm()
