"""Which process holds a document: ``host:pid``, and whether that process is gone.

The embedded mode has no queue server to remember whose work a document is. A document
handed to a runner, or claimed by a worker process, records the process; a later run on the
same machine resumes only documents whose process no longer exists. A process on another
host is never judged (it may be alive), nor one whose identity cannot be read.
"""

from __future__ import annotations

import os
import socket


def this_process() -> str:
    """``host:pid`` of the calling process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def holder_is_gone(holder: str) -> bool:
    """Whether ``holder`` (``host:pid``) names a process of this host that has ended."""
    host, _, pid = holder.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, owned by another user
        return False
    return _is_zombie(int(pid))


def _is_zombie(pid: int) -> bool:
    """A child that ended and was not yet waited for still has a pid; it is gone all the same."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False
