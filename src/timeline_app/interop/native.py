"""Our own format, written so that it reads back equal (reading is the core loader's job).

Defaults are left out (no ``"tags": []`` on every event) to keep files short and diffs small,
except the keys a reader looks for first (``schema_version``, ``title``, ``events``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..core.atomic import atomic_write_text
from ..core.models import Timeline

__all__ = ["dumps_native", "to_native", "write_native"]


def to_native(timeline: Timeline) -> dict[str, Any]:
    data = timeline.model_dump(mode="json", by_alias=True, exclude_defaults=True)
    data.setdefault("events", [])
    return data


def dumps_native(timeline: Timeline) -> str:
    return json.dumps(to_native(timeline), indent=2, ensure_ascii=False) + "\n"


def write_native(timeline: Timeline, path: str | Path) -> list[str]:
    atomic_write_text(Path(path), dumps_native(timeline))
    return []
