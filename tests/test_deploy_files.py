"""deploy/env.example filled in by the README's own commands (step 4 of "Running a server"), then read the way
/usr/local/bin/karstas-vanduo reads it (sh, `set -a; . file`): production starts on it, and refuses to start
on the file as shipped, naming the setting to fill in."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / "deploy" / "env.example"
README = ROOT / "README.md"
INSTALLED_ENV = "/etc/karstas-vanduo/env"
SH = "/bin/sh"  # what runs karstas-vanduo (#!/bin/sh)
START = "from app import create_app; app = create_app(); print(app.config['TRUSTED_HOSTS'], app.config['MAIL_FROM'])"


def readme_step_4_edits() -> list[str]:
    """The `sed -i … /etc/karstas-vanduo/env` lines of the README's settings step, as an operator pastes them."""
    section = README.read_text(encoding="utf-8").split("## Running a server", 1)[1]
    step = section.split("4. **Settings**", 1)[1].split("5. **", 1)[0]
    return [line.strip() for line in step.splitlines() if line.strip().startswith("sed -i") and INSTALLED_ENV in line]


def start_production(env_file: Path) -> subprocess.CompletedProcess:
    """Source `env_file` as karstas-vanduo does (with an in-memory database instead of PostgreSQL) and build the app."""
    script = f'set -a; . "{env_file}"; set +a; DATABASE_URL=sqlite://; exec "{sys.executable}" -c "{START}"'
    return subprocess.run(  # noqa: S603 -- the project's own example file and the README's own commands
        [SH, "-c", script], cwd=ROOT, env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=120
    )


def test_the_example_as_shipped_refuses_to_start_naming_the_secret_key(tmp_path):
    env_file = tmp_path / "env"
    shutil.copy(ENV_EXAMPLE, env_file)

    started = start_production(env_file)

    assert started.returncode != 0
    assert started.stderr.strip().splitlines()[-1].startswith("app.settings_check.SettingsError: SECRET_KEY: not set.")


def test_the_readme_commands_fill_in_a_file_production_starts_on(tmp_path):
    env_file = tmp_path / "env"
    shutil.copy(ENV_EXAMPLE, env_file)
    edits = readme_step_4_edits()
    assert len(edits) == 2  # SECRET_KEY and SERVER_BASE_URL

    for edit in edits:
        command = f"SITE=vanduo.example.lt; {edit.replace(INSTALLED_ENV, str(env_file))}"
        subprocess.run(  # noqa: S603 -- the README's own commands
            [SH, "-c", command], check=True, env={"PATH": "/usr/bin:/bin"}, timeout=30
        )
    started = start_production(env_file)

    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "['vanduo.example.lt'] Karštas vanduo <pranesimai@karstasvanduo.lt>"
    key = re.search(r"^SECRET_KEY=([0-9a-f]*)$", env_file.read_text(encoding="utf-8"), re.M)
    assert key is not None
    assert len(key.group(1)) == 64


def test_a_wrong_setting_ends_the_command_line_with_one_line_naming_it():
    flask = Path(sys.executable).with_name("flask")
    ended = subprocess.run(  # noqa: S603 -- the project's own entry point
        [str(flask), "--app", "wsgi", "db", "current"],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "SECRET_KEY": "short-key", "APP_ENV": "production"},
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert ended.returncode == 1
    assert ended.stderr.splitlines() == [
        "Error: SECRET_KEY: shorter than 32 characters. Production needs a long random key, e.g. "
        "SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_hex(32))')."
    ]
