"""One lock per mutable wrapper, and what becomes of it in a forked child.

The C library lets a non-const object be used by one thread at a time
(efc/common.h); Python users share objects between threads, so every
wrapper of a mutable C object (Survey, ModelBuilder) takes its Guard around
each C call that touches that object, freeing included. A Guard is a
re-entrant lock, so that a method holding it may call another.

fork() copies a process with only the forking thread: a lock another thread
held stays held for ever in the child, and the C object it guarded may be
half changed. Right after a fork the child gives every Guard a new lock and,
for an object in use by another thread at that moment, or one whose C state
belongs to the parent (a survey: its reader thread and file position stay
with the parent), records why, so that any later call raises
efc.StateError instead of hanging or crashing."""
import functools
import os
import threading
import weakref

from .errors import StateError

_live: "weakref.WeakSet[Guard]" = weakref.WeakSet()


class Guard:
    """The lock of one object and the process it belongs to."""

    __slots__ = ("lock", "pid", "what", "parent_only", "refused", "__weakref__")

    def __init__(self, what: str, parent_only: bool = False):
        self.lock = threading.RLock()
        self.pid = os.getpid()
        self.what = what  # "survey", "model builder": named in errors
        self.parent_only = parent_only  # unusable in a forked child whatever its state
        self.refused = None  # why calls are refused, or None
        _live.add(self)

    def may_free(self) -> bool:
        """Whether the C object may be freed here: in its own process, or in
        a forked child when it was idle at the fork and is not tied to the
        parent (freeing a survey would wait for a reader thread the child
        does not have)."""
        if self.pid == os.getpid():
            return True
        return not self.parent_only and self.refused is None

    def __enter__(self) -> "Guard":
        if self.refused is not None:
            raise StateError(7, self.refused)
        self.lock.acquire()
        if self.refused is not None:  # refused while this thread waited (closed)
            self.lock.release()
            raise StateError(7, self.refused)
        return self

    def __exit__(self, *exc) -> None:
        self.lock.release()

    def refuse(self, reason: str) -> None:
        """Refuse every later call (the caller holds the lock)."""
        self.refused = reason


def _after_fork_in_child() -> None:
    # the child has one thread: nothing else touches the guards meanwhile
    for g in list(_live):
        # held by a thread that does not exist here: the object may be half
        # changed (acquire succeeds when the forking thread itself held it,
        # and that thread carries on with its call in the child)
        busy = not g.lock.acquire(blocking=False)
        if not busy:
            g.lock.release()
        g.lock = threading.RLock()
        if g.refused is not None:
            continue
        if g.parent_only:
            g.refused = (f"this {g.what} was opened in process {g.pid}: a forked child cannot "
                         f"use it (open it again in the child)")
        elif busy:
            g.refused = (f"this {g.what} was in use by another thread when process {g.pid} "
                         f"forked: the child cannot use it")


os.register_at_fork(after_in_child=_after_fork_in_child)


def locked(method):
    """A method run under its object's Guard (self._guard)."""
    @functools.wraps(method)
    def run(self, *args, **kwargs):
        with self._guard:
            return method(self, *args, **kwargs)
    return run
