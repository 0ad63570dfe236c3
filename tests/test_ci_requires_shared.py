"""CI checks what the project claims: with CI set, a test that needs ../shared fails when it is
missing, instead of skipping; without CI it skips and says why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _run(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    shutil.copy(HERE / "conftest.py", tmp_path / "conftest.py")  # the suite's own hook, unchanged
    (tmp_path / "test_needs_shared.py").write_text(
        "import pytest\n\n"
        "def test_articles():\n"
        "    pytest.skip('needs ../shared: source articles not available: /nowhere/shared/sources')\n\n"
        "def test_other_skip():\n"
        "    pytest.skip('running as root')\n",
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_missing_shared_fails_under_ci(tmp_path: Path) -> None:
    result = _run(tmp_path, "1")
    assert result.returncode == 1, result.stdout
    assert "1 failed, 1 skipped" in result.stdout
    assert "CI is set: ../shared must be there" in result.stdout
    assert "source articles not available" in result.stdout


def test_missing_shared_skips_with_its_reason_without_ci(tmp_path: Path) -> None:
    result = _run(tmp_path, "")  # set but empty: not CI
    assert result.returncode == 0, result.stdout
    assert "2 skipped" in result.stdout
    assert "needs ../shared: source articles not available" in result.stdout
