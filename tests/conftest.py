"""Session-wide test setup: headless Qt and a private config folder, before anything imports Qt; the
synthetic data generator for the tests that need big files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import atexit
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path
from types import ModuleType

import pytest

# The app must never read or write the user's real settings during tests.
_CONFIG_DIR = tempfile.mkdtemp(prefix="timeline-app-test-config-")
os.environ["TIMELINE_APP_CONFIG_DIR"] = _CONFIG_DIR
atexit.register(shutil.rmtree, _CONFIG_DIR, ignore_errors=True)
# Nor its cache: off, so every load in a test is a real load (tests of the cache point it at tmp_path).
os.environ["TIMELINE_APP_CACHE_DIR"] = ""


# Tests that need ../shared (the source articles, the interop samples) skip with a reason that starts
# with this when it is missing. On a developer machine that is a skip; under CI, which provides
# ../shared, it is a failure: a suite that skipped its evidence checks must not pass.
NEEDS_SHARED = "needs ../shared"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    outcome = yield
    report = outcome.get_result()
    if not (report.skipped and os.environ.get("CI")) or not isinstance(report.longrepr, tuple):
        return
    reason = str(report.longrepr[2])
    if NEEDS_SHARED in reason:
        report.outcome = "failed"
        report.longrepr = f"{reason.removeprefix('Skipped: ')} (CI is set: ../shared must be there, so this fails)"


@pytest.fixture(scope="session")
def gen() -> ModuleType:
    """benchmarks/generate.py (deterministic synthetic timelines): a script, not a package, so imported by path."""
    name = "timeline_bench_generate"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parents[1] / "benchmarks" / "generate.py")
        assert spec is not None and spec.loader is not None
        sys.modules[name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]
