"""Session-wide test setup: headless Qt and a private config folder, before anything imports Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import atexit
import shutil
import tempfile

# The app must never read or write the user's real settings during tests.
_CONFIG_DIR = tempfile.mkdtemp(prefix="timeline-app-test-config-")
os.environ["TIMELINE_APP_CONFIG_DIR"] = _CONFIG_DIR
atexit.register(shutil.rmtree, _CONFIG_DIR, ignore_errors=True)
# Nor its cache: off, so every load in a test is a real load (tests of the cache point it at tmp_path).
os.environ["TIMELINE_APP_CACHE_DIR"] = ""
