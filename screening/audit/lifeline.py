"""Worker processes end when their parent dies, however it dies (Linux).

The local pool runs on a forkserver: the audit process starts the forkserver, which forks the
workers. A SIGKILLed audit runs no clean-up, so each of them asks the kernel for SIGKILL when
its own parent goes (``prctl(PR_SET_PDEATHSIG)``): the forkserver when the audit dies, each
worker when the forkserver dies. Python's resource tracker then sees its pipe close and ends by
itself. The forkserver arms itself by importing ``forkserver_preload`` (its preload module,
imported nowhere else); workers call ``arm()`` in their initializer. Elsewhere than Linux it
does nothing: there the pool's own pipes end idle workers.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1
# The audit process's pid, set before its pool starts: a process that arms itself after its
# parent already died (the kernel then never sends the signal) finds the audit gone and ends.
AUDIT_PID_ENV = "SCREENING_AUDIT_PID"


def note_audit_process() -> None:
    os.environ[AUDIT_PID_ENV] = str(os.getpid())


def arm() -> None:
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    audit = int(os.environ.get(AUDIT_PID_ENV) or 0)
    if os.getppid() == 1 or (audit and not _alive(audit)):
        os._exit(1)  # orphaned before the request took effect


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's (the pid was reused)
        return True
    return True
