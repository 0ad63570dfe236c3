"""The one place that finds files shipped with the program (the bundled data set, the schema, icons).

In an installed wheel they sit inside the package (``timeline_app/_data``, put there by hatch's
force-include); in a source checkout they are at the top of the repository.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


@cache
def data_root() -> Path:
    """The folder holding ``events.json`` and ``resources/``."""
    installed = _PACKAGE_DIR / "_data"
    if (installed / "events.json").is_file():
        return installed
    checkout = _PACKAGE_DIR.parent.parent
    if (checkout / "events.json").is_file():
        return checkout
    raise FileNotFoundError("the bundled data was not found: the installation is incomplete")


def bundled_events() -> Path:
    return data_root() / "events.json"


def resource(name: str) -> Path:
    """A file under ``resources/``; ``name`` is relative and may not climb out."""
    if Path(name).is_absolute() or ".." in Path(name).parts:
        raise ValueError(f"not a resource name: {name!r}")
    return data_root() / "resources" / name


def schema_path() -> Path:
    return resource("timeline.schema.json")
