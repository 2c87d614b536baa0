"""The Dockerfile and compose.yaml stay true to the code: images cannot be built or pulled on these machines, so
what can be checked without them is checked here (hadolint lints the Dockerfile in `make lint`)."""

import re
from pathlib import Path

import yaml
from django.core.management import get_commands

from lms import storage

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
PORTAL_SERVICES = ("migrate", "web", "worker")


def read_by_the_code() -> set[str]:
    """Every environment variable the project's code reads by name (`env("X")`, `env_bool("X", …)`, os.environ)."""
    names = set()
    for path in ROOT.glob("lms/**/*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        names |= set(re.findall(r"""env(?:_bool|_int|_list|_float)?\(\s*["']([A-Z][A-Z0-9_]+)["']""", text))
        names |= set(re.findall(r"""environ(?:\.get)?[(\[]\s*["']([A-Z][A-Z0-9_]+)["']""", text))
    return names


# Read by the libraries themselves: boto3 takes its keys from the environment (lms/storage.py).
READ_BY_LIBRARIES = {"DJANGO_SETTINGS_MODULE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}


def test_every_variable_compose_sets_is_one_the_portal_reads():
    known = read_by_the_code() | set(storage.PASSED_ON) | READ_BY_LIBRARIES
    for name in PORTAL_SERVICES:
        unknown = set(COMPOSE["services"][name]["environment"]) - known
        assert not unknown, f"{name} sets variables nothing reads: {unknown}"


def test_the_services_run_the_entry_points_the_tests_run():
    commands = get_commands()
    for name in ("migrate", "worker"):
        command = COMPOSE["services"][name]["command"]
        assert command[:2] == ["python", "manage.py"] and command[2] in commands, command
    assert "command" not in COMPOSE["services"]["web"]  # the image's default: gunicorn
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M).group(1)
    assert yaml.safe_load(cmd)[:2] == ["gunicorn", "lms.wsgi:application"]


def test_the_image_is_built_from_the_requirements_and_runs_unprivileged():
    assert "pip install --no-compile -r requirements.txt" in DOCKERFILE
    users = re.findall(r"^USER (.+)$", DOCKERFILE, re.M)
    assert users and users[-1] not in ("root", "0", "0:0")
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".git", ".venv", "var", "media", ".env"} <= set(ignored)


def test_compose_keeps_secrets_out_of_the_file():
    text = (ROOT / "compose.yaml").read_text()
    for name in ("DJANGO_SECRET_KEY", "POSTGRES_PASSWORD", "MINIO_ROOT_PASSWORD"):
        assert f"${{{name}:?" in text, f"{name} must come from the environment"
    for name in PORTAL_SERVICES:
        ports = COMPOSE["services"][name].get("ports", [])
        assert all(port.startswith("127.0.0.1:") for port in ports), ports
