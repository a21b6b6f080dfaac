"""Stages of a batch check run side by side: reading ahead, and writing behind.

Polars lets go of the GIL while it reads, evaluates and writes, so a chunk can be
read in one thread while the one before is judged in another and the one before
that is written in a third. What a sequential run guarantees stays:
- bounded memory: a fixed number of items in flight between two threads;
- order: one thread per stage, items handed on first in, first out;
- errors: a worker's exception is raised in the caller's thread, at the point
  where the sequential run would have raised it (the next item asked for, the
  next item handed over, or the end);
- no hang: every wait polls, so a stopped or failed side never leaves the other
  blocked, and the caller's KeyboardInterrupt stops the workers between items.
Workers run in a copy of the caller's context (limits, vocabulary, notes are
context variables).
"""

from __future__ import annotations

import contextlib
import contextvars
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from types import TracebackType
from typing import Any, Generic, TypeVar

__all__ = ["Background", "ReadAhead", "WriteBehind"]

T = TypeVar("T")

_POLL = 0.05
"""Seconds between looks at whether the other side stopped, while waiting."""

_ITEM, _END, _ERROR = 0, 1, 2


class _Channel:
    """A bounded queue between two threads, either of which may give up."""

    def __init__(self, depth: int) -> None:
        self._queue: queue.Queue[tuple[int, Any]] = queue.Queue(depth)

    def put(self, item: tuple[int, Any], going: Callable[[], bool]) -> bool:
        """Hand `item` on; False (not handed on) once `going()` is false."""
        while going():
            try:
                self._queue.put(item, timeout=_POLL)
            except queue.Full:
                continue
            return True
        return False

    def get(self, going: Callable[[], bool]) -> tuple[int, Any] | None:
        """The next item; None once `going()` is false and nothing is left."""
        while True:
            try:
                return self._queue.get(timeout=_POLL)
            except queue.Empty:
                if not going():
                    try:
                        return self._queue.get_nowait()
                    except queue.Empty:
                        return None

    def drain(self) -> None:
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                return


def _start(name: str, run: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=contextvars.copy_context().run, args=(run,), name=name)
    thread.daemon = True
    thread.start()
    return thread


class Background(Generic[T]):
    """`work()` run in a worker thread; `result()` waits for it and gives its value (or
    raises its exception) in the caller's thread."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._work = work
        self._value: tuple[T] | None = None
        self._failure: BaseException | None = None
        self._thread = _start("sw-policy-background", self._run)

    def _run(self) -> None:
        try:
            self._value = (self._work(),)
        except BaseException as exc:  # raised in the caller's thread by result()
            self._failure = exc

    def result(self) -> T:
        while self._thread.is_alive():
            self._thread.join(_POLL)
        if self._failure is not None:
            raise self._failure
        assert self._value is not None
        return self._value[0]


class ReadAhead(Generic[T]):
    """`source` iterated in a worker thread, up to `depth` items ahead of the caller.

    Iterating gives the same items, and raises the same exception after the same
    items, as iterating `source`. Close it (or leave the `with` block) to stop the
    worker; an iterator `source` with a `close` method is closed in the worker.
    """

    def __init__(self, source: Iterable[T], depth: int = 1) -> None:
        self._channel = _Channel(depth)
        self._stop = threading.Event()
        self._finished = False
        items = iter(source)
        self._thread = _start("sw-policy-read-ahead", lambda: self._run(items))

    def _run(self, items: Iterator[T]) -> None:
        going = self._going
        try:
            for item in items:
                if not self._channel.put((_ITEM, item), going):
                    return
            self._channel.put((_END, None), going)
        except BaseException as exc:  # handed to the caller's thread, raised there
            self._channel.put((_ERROR, exc), going)
        finally:
            close = getattr(items, "close", None)
            if close is not None:
                close()

    def _going(self) -> bool:
        return not self._stop.is_set()

    def __iter__(self) -> ReadAhead[T]:
        return self

    def __next__(self) -> T:
        if self._finished:
            raise StopIteration
        got = self._channel.get(self._thread.is_alive)
        if got is None or got[0] != _ITEM:
            self._finished = True
            self._thread.join()
            if got is not None and got[0] == _ERROR:
                raise got[1]
            raise StopIteration
        item: T = got[1]
        return item

    def close(self) -> None:
        """Stop the worker (after the item it is reading) and wait for it."""
        self._finished = True
        self._stop.set()
        self._channel.drain()
        self._thread.join()

    def __enter__(self) -> ReadAhead[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class WriteBehind(Generic[T]):
    """`write(item)` for each item handed over, in order, in a worker thread, at most
    `depth` items behind the caller.

    The worker's first exception stops it; it is raised in the caller's thread by
    the next `put` or by `finish`. Use as a `with` block: leaving it normally waits
    for every item to be written; leaving it by an Exception writes what was handed
    over (as a sequential run would have) before the exception goes on, and a
    KeyboardInterrupt or other BaseException stops the worker at once.
    """

    def __init__(self, write: Callable[[T], None], depth: int = 2) -> None:
        self._channel = _Channel(depth)
        self._write = write
        self._stop = threading.Event()
        self._failure: BaseException | None = None
        self._thread = _start("sw-policy-write-behind", self._run)

    def _run(self) -> None:
        try:
            while (got := self._channel.get(self._going)) is not None and got[0] == _ITEM:
                self._write(got[1])
        except BaseException as exc:  # raised in the caller's thread
            self._failure = exc
            self._channel.drain()

    def _going(self) -> bool:
        return not self._stop.is_set() and self._failure is None

    def _raise_failure(self) -> None:
        if self._failure is not None:
            self._thread.join()
            raise self._failure

    def put(self, item: T) -> None:
        """Hand `item` to the worker, waiting while `depth` items are not yet written."""
        self._raise_failure()
        if not self._channel.put((_ITEM, item), self._going):
            self._raise_failure()
            raise RuntimeError("put after the writer stopped")  # pragma: no cover

    def finish(self) -> None:
        """Wait until every item handed over is written; raise the worker's exception."""
        self._raise_failure()
        self._channel.put((_END, None), self._going)
        self._thread.join()
        self._raise_failure()

    def abort(self) -> None:
        """Stop the worker after the item it is writing, dropping the rest."""
        self._stop.set()
        self._channel.drain()
        self._thread.join()

    def __enter__(self) -> WriteBehind[T]:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc is None:
            self.finish()
        elif isinstance(exc, Exception):
            # what was handed over is written, as a sequential run would have; the
            # first error is the one raised
            with contextlib.suppress(Exception):
                self.finish()
        else:
            self.abort()
