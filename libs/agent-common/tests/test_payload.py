import json

import pytest

from agent_common import Invocation, PayloadError, error_body, parse_invocation


def test_parses_prompt_session_and_metadata():
    raw = json.dumps({"prompt": "Hi", "session_id": "s-1", "metadata": {"user": "u"}}).encode()
    assert parse_invocation(raw) == Invocation(prompt="Hi", session_id="s-1", metadata={"user": "u"})


def test_accepts_camel_case_session_id_as_agentcore_clients_send_it():
    assert parse_invocation(b'{"prompt": "Hi", "sessionId": "abc"}').session_id == "abc"


@pytest.mark.parametrize(
    "raw, code, fragment",
    [
        (b"", "invalid_json", "JSON object"),
        (b"{not json", "invalid_json", "JSON object"),
        (b"\xff\xfe", "invalid_json", "JSON object"),
        (b"[1, 2]", "invalid_payload", "not a list"),
        (b"{}", "invalid_payload", '"prompt" is required'),
        (b'{"prompt": "   "}', "invalid_payload", '"prompt" is required'),
        (b'{"prompt": 42}', "invalid_payload", '"prompt" is required'),
        (b'{"prompt": "x", "session_id": 1}', "invalid_payload", '"session_id"'),
        (b'{"prompt": "x", "metadata": []}', "invalid_payload", '"metadata"'),
    ],
)
def test_rejects_bad_payloads_with_a_stable_code_and_a_message_saying_what_to_fix(raw, code, fragment):
    with pytest.raises(PayloadError) as caught:
        parse_invocation(raw)
    assert caught.value.code == code
    assert fragment in caught.value.message


def test_rejects_a_prompt_over_the_limit_naming_both_lengths():
    with pytest.raises(PayloadError, match="has 11 characters; the limit is 10"):
        parse_invocation(json.dumps({"prompt": "x" * 11}).encode(), max_prompt_chars=10)


def test_error_body_has_the_one_shape_clients_parse():
    assert error_body("invalid_json", "msg") == {"error": {"code": "invalid_json", "message": "msg"}}


def test_validate_invocation_checks_an_already_decoded_body_with_the_same_rules():
    from agent_common import validate_invocation

    assert validate_invocation({"prompt": "hi", "sessionId": "s"}) == Invocation(prompt="hi", session_id="s")
    with pytest.raises(PayloadError) as bad:
        validate_invocation(["hi"])
    assert (bad.value.code, bad.value.message) == ("invalid_payload", "The request body must be a JSON object, not a list.")
