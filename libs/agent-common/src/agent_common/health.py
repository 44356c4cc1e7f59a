"""Tracks requests in flight, for health endpoints that report "HealthyBusy" (Bedrock AgentCore's /ping)."""

import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator


class BusyTracker:
    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._in_flight = 0
        self._last_update = int(clock())

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def last_update(self) -> int:
        """Unix time of the last change between idle and busy."""
        return self._last_update

    def status(self) -> str:
        return "HealthyBusy" if self._in_flight else "Healthy"

    @contextmanager
    def track(self) -> Iterator[None]:
        self._change(+1)
        try:
            yield
        finally:
            self._change(-1)

    def _change(self, delta: int) -> None:
        with self._lock:
            was_busy = self._in_flight > 0
            self._in_flight += delta
            if was_busy != (self._in_flight > 0):
                self._last_update = int(self._clock())
