"""The layers of pyproject.toml's [tool.importlinter] hold: dependencies only point down, the domain imports no
NoneBot, and no package or module imports its way back into itself (the same check .ci/run makes)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_the_contracts_are_kept():
    done = lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_an_upward_import_breaks_a_contract(tmp_path):
    """Not vacuous: orders does import core, so a contract forbidding that is reported broken."""
    config = tmp_path / "upward.toml"
    config.write_text(
        '[tool.importlinter]\nroot_packages = ["xietong"]\n\n'
        '[[tool.importlinter.contracts]]\nname = "core above orders"\ntype = "layers"\n'
        'layers = ["xietong.core", "xietong.orders"]\n',
        encoding="utf-8",
    )
    done = lint_imports("--config", str(config))
    assert done.returncode != 0 and "1 broken" in done.stdout


def test_every_plugin_is_in_the_independence_contract():
    """A new plugin is covered too: plugins/<a> never imports plugins/<b> (plugins.core is the shared library)."""
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]
    [alone] = [c for c in contracts if c["type"] == "independence"]
    plugins = {f"plugins.{p.parent.name}" for p in (ROOT / "plugins").glob("*/__init__.py")} - {"plugins.core"}
    assert set(alone["modules"]) == plugins
