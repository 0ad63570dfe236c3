"""The first run on a fresh machine: before Qt starts, a missing library of Qt's X11 plugin is named
in one line with the command that installs it, and the program exits 1 instead of dumping core."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from timeline_app import platform_check
from timeline_app.platform_check import Missing, missing_libraries, package_manager, uses_xcb

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux") or shutil.which("ldd") is None, reason="ldd")


def _system_library(name: str) -> Path:
    """Where the dynamic linker finds ``name`` on this machine."""
    ldconfig = shutil.which("ldconfig") or "/sbin/ldconfig"
    out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, check=False).stdout
    for line in out.splitlines():
        if line.strip().startswith(name + " "):
            return Path(line.rsplit("=>", 1)[1].strip())
    pytest.skip(f"{name} is not installed here")


@pytest.fixture
def broken_plugin(tmp_path: Path) -> Path:
    """A copy of a real xcb library whose dependency on libxcb.so.1 now reads libxcb.so.7, which no
    system has: for the dynamic linker, a plugin with a library it cannot find."""
    data = _system_library("libxcb-icccm.so.4").read_bytes()
    assert data.count(b"libxcb.so.1\0") == 1
    plugin = tmp_path / "libqxcb.so"
    plugin.write_bytes(data.replace(b"libxcb.so.1\0", b"libxcb.so.7\0"))
    return plugin


@linux_only
def test_a_library_the_plugin_cannot_find_is_named(broken_plugin: Path) -> None:
    assert missing_libraries(broken_plugin) == ["libxcb.so.7"]
    missing = Missing(broken_plugin, ["libxcb.so.7"], "apt-get")
    assert missing.message(root=False) == (
        "timeline-app: the window cannot open: Qt's X11 platform plugin needs system libraries that are missing "
        "(libxcb.so.7); install them with: sudo apt-get install -y --no-install-recommends libxcb1 "
        "(headless commands such as timeline-app validate and export work without them)"
    )


def test_the_command_names_each_distributions_packages() -> None:
    libs = ["libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-cursor.so.0", "libxcb-randr.so.0"]
    plugin = Path("libqxcb.so")
    assert Missing(plugin, libs, "apt-get").command(root=True) == [
        "apt-get", "install", "-y", "--no-install-recommends",
        "libxcb-icccm4", "libxcb-keysyms1", "libxcb-cursor0", "libxcb-randr0",
    ]  # fmt: skip
    assert Missing(plugin, libs, "dnf").command(root=False) == [
        "sudo", "dnf", "install", "-y", "xcb-util-wm", "xcb-util-keysyms", "xcb-util-cursor", "libxcb",
    ]  # fmt: skip
    assert Missing(plugin, libs, "pacman").command(root=True) == [
        "pacman", "-S", "--needed", "--noconfirm", "xcb-util-wm", "xcb-util-keysyms", "xcb-util-cursor", "libxcb",
    ]  # fmt: skip
    unknown = Missing(plugin, libs, None)
    assert unknown.command() is None
    assert "with your system's package manager" in unknown.message()


@pytest.mark.parametrize(
    ("os_release", "manager"),
    [
        ('ID=debian\nVERSION_ID="12"\n', "apt-get"),
        ("ID=ubuntu\nID_LIKE=debian\n", "apt-get"),
        ('ID=linuxmint\nID_LIKE="ubuntu debian"\n', "apt-get"),
        ('ID="fedora"\n', "dnf"),
        ('ID="rocky"\nID_LIKE="rhel centos fedora"\n', "dnf"),
        ("ID=arch\n", "pacman"),
        ("ID=endeavouros\nID_LIKE=arch\n", "pacman"),
    ],
)
def test_package_manager_from_os_release(tmp_path: Path, os_release: str, manager: str) -> None:
    path = tmp_path / "os-release"
    path.write_text(os_release, encoding="utf-8")
    assert package_manager(path) == manager


def test_only_the_xcb_platform_is_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    assert uses_xcb({"DISPLAY": ":0"})
    assert uses_xcb({"QT_QPA_PLATFORM": "xcb"})
    assert not uses_xcb({"DISPLAY": ":0", "QT_QPA_PLATFORM": "offscreen"})
    assert not uses_xcb({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "wayland"})
    assert not uses_xcb({})


def _run(args: list[str], plugin: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update({"DISPLAY": ":93", platform_check.PLUGIN_ENV: str(plugin), "PYTHONFAULTHANDLER": ""})
    return subprocess.run(
        [sys.executable, "-m", "timeline_app", *args], env=env, capture_output=True, text=True, timeout=120
    )


@linux_only
def test_the_window_command_says_what_is_missing_and_exits_1(broken_plugin: Path) -> None:
    result = _run([], broken_plugin)
    assert result.returncode == 1, result.stderr  # not -6 (abort) or a core dump
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "libxcb.so.7" in lines[0] and "install them with:" in lines[0]
    assert "Aborted" not in result.stderr and "could not load the Qt platform plugin" not in result.stderr.lower()


@linux_only
def test_headless_commands_work_without_those_libraries(broken_plugin: Path) -> None:
    result = _run(["validate"], broken_plugin)
    assert result.returncode == 0, result.stderr
    assert ": OK: " in result.stdout


@linux_only
def test_this_machine_has_what_the_plugin_needs(monkeypatch: pytest.MonkeyPatch) -> None:
    plugin = platform_check.xcb_plugin()
    if plugin is None:
        pytest.skip("PySide6's xcb plugin is not in a known place")
    assert missing_libraries(plugin) == []  # CI installs them in .ci/run
    monkeypatch.setenv("DISPLAY", ":93")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    assert platform_check.check() is None


@linux_only
def test_a_display_nobody_answers_is_one_clear_line_not_a_core_dump() -> None:
    plugin = platform_check.xcb_plugin()
    if plugin is None:
        pytest.skip("PySide6's xcb plugin is not in a known place")
    result = _run([], plugin)  # DISPLAY=:93: no X server there
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip() == platform_check.display_problem({"DISPLAY": ":93"})
    assert "no X display answers at DISPLAY=:93" in result.stderr


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="xvfb-run is not installed")
def test_make_runs_check_passes_on_a_machine_that_has_everything() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "DISPLAY")}
    result = subprocess.run(
        ["xvfb-run", "-a", sys.executable, "-m", "timeline_app.platform_check", "--install"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stderr) == (0, "")


@linux_only
def test_make_run_installs_what_is_missing_with_the_package_manager(
    broken_plugin: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--install`` (``make run``) runs apt-get as root and checks again: here a stand-in apt-get
    records its arguments and "installs" the library by mending the plugin."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "apt-get.log"
    fake = bin_dir / "apt-get"
    fake.write_text(
        "#!/bin/sh\n"
        f'echo "$*" >> "{log}"\n'
        f"exec {sys.executable} -c \"import pathlib; p = pathlib.Path('{broken_plugin}'); "
        "p.write_bytes(p.read_bytes().replace(b'libxcb.so.7', b'libxcb.so.1'))\"\n",
        encoding="utf-8",
    )
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv(platform_check.PLUGIN_ENV, str(broken_plugin))
    monkeypatch.setenv("DISPLAY", ":93")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(platform_check, "package_manager", lambda: "apt-get")
    monkeypatch.setattr(platform_check, "_can_install", lambda: [])  # as root
    monkeypatch.setattr(platform_check, "display_problem", lambda: None)  # DISPLAY=:93 is not a real one
    assert platform_check.main(["--install"]) == 0
    assert log.read_text(encoding="utf-8").split() == ["install", "-y", "--no-install-recommends", "libxcb1"]
    assert missing_libraries(broken_plugin) == []


@linux_only
def test_without_root_or_sudo_it_says_the_command_and_exits_1(
    broken_plugin: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(platform_check.PLUGIN_ENV, str(broken_plugin))
    monkeypatch.setenv("DISPLAY", ":93")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(platform_check, "package_manager", lambda: "apt-get")
    monkeypatch.setattr(platform_check, "_can_install", lambda: None)
    monkeypatch.setattr(platform_check.os, "geteuid", lambda: 1000)
    assert platform_check.main(["--install"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "sudo apt-get install -y --no-install-recommends libxcb1" in err


@linux_only
def test_without_ldd_the_linker_names_the_first_missing_library(
    broken_plugin: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(platform_check.shutil, "which", lambda name: None)
    assert missing_libraries(broken_plugin) == ["libxcb.so.7"]


def test_a_plugin_that_is_not_there_is_left_to_qt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(platform_check.PLUGIN_ENV, str(tmp_path / "nowhere" / "libqxcb.so"))
    monkeypatch.setenv("DISPLAY", ":93")
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr(platform_check.sys, "platform", "linux")
    assert platform_check.check() is None
