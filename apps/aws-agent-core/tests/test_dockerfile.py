"""The image's build rules, checked on the committed Dockerfile and .dockerignore (no engine needed)."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
INSTRUCTIONS = [line.strip() for line in re.sub(r"\\\n", " ", DOCKERFILE).splitlines() if line.strip() and not line.lstrip().startswith("#")]


def instructions(keyword):
    return [i for i in INSTRUCTIONS if i.upper().startswith(keyword + " ")]


def test_base_image_is_a_build_arg_with_a_pinned_default():
    (arg,) = [i for i in instructions("ARG") if i.startswith("ARG BASE_IMAGE=")]
    default = arg.split("=", 1)[1]
    # A version tag, optionally pinned by digest too (Renovate adds the digest).
    assert re.search(r":[0-9][\w.-]*(@sha256:[0-9a-f]{64})?$", default), "BASE_IMAGE default must carry a version tag: %s" % default
    assert all(f.split()[1] == "${BASE_IMAGE}" for f in instructions("FROM"))


def test_is_multi_stage_and_never_hard_codes_a_platform():
    froms = instructions("FROM")
    assert len(froms) >= 2
    assert not any("--platform" in f for f in froms)


def test_runs_as_a_non_root_user_and_exposes_its_port():
    user = instructions("USER")[-1].split()[1]
    assert user.split(":")[0] not in ("root", "0")
    assert instructions("EXPOSE") == ["EXPOSE 8080"]


def test_secrets_only_arrive_through_a_build_secret_mount():
    for i in instructions("ENV") + instructions("ARG"):
        assert not re.search(r"(PASSWORD|SECRET|TOKEN|PRIVATE_KEY|ACCESS_KEY)", i, re.I), i
    assert "--mount=type=secret,id=pip_conf" in DOCKERFILE
    assert not any(re.search(r"\.(pem|p8|key)\b|pip\.conf|\.env\b", i) for i in instructions("COPY") + instructions("ADD"))


def test_dockerignore_keeps_the_seed_list_out_of_the_context():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    for entry in [".git", ".env", "*.md", "tests/", ".vscode/", "__pycache__/", "*.pyc", ".venv", "node_modules", "dist", ".nx"]:
        assert entry in lines
