"""What onrecord's helper processes (the store's writer, the web app's extraction
worker) share: they go when the process that started them goes."""

from __future__ import annotations


def die_with_parent() -> None:
    """On Linux, be killed when the parent dies, even by SIGKILL (elsewhere, nothing)."""
    try:
        import ctypes
        import signal

        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
