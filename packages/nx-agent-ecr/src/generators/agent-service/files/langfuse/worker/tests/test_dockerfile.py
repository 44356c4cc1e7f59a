"""<%= workerName %> has no app of its own: its tests check the packaging of the pinned upstream worker image."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINES = [line.strip() for line in re.sub(r"\\\n", " ", (ROOT / "Dockerfile").read_text()).splitlines()]
INSTRUCTIONS = [line for line in LINES if line and not line.startswith("#")]


def instructions(keyword):
    return [i for i in INSTRUCTIONS if i.upper().startswith(keyword + " ")]


def test_upstream_worker_image_is_pinned_to_a_release_from_a_build_arg():
    (arg,) = [i for i in instructions("ARG") if i.startswith("ARG BASE_IMAGE=")]
    image = arg.split("=", 1)[1].split("@sha256:", 1)[0]
    assert image.rsplit(":", 1)[0].endswith("langfuse/langfuse-worker")
    assert re.fullmatch(r"\d+\.\d+\.\d+", image.rsplit(":", 1)[1]), "pin a full release (x.y.z): %s" % image
    assert instructions("FROM") == ["FROM ${BASE_IMAGE}"]


def test_listens_on_3030_as_a_non_root_user_with_a_health_check():
    assert instructions("EXPOSE") == ["EXPOSE 3030"]
    assert instructions("USER")[-1].split()[1].split(":")[0] not in ("root", "0")
    assert "/api/health" in " ".join(instructions("HEALTHCHECK"))


def test_nothing_is_copied_in_and_no_secret_is_set():
    assert not instructions("COPY") and not instructions("ADD")
    for i in instructions("ENV") + instructions("ARG"):
        assert not re.search(r"(SECRET|SALT|ENCRYPTION_KEY|PASSWORD|DATABASE_URL|TOKEN|_KEY\b|AUTH)", i, re.I), i
