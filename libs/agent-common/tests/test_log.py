import json
import logging

from agent_common import configure_logging


def test_writes_one_json_object_per_record_with_the_service_name(capsys):
    log = configure_logging("svc", level="debug")
    log.info("hello %s", "world")
    line = capsys.readouterr().out.strip().splitlines()[-1]
    entry = json.loads(line)
    assert entry["service"] == "svc"
    assert entry["level"] == "info"
    assert entry["message"] == "hello world"
    assert logging.getLogger().level == logging.DEBUG


def test_includes_the_exception_of_a_failed_call(capsys):
    log = configure_logging("svc")
    try:
        raise ValueError("boom")
    except ValueError:
        log.exception("failed")
    entry = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert "ValueError: boom" in entry["exception"]
