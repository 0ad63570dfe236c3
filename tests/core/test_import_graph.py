"""No import cycles in the Qt-free core: each module can be read (and changed) on its own terms.

Function-level imports count too: a cycle hidden in a function is still a cycle (issue 15 found
``bulk`` and ``store_cache`` importing each other that way)."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[2] / "src" / "timeline_app" / "core"


def _imports(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("timeline_app.core."):
            out.add(node.module.split(".")[2])
    return out


def test_core_has_no_import_cycle() -> None:
    modules = {p.stem for p in CORE.glob("*.py")}
    graph = {m: (_imports(CORE / f"{m}.py") & modules) - {m} for m in modules}  # run as __main__: itself
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for n in sorted(graph[m]):
            assert state.get(n) != 1, "import cycle: " + " -> ".join([*path[path.index(n) :], n])
            if n not in state:
                visit(n)
        path.pop()
        state[m] = 2

    for m in sorted(modules):
        if m not in state:
            visit(m)
    assert {"bulk", "store_cache", "build", "store"} <= modules
