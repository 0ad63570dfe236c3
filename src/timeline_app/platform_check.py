"""Before Qt starts: are the system libraries of Qt's X11 ("xcb") platform plugin there?

Without them Qt prints a paragraph about xcb-cursor0 and aborts with a core dump, even when other
libraries are what is missing. This finds the plugin without importing Qt, asks ``ldd`` which of
its libraries cannot be found, and says in one line what is missing and the command that installs
it; ``python -m timeline_app.platform_check --install`` (run by ``make run``) installs them itself
where it can (as root, or with ``sudo -n``). Headless commands never get here.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PLUGIN_ENV = "TIMELINE_APP_XCB_PLUGIN"  # another plugin to check (tests)

# Library name up to ".so" -> the package holding it, per package manager.
PACKAGES: dict[str, dict[str, str]] = {
    "apt-get": {
        "libxcb-cursor": "libxcb-cursor0",
        "libxcb-icccm": "libxcb-icccm4",
        "libxcb-keysyms": "libxcb-keysyms1",
        "libxcb-image": "libxcb-image0",
        "libxcb-render-util": "libxcb-render-util0",
        "libxcb-util": "libxcb-util1",
        "libxcb-randr": "libxcb-randr0",
        "libxcb-shape": "libxcb-shape0",
        "libxcb-xkb": "libxcb-xkb1",
        "libxcb-shm": "libxcb-shm0",
        "libxcb-sync": "libxcb-sync1",
        "libxcb-xfixes": "libxcb-xfixes0",
        "libxcb-render": "libxcb-render0",
        "libxcb-xinerama": "libxcb-xinerama0",
        "libxcb": "libxcb1",
        "libX11-xcb": "libx11-xcb1",
        "libX11": "libx11-6",
        "libxkbcommon-x11": "libxkbcommon-x11-0",
        "libxkbcommon": "libxkbcommon0",
        "libEGL": "libegl1",
        "libGL": "libgl1",
        "libGLX": "libglx0",
        "libOpenGL": "libopengl0",
        "libGLdispatch": "libglvnd0",
        "libfontconfig": "libfontconfig1",
        "libfreetype": "libfreetype6",
        "libglib-2.0": "libglib2.0-0",
        "libgthread-2.0": "libglib2.0-0",
        "libdbus-1": "libdbus-1-3",
        "libz": "zlib1g",
        "libzstd": "libzstd1",
    },
    "dnf": {
        "libxcb-cursor": "xcb-util-cursor",
        "libxcb-icccm": "xcb-util-wm",
        "libxcb-keysyms": "xcb-util-keysyms",
        "libxcb-image": "xcb-util-image",
        "libxcb-render-util": "xcb-util-renderutil",
        "libxcb-util": "xcb-util",
        "libxcb": "libxcb",
        "libX11-xcb": "libX11-xcb",
        "libX11": "libX11",
        "libxkbcommon-x11": "libxkbcommon-x11",
        "libxkbcommon": "libxkbcommon",
        "libEGL": "libglvnd-egl",
        "libGL": "libglvnd-glx",
        "libGLX": "libglvnd-glx",
        "libOpenGL": "libglvnd-opengl",
        "libGLdispatch": "libglvnd",
        "libfontconfig": "fontconfig",
        "libfreetype": "freetype",
        "libglib-2.0": "glib2",
        "libgthread-2.0": "glib2",
        "libdbus-1": "dbus-libs",
        "libz": "zlib",
        "libzstd": "libzstd",
    },
    "pacman": {
        "libxcb-cursor": "xcb-util-cursor",
        "libxcb-icccm": "xcb-util-wm",
        "libxcb-keysyms": "xcb-util-keysyms",
        "libxcb-image": "xcb-util-image",
        "libxcb-render-util": "xcb-util-renderutil",
        "libxcb-util": "xcb-util",
        "libxcb": "libxcb",
        "libX11-xcb": "libx11",
        "libX11": "libx11",
        "libxkbcommon-x11": "libxkbcommon-x11",
        "libxkbcommon": "libxkbcommon",
        "libEGL": "libglvnd",
        "libGL": "libglvnd",
        "libGLX": "libglvnd",
        "libOpenGL": "libglvnd",
        "libGLdispatch": "libglvnd",
        "libfontconfig": "fontconfig",
        "libfreetype": "freetype2",
        "libglib-2.0": "glib2",
        "libgthread-2.0": "glib2",
        "libdbus-1": "dbus",
        "libz": "zlib",
        "libzstd": "zstd",
    },
}
# The libxcb sub-libraries (randr, shape, xkb, ...) ship in the libxcb package outside Debian.
for _manager in ("dnf", "pacman"):
    for _name in ("randr", "shape", "xkb", "shm", "sync", "xfixes", "render", "xinerama"):
        PACKAGES[_manager][f"libxcb-{_name}"] = "libxcb"
_INSTALL = {
    "apt-get": ["apt-get", "install", "-y", "--no-install-recommends"],
    "dnf": ["dnf", "install", "-y"],
    "pacman": ["pacman", "-S", "--needed", "--noconfirm"],
}
_BY_DISTRO = {
    "debian": "apt-get",
    "ubuntu": "apt-get",
    "fedora": "dnf",
    "rhel": "dnf",
    "centos": "dnf",
    "arch": "pacman",
    "manjaro": "pacman",
}


@dataclass(frozen=True)
class Missing:
    """What the plugin cannot find, and how to install it here."""

    plugin: Path
    libraries: list[str]
    manager: str | None  # apt-get, dnf, pacman, or None (an unknown system)

    def packages(self) -> list[str]:
        table = PACKAGES.get(self.manager or "", {})
        found = [table.get(library_stem(lib)) for lib in self.libraries]
        return list(dict.fromkeys(p for p in found if p))

    def command(self, *, root: bool | None = None) -> list[str] | None:
        """The install command, with sudo unless running as root; None when not known here."""
        packages = self.packages()
        if self.manager is None or not packages:
            return None
        root = os.geteuid() == 0 if root is None else root
        return [*([] if root else ["sudo"]), *_INSTALL[self.manager], *packages]

    def message(self, *, root: bool | None = None) -> str:
        libs = ", ".join(self.libraries)
        command = self.command(root=root)
        how = (
            f"install them with: {' '.join(command)}"
            if command
            else "install the packages that provide them with your system's package manager"
        )
        return (
            f"timeline-app: the window cannot open: Qt's X11 platform plugin needs system libraries that are "
            f"missing ({libs}); {how} (headless commands such as timeline-app validate and export work without them)"
        )


def library_stem(name: str) -> str:
    """``libxcb-icccm.so.4`` -> ``libxcb-icccm``."""
    return name.split(".so", 1)[0]


def xcb_plugin() -> Path | None:
    """PySide6's xcb platform plugin, found without importing Qt (importing it is what aborts)."""
    override = os.environ.get(PLUGIN_ENV)
    if override:
        return Path(override)
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        for sub in ("Qt/plugins/platforms", "plugins/platforms"):
            plugin = Path(root) / sub / "libqxcb.so"
            if plugin.is_file():
                return plugin
    return None


_NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)
_CANNOT_OPEN = re.compile(r"(\S+\.so[.\d]*): cannot open shared object file")


def missing_libraries(plugin: Path) -> list[str]:
    """The libraries ``plugin`` needs that the dynamic linker cannot find ([] when all are there)."""
    ldd = shutil.which("ldd")
    if ldd is not None:
        try:
            out = subprocess.run([ldd, str(plugin)], capture_output=True, text=True, timeout=30, check=False)
        except (OSError, subprocess.SubprocessError):
            out = None
        if out is not None and (out.returncode == 0 or "not found" in out.stdout):
            return list(dict.fromkeys(_NOT_FOUND.findall(out.stdout)))
    try:  # no ldd (or it failed): let the linker try; it names the first library it cannot find
        ctypes.CDLL(str(plugin), mode=getattr(os, "RTLD_LAZY", 1))
    except OSError as exc:
        found = [name for name in _CANNOT_OPEN.findall(str(exc)) if Path(name).name != plugin.name]
        return found[:1]
    return []


def package_manager(os_release: Path = Path("/etc/os-release")) -> str | None:
    """apt-get, dnf or pacman, from the distribution's ID / ID_LIKE (and the tool being there)."""
    try:
        text = os_release.read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    ids: list[str] = []
    for key in ("ID", "ID_LIKE"):
        found = re.search(rf"^{key}=\"?([^\"\n]*)\"?$", text, re.MULTILINE)
        if found:
            ids += found.group(1).lower().split()
    for ident in ids:
        if ident in _BY_DISTRO:
            return _BY_DISTRO[ident]
    return next((m for m in ("apt-get", "dnf", "pacman") if shutil.which(m)), None)


