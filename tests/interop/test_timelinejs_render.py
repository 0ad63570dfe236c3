"""What we write, TimelineJS shows: our TimelineJS export rendered by TimelineJS itself (its npm
package, pinned) in headless Chromium, clicked through slide by slide as a reader does, checking
what each slide shows: its headline, its date, the quote as a quotation and its credit.

Needs Debian's chromium, node and npm (``.ci/run`` installs them); the npm packages are installed
into a cache folder on first use, never into the repository. Without them the tests skip with the
reason; under CI they fail instead, so a CI run cannot pass without having rendered anything."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from timeline_app.core.loading import load_timeline as read_timeline
from timeline_app.core.models import Timeline
from timeline_app.interop.htmltext import HTTP_URL
from timeline_app.interop.timelinejs_write import write_timelinejs

from .conftest import REPO

TIMELINEJS = "@knight-lab/timelinejs@3.9.11"
PLAYWRIGHT = "playwright-core@1.65.1"  # drives the system's Chromium; downloads no browser of its own
DRIVER = Path(__file__).with_name("timelinejs_render.cjs")
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "timeline-app-tests"

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>TimelineJS render check</title>
<link rel="stylesheet" href="tljs/dist/css/timeline.css">
<script src="tljs/dist/js/timeline.js"></script>
<style>html, body, #tl { height: 100%; margin: 0; }</style></head>
<body><div id="tl"></div><script>
// font: null, so the theme fetches no web fonts (the machine has no network beyond localhost)
fetch("data.json").then((r) => r.json()).then((d) => {
  window.tl = new TL.Timeline("tl", d, {hash_bookmark: false, font: null,
                                        script_path: location.origin + "/tljs/dist/js/"});
});
</script></body></html>
"""


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: .ci/run installs it, so this fails)")
    pytest.skip(reason)


def _node_modules() -> Path:
    """The pinned TimelineJS and playwright-core, installed once into the cache folder."""
    npm = shutil.which("npm")
    if npm is None:
        _unavailable("needs npm (Debian package npm) to install TimelineJS")
    name = "-".join(p.replace("@", "").replace("/", "-") for p in (TIMELINEJS, PLAYWRIGHT))
    target = CACHE / name / "node_modules"
    if (target / "@knight-lab" / "timelinejs" / "dist" / "js" / "timeline.js").is_file():
        return target
    CACHE.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix="npm-", dir=CACHE))
    try:
        done = subprocess.run(
            [str(npm), "install", "--no-audit", "--no-fund", "--no-save", "--prefix", str(staging), TIMELINEJS,
             PLAYWRIGHT], capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if done.returncode != 0:
            _unavailable(f"npm could not install {TIMELINEJS} and {PLAYWRIGHT}: {done.stderr.strip()[-500:]}")
        (CACHE / name).mkdir(exist_ok=True)
        try:
            (staging / "node_modules").rename(target)  # atomic: a half-done install is never used
        except OSError:
            if not target.is_dir():  # another run finished first: use its copy
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def render(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., dict[str, Any]]]:
    """render(timelinejs_file, shots=()) → what TimelineJS showed, slide by slide (see the driver)."""
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium")
    node = shutil.which("node")
    if chromium is None or node is None:
        _unavailable("needs Debian's chromium and node to render TimelineJS")
    modules = _node_modules()
    root = tmp_path_factory.mktemp("tljs-site")
    (root / "index.html").write_text(PAGE, encoding="utf-8")
    (root / "tljs").symlink_to(modules / "@knight-lab" / "timelinejs", target_is_directory=True)
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {**os.environ, "NODE_PATH": str(modules), "CHROMIUM": str(chromium)}

    def run(data: Path, shots: tuple[int, ...] = ()) -> dict[str, Any]:
        shutil.copyfile(data, root / "data.json")
        out = data.with_suffix(".rendered.json")
        url = f"http://127.0.0.1:{server.server_address[1]}/index.html"
        done = subprocess.run([str(node), str(DRIVER), url, str(out), str(data.parent), *map(str, shots)],
                              env=env, capture_output=True, text=True, timeout=600)  # fmt: skip
        assert done.returncode == 0, done.stderr
        return json.loads(out.read_text(encoding="utf-8"))

    try:
        yield run
    finally:
        server.shutdown()
        server.server_close()


