"""The built wheel installed into a fresh venv, outside the checkout, on every supported CPython found.

In each venv: every module imports, both clients and a standalone function work against FakeNovu's
server process started from that venv (one trigger, a trigger_many of three chunks), the dependencies
are consistent (``pip check``) and the ``novu-async`` command runs. With the suite's own interpreter,
``mypy --strict`` checks a user's file against the installed package: ``py.typed`` works from the wheel.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from . import pythons
from .conftest import DEV_BIN, ROOT, Dists, Venv, check, clean_env, run
from .test_dist import VERSION, wheel_files

SMOKE = Path(__file__).with_name("smoke.py")
CURRENT = f"{sys.version_info.major}.{sys.version_info.minor}"


def outside_checkout(tmp_path: Path) -> Path:
    assert ROOT not in tmp_path.parents
    return tmp_path


@pytest.mark.parametrize("version", pythons.supported_versions())
def test_the_wheel_installs_and_works(
    version: str, dists: Dists, venv_with_wheel: Callable[[str], Venv], tmp_path: Path
) -> None:
    venv = venv_with_wheel(version)
    cwd = outside_checkout(tmp_path)
    script = shutil.copy(SMOKE, cwd / "smoke.py")
    result = check(run([str(venv.python), "-I", str(script)], cwd=cwd, env=venv.env()), f"smoke on {version}")
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["python"] == [int(part) for part in version.split(".")]
    assert Path(found["file"]).is_relative_to(venv.path)  # the installed copy, not the checkout
    assert found["version"] == VERSION
    # every hand-written and generated module imported (the package itself is imported first)
    files = [n for n in wheel_files(dists.wheel) if n.endswith(".py")]
    modules = {n[: -len(".py")].replace("/", ".").removesuffix(".__init__") for n in files}
    assert set(found["modules"]) == {m for m in modules if "." in m and not m.endswith(".__main__")}
    assert found["transaction_id"]
    assert (found["accepted"], found["failed"]) == (250, 0)
    assert found["recorded"] == 251  # the server accepted each event once
    assert found["legacy_groups"] == ["tenants", "layouts", "feeds"]

    pip_check = [sys.executable, "-m", "pip", "--python", str(venv.python), "check"]
    check(run(pip_check, cwd=cwd, env=venv.env()), "pip check")

    command = venv.bin / "novu-async"
    usage = check(run([str(command), "--help"], cwd=cwd, env=venv.env()), "novu-async --help")
    assert "trigger" in usage.stdout
    assert "bulk" in usage.stdout
    shown = check(run([str(command), "--version"], cwd=cwd, env=venv.env()), "novu-async --version")
    assert VERSION in shown.stdout + shown.stderr


USER_CODE = """
from novu_async import Novu, NovuCore, trigger_many
from novu_async.funcs.trigger import trigger
from novu_async.legacy import NovuLegacy
from novu_async.models import TriggerEventRequestDto


async def notify(core: NovuCore, user: str) -> str | None:
    result = await trigger(core, TriggerEventRequestDto(workflow_id="welcome", to=user))
    return result.transaction_id or None


async def main() -> int:
    async with Novu(secret_key="sk", server_url="http://127.0.0.1:9") as novu:
        await notify(novu.core, "user-1")
        report = await trigger_many(novu.core, [{"name": "welcome", "to": "user-2"}])
    async with NovuLegacy(secret_key="sk") as legacy:
        await legacy.tenants.list()
    return report.accepted
"""

WRONG_CODE = """
from novu_async.models import TriggerEventRequestDto

event = TriggerEventRequestDto(workflow_id=1, to="user-1")
"""


def test_mypy_strict_checks_user_code_against_the_installed_wheel(
    venv_with_wheel: Callable[[str], Venv], tmp_path: Path
) -> None:
    venv = venv_with_wheel(CURRENT)
    cwd = outside_checkout(tmp_path)
    (cwd / "app.py").write_text(USER_CODE)
    (cwd / "wrong.py").write_text(WRONG_CODE)
    mypy = [str(DEV_BIN / "mypy"), "--strict", "--config-file=", "--python-executable", str(venv.python)]
    mypy += ["--cache-dir", str(cwd / "mypy-cache")]
    good = run([*mypy, "app.py"], cwd=cwd, env=clean_env())
    assert good.returncode == 0, good.stdout + good.stderr
    # the types are the package's own: a wrong argument is caught, with the field's declared type
    bad = run([*mypy, "wrong.py"], cwd=cwd, env=clean_env())
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert (
        'Argument "workflow_id" to "TriggerEventRequestDto" has incompatible type "int"; expected "str"'
        in bad.stdout
    )