def uses_xcb(environ: dict[str, str] | None = None) -> bool:
    """Whether Qt will load the xcb plugin: on Linux with an X display and no other platform chosen."""
    env = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        return chosen.split(";", 1)[0].split(":", 1)[0] == "xcb"
    return bool(env.get("DISPLAY"))


def check() -> Missing | None:
    """What is missing for the window to open here, or None when nothing is (or xcb is not used)."""
    if not uses_xcb():
        return None
    plugin = xcb_plugin()
    if plugin is None or not plugin.is_file():
        return None  # no PySide6 wheel layout we know: let Qt speak for itself
    missing = missing_libraries(plugin)
    return Missing(plugin, missing, package_manager()) if missing else None


def display_problem(environ: dict[str, str] | None = None) -> str | None:
    """Why the X display cannot be reached (one line), or None when it can, or cannot be asked.

    Qt, failing to connect, also blames "xcb-cursor0" and aborts; asking libxcb first (as Qt
    would) gives the real reason.
    """
    env = os.environ if environ is None else environ
    name = env.get("DISPLAY", "")
    if not uses_xcb(dict(env)) or not name:
        return None
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None  # reported by check() as a missing library
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_int)]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(name.encode(), None)
    try:
        failed = bool(connection) and xcb.xcb_connection_has_error(connection) != 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)
    if not failed:
        return None
    return (
        f"timeline-app: the window cannot open: no X display answers at DISPLAY={name} (is the X server "
        "running, or is this an SSH session without X forwarding?); headless commands such as "
        "timeline-app validate and export work without one"
    )


def _can_install() -> list[str] | None:
    """The prefix that runs a command as root without asking: [] as root, ["sudo", "-n"], or None."""
    if os.geteuid() == 0:
        return []
    sudo = shutil.which("sudo")
    if sudo and subprocess.run([sudo, "-n", "true"], capture_output=True, check=False).returncode == 0:
        return [sudo, "-n"]
    return None


def install(missing: Missing) -> bool:
    """Install the missing packages where that needs no password; True if they are there now."""
    prefix = _can_install()
    command = missing.command(root=True)
    if prefix is None or command is None or shutil.which(command[0]) is None:
        return False
    print(f"timeline-app: installing what Qt's X11 plugin needs: {' '.join(missing.packages())}", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    done = subprocess.run([*prefix, *command], env=env, check=False).returncode == 0
    if not done and missing.manager == "apt-get":  # a fresh machine may not have package lists yet
        subprocess.run([*prefix, "apt-get", "update", "-qq"], env=env, check=False)
        done = subprocess.run([*prefix, *command], env=env, check=False).returncode == 0
    return done and not missing_libraries(missing.plugin)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m timeline_app.platform_check",
        description="Check that Qt's X11 platform plugin finds its system libraries (exit 1 if not).",
    )
    parser.add_argument("--install", action="store_true", help="install missing ones where no password is needed")
    args = parser.parse_args(argv)
    missing = check()
    if missing is not None and not (args.install and install(missing)):
        print(missing.message(), file=sys.stderr)
        return 1
    problem = display_problem()
    if problem is not None:
        print(problem, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
