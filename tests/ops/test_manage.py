"""manage.py upgrade and manage.py service, without touching the real environment or systemd."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def manage():
    spec = importlib.util.spec_from_file_location("manage", ROOT / "manage.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_service_writes_a_unit_that_restarts_after_the_network_as_the_current_user(manage, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(manage, "ensure_environment", lambda extras: None)
    monkeypatch.setattr(manage.getpass, "getuser", lambda: "office")
    assert manage.service(tmp_path) == 0
    unit = (tmp_path / "xietong.service").read_text(encoding="utf-8")
    assert "\nUser=office\n" in unit
    assert f"\nWorkingDirectory={tmp_path}\n" in unit
    assert f"\nExecStart={manage.PYTHON} bot.py\n" in unit
    assert "\nRestart=on-failure\n" in unit
    assert "\nAfter=network-online.target\n" in unit and "\nWants=network-online.target\n" in unit
    assert "\nWantedBy=multi-user.target\n" in unit
    printed = capsys.readouterr().out
    assert "sudo systemctl enable --now xietong" in printed and "sudo systemctl daemon-reload" in printed


def test_upgrade_reinstalls_eagerly_within_the_pins_and_keeps_the_stamps(manage, tmp_path, monkeypatch):
    venv = tmp_path / ".venv"
    venv.mkdir()
    (venv / ".installed-test").write_text("old")
    monkeypatch.setattr(manage, "VENV", venv)
    monkeypatch.setattr(manage, "ensure_environment", lambda extras: None)
    runs: list[list] = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: runs.append([str(a) for a in args]))
    monkeypatch.setattr(subprocess, "call", lambda args, **kw: runs.append([str(a) for a in args]) or 0)
    assert manage.upgrade() == 0
    pip, years = runs
    assert pip[:4] == [str(manage.PYTHON), "-m", "pip", "install"]
    assert pip[-5:] == ["--upgrade", "--upgrade-strategy", "eager", "-e", ".[test]"]
    assert "chinese_calendar" in years[-1]
    _, digest = manage._stamp("test")
    assert (venv / ".installed-test").read_text() == digest  # no second install on the next run or test


def test_the_calendar_years_line_runs(manage):
    out = subprocess.run([manage.PYTHON, "-c", manage.CALENDAR_YEARS], capture_output=True, text=True, check=True)
    assert "chinese-calendar 1." in out.stdout and "2004 – 2026" in out.stdout
