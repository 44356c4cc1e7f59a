import threading

import pytest

from agent_common import BusyTracker


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_is_healthy_when_idle_and_healthy_busy_while_a_request_runs():
    tracker = BusyTracker()
    assert tracker.status() == "Healthy"
    with tracker.track():
        assert tracker.status() == "HealthyBusy"
    assert tracker.status() == "Healthy"


def test_stays_busy_until_the_last_overlapping_request_ends():
    tracker = BusyTracker()
    with tracker.track():
        with tracker.track():
            assert tracker.in_flight == 2
        assert tracker.status() == "HealthyBusy"
    assert tracker.in_flight == 0


def test_last_update_moves_only_when_idle_and_busy_switch():
    clock = FakeClock()
    tracker = BusyTracker(clock=clock)
    assert tracker.last_update == 1000
    clock.now = 1005
    with tracker.track():
        clock.now = 1010
        with tracker.track():
            pass
        assert tracker.last_update == 1005
    assert tracker.last_update == 1010


def test_a_failing_request_does_not_leave_the_service_busy():
    tracker = BusyTracker()
    with pytest.raises(RuntimeError):
        with tracker.track():
            raise RuntimeError("agent failed")
    assert tracker.status() == "Healthy"


def test_counts_concurrent_requests_from_threads_exactly():
    tracker = BusyTracker()
    gate = threading.Barrier(8)

    def work():
        with tracker.track():
            gate.wait(timeout=5)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=5)
    assert tracker.in_flight == 0
