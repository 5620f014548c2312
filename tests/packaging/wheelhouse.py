"""``make wheelhouse``: the runtime dependencies as wheels, for the packaging tests to install offline.

tests/packaging installs the built wheel into fresh virtual environments, one per supported Python
found on the machine (``pythons.py``). Those installs must not reach the network, so they take the
dependencies from this directory (``pip install --no-index --find-links``). It is filled here by pip
from the package index, as ``make setup`` fills .venv, and again when pyproject.toml changes. pip
resolves once per interpreter (``pip --python``): environment markers differ between versions
(exceptiongroup on 3.10), and pip evaluates them for the interpreter it runs in.

    python tests/packaging/wheelhouse.py DIRECTORY
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import pythons


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(argv[0])
    target.mkdir(parents=True, exist_ok=True)
    dependencies = pythons.project()["dependencies"]
    assert isinstance(dependencies, list)
    for version in pythons.supported_versions():
        executable = pythons.find(version)
        if executable is None:
            print(f"wheelhouse: no CPython {version} ({pythons.where_looked(version)}): its test will skip")
            continue
        command = [sys.executable, "-m", "pip", "--python", executable, "download", "--quiet"]
        command += ["--disable-pip-version-check", "--only-binary=:all:", "--dest", str(target)]
        subprocess.run([*command, *dependencies], check=True)
    print(f"wheelhouse: {len(list(target.glob('*.whl')))} wheels in {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
