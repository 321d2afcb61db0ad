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


def arm() -> None:
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getppid()
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