def _lines(text: str) -> str:
    """Text as a browser lays it out: runs of spaces collapsed, line breaks kept."""
    return "\n".join(" ".join(line.split()) for line in text.strip().split("\n"))


def _keep(shot: Path, name: str) -> None:
    """Copies a screenshot to $TIMELINE_APP_RENDER_SHOTS as NAME-slide-N.png, for a person to look at."""
    if folder := os.environ.get("TIMELINE_APP_RENDER_SHOTS"):
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / f"{name}-{shot.name}")


def _check_slides(timeline: Timeline, shown: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every event is one slide that shows its headline, a date, its first quote and that quote's credit."""
    assert shown["problems"] == []  # no script error, no request that failed (no broken image, no embed)
    assert shown["count"] == len(timeline.events) + 1  # the title slide, then one slide per event
    assert shown["markers"] == len(timeline.events)
    title = shown["slides"][0]
    assert title["title_slide"] and title["headline"] == " ".join(timeline.title.split())
    slides = {s["id"]: s for s in shown["slides"][1:]}
    assert set(slides) == {e.id for e in timeline.events}
    for event in timeline.events:
        slide = slides[event.id]
        assert slide["headline"] == " ".join(event.title.split()), event.id
        assert slide["date"], event.id
        if not event.excerpts:
            continue
        excerpt = event.excerpts[0]
        source = timeline.source_by_id[excerpt.source]
        assert slide["media_kind"] == "tl-media-blockquote", (event.id, slide["media_kind"])
        assert slide["quote"] == _lines(excerpt.quote) and slide["quote_visible"], event.id
        assert slide["credit"] == " ".join(source.title.split()) and slide["credit_visible"], event.id
        assert slide["credit_links"] == ([source.url] if source.url and HTTP_URL.match(source.url) else [])
        assert slide["caption"] == (" ".join(excerpt.locator.split()) if excerpt.locator else None), event.id
        assert slide["message"] is None, (event.id, slide["message"])  # no "Loading…" or error left showing
    return slides


def test_the_bundled_data_exported_shows_in_timelinejs_with_each_quote_and_its_credit(
    render: Callable[..., dict[str, Any]], bundled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "bundled-timelinejs.json"
    done = subprocess.run([sys.executable, "-m", "timeline_app", "convert", str(bundled), str(out), "--to",
                           "timelinejs", "-q"], capture_output=True, text=True, timeout=120, cwd=REPO)  # fmt: skip
    assert done.returncode == 0, done.stderr
    timeline = read_timeline(bundled)
    linked = next(i for i, s in enumerate(json.loads(out.read_text(encoding="utf-8"))["events"])
                  if "<a href" in s["media"]["credit"])  # fmt: skip
    shown = render(out, shots=(0, 1))
    slides = _check_slides(timeline, shown)
    assert len(slides) == 33 and all(s["quote"] for s in slides.values())  # each of the 33 shows its quote
    assert sum(bool(s["credit_links"]) for s in slides.values()) >= 1, linked
    assert shown["groups"] == [a.name for a in timeline.actors if any(e.actors[0] == a.id for e in timeline.events)]
    assert shown["eras"] == [e.title for e in timeline.eras]
    for shot in ("slide-0.png", "slide-1.png"):
        assert (tmp_path / shot).stat().st_size > 10_000
        _keep(tmp_path / shot, "bundled")


AWKWARD = {
    "schema_version": 1,
    "title": "Awkward <text> & dates",
    "actors": [{"id": "rome", "name": "Rome & <Senate>"}, {"id": "tokyo", "name": "東京"}],
    "sources": [
        {"id": "suet", "title": "Suetonius, Life of Caesar", "url": "https://example.org/suetonius?ch=82&l=la"},
        {"id": "rep", "title": "A report <with> & marks"},
        {"id": "nhk", "title": "NHK 記事", "url": "https://example.org/nhk"},
    ],
    "eras": [{"id": "late", "title": "Late Republic & after", "start": "-0132", "end": "-0026"}],
    "events": [
        {"id": "ides", "title": "Caesar assassinated", "start": "-0043-03-15", "actors": ["rome"], "summary": "s",
         "excerpts": [{"source": "suet", "quote": "Et tu, Brute?\nSecond  line", "locator": "82"}]},
        # Each sentence of this quote made TimelineJS show another kind of media instead of the quote.
        {"id": "triggers", "title": "A quote naming files and sites", "start": "2001~", "actors": ["rome"],
         "summary": "s", "excerpts": [{"source": "rep", "quote": "See annex.pdf and the spotify list. An iframe, "
         "imgur.com/a/xyz and documentcloud.org/x. A PNG? Or google.com/maps/@40.1,-73.2,12z"}]},
        {"id": "tokyo", "title": "東京で会議 <b>bold?</b>", "start": "2020-07", "end": "2021-08-08",
         "actors": ["tokyo"], "summary": "Line one\nline two", "excerpts": [{"source": "nhk", "quote": "会議。"}]},
    ],
}  # fmt: skip


def test_awkward_text_bce_and_approximate_dates_show_as_written(
    render: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    ours = tmp_path / "awkward.json"
    ours.write_text(json.dumps(AWKWARD, ensure_ascii=False), encoding="utf-8")
    timeline = read_timeline(ours)
    write_timelinejs(timeline, tmp_path / "awkward-timelinejs.json")
    shown = render(tmp_path / "awkward-timelinejs.json", shots=(1, 2))
    slides = _check_slides(timeline, shown)
    assert slides["ides"]["date"] == "March 15, 44 BCE"  # our -0043 is 44 BCE, as TimelineJS says it
    assert slides["triggers"]["date"] == "c. 2001"
    assert slides["tokyo"]["date"] == "July 2020 — August 8, 2021"
    assert shown["groups"] == ["Rome & <Senate>", "東京"]
    assert shown["eras"] == ["Late Republic & after"]
    for shot in ("slide-1.png", "slide-2.png"):
        _keep(tmp_path / shot, "awkward")


def test_long_years_show_on_timelinejs_cosmological_scale(
    render: Callable[..., dict[str, Any]], tmp_path: Path
) -> None:
    deep = {
        "schema_version": 1, "title": "Deep time", "actors": [{"id": "u", "name": "Universe"}],
        "sources": [{"id": "s", "title": "Age of the universe", "url": "https://example.org/age"}],
        "events": [
            {"id": "big-bang", "title": "Big Bang", "start": "Y-13797999999", "actors": ["u"], "summary": "",
             "excerpts": [{"source": "s", "quote": "about 13.8 billion years old"}]},
            {"id": "sun", "title": "The Sun forms", "start": "Y-4599999999", "actors": ["u"], "summary": "",
             "excerpts": [{"source": "s", "quote": "4.6 billion years ago"}]},
            {"id": "rome", "title": "Rome founded", "start": "-0752", "actors": ["u"], "summary": "",
             "excerpts": [{"source": "s", "quote": "753 BCE, by tradition"}]},
        ],
    }  # fmt: skip
    ours = tmp_path / "deep.json"
    ours.write_text(json.dumps(deep), encoding="utf-8")
    timeline = read_timeline(ours)
    write_timelinejs(timeline, tmp_path / "deep-timelinejs.json")
    shown = render(tmp_path / "deep-timelinejs.json", shots=(1,))
    slides = _check_slides(timeline, shown)
    assert [slides[i]["date"] for i in ("big-bang", "sun", "rome")] == [
        "13.80 billion years ago", "4.60 billion years ago", "753 BCE"]  # fmt: skip
    _keep(tmp_path / "slide-1.png", "deep")


def test_missing_tools_fail_under_ci_and_skip_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        _unavailable("needs Debian's chromium")
    monkeypatch.setenv("CI", "")
    with pytest.raises(pytest.skip.Exception, match="needs Debian's chromium"):
        _unavailable("needs Debian's chromium")
