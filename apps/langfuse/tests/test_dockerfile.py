"""langfuse has no app of its own: its tests check the packaging of the pinned upstream web image."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()
INSTRUCTIONS = [line.strip() for line in re.sub(r"\\\n", " ", DOCKERFILE).splitlines() if line.strip() and not line.lstrip().startswith("#")]
SECRET_NAMES = re.compile(r"(SECRET|SALT|ENCRYPTION_KEY|PASSWORD|DATABASE_URL|TOKEN|_KEY\b|_AUTH\b)", re.I)


def instructions(keyword):
    return [i for i in INSTRUCTIONS if i.upper().startswith(keyword + " ")]


def base_image():
    (arg,) = [i for i in instructions("ARG") if i.startswith("ARG BASE_IMAGE=")]
    return arg.split("=", 1)[1]


def test_upstream_image_is_pinned_to_a_release_not_a_moving_tag():
    # x.y.z, optionally with the digest Renovate adds: langfuse/langfuse:4.59.0@sha256:...
    image = base_image().split("@sha256:", 1)[0]
    tag = image.rsplit(":", 1)[1]
    assert re.fullmatch(r"\d+\.\d+\.\d+", tag), "pin a full release (x.y.z), not %r" % tag
    assert image.rsplit(":", 1)[0].endswith("langfuse/langfuse")


def test_builds_from_the_pinned_arg_without_a_hard_coded_platform():
    assert instructions("FROM") == ["FROM ${BASE_IMAGE}"]


def test_listens_on_3000_and_exposes_it():
    assert instructions("EXPOSE") == ["EXPOSE 3000"]
    assert "PORT=3000" in " ".join(instructions("ENV"))


def test_runs_as_a_non_root_user():
    user = instructions("USER")[-1].split()[1]
    assert user.split(":")[0] not in ("root", "0")


def test_no_configuration_secret_is_baked_into_the_image():
    for i in instructions("ENV") + instructions("ARG"):
        assert not SECRET_NAMES.search(i), i
    assert not instructions("COPY") and not instructions("ADD")


def test_the_worker_image_is_left_out_of_the_web_context():
    assert "worker/" in (ROOT / ".dockerignore").read_text().splitlines()


def test_env_example_leaves_every_secret_empty_or_a_placeholder():
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        if SECRET_NAMES.search(name) and name != "DATABASE_URL":
            assert value == "", "%s must be empty in .env.example" % name
    assert "CHANGE_ME" in (ROOT / ".env.example").read_text()


def test_dockerignore_keeps_env_files_and_the_seed_list_out_of_the_context():
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    for entry in [".git", ".env", "*.md", "tests/", ".vscode/", "__pycache__/", "*.pyc", ".venv", "node_modules", "dist", ".nx"]:
        assert entry in lines
