"""Big files are read in a child process: the window's process never waits on the loader's GIL.

Decoding a million events is one long C call (msgspec), and building the columns is many shorter
ones; in a thread they hold the interpreter lock for seconds at a time, and the window stops
repainting. Here a child interpreter (``python -m timeline_app.core.load_process FILE``, no Qt)
loads the store and its search index and sends them back, pickled, through its stdout; the parent
only reads a pipe. Cancel kills the child at once, and the loader's peak memory (several times
the store) goes back to the system when the child exits, instead of staying in the app's heap.

Frames on the pipe: 8-byte little-endian length, then a pickle of ``(kind, value)``:
``("progress", float)``, ``("done", None)``, ``("error", TimelineLoadError)`` or
``("crash", str)``. The result itself (hundreds of MB at a million events) goes through a file in a
folder the parent made, in memory where the system offers it (/dev/shm): a pipe moved it at
~150-200 MB/s here, the file at ~1 GB/s, and the parent unpickles it straight from the file. The
pickles come from our own child, never from a data file.
"""

from __future__ import annotations

import logging
import os
import pickle
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from . import store_cache
from .bulk import LoadCancelled, load_store
from .errors import TimelineLoadError
from .search import SearchIndex, SourceCitations
from .store import EventStore

__all__ = ["ISOLATE_BYTES", "LoaderDied", "Prepared", "index_store", "open_data_set", "prepare", "prepare_isolated"]

log = logging.getLogger(__name__)

ISOLATE_BYTES = 32 * 1024**2  # ~75k events: below, a thread's stalls are short and a child's start (~0.5 s) is not
_HEADER = 8
_HANDOFF_DIR = "/dev/shm"  # memory-backed where it exists; elsewhere the system's temp folder
_RESULT = "result.pickle"
_POLL_S = 0.05  # how often a waiting parent looks at its Cancel flag


@dataclass(frozen=True)
class Prepared:
    """What the window needs to show a data set, all Qt-free."""

    store: EventStore
    search: SearchIndex
    citations: SourceCitations
    loaded_by: int = 0  # pid of the process that built it


class LoaderDied(RuntimeError):
    """The child stopped without an answer (killed, out of memory, a crash in C)."""


def prepare(
    path: str | Path,
    progress: Callable[[float], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    keep: bool = True,
) -> Prepared:
    """Load ``path`` and index it in this process (small files; the child's own work)."""
    report = progress or (lambda _f: None)
    store = load_store(path, progress=lambda f: report(0.9 * f), cancelled=cancelled, keep=keep)
    if cancelled is not None and cancelled():
        raise LoadCancelled(str(path))
    ready = index_store(store)
    report(0.95)
    return ready


def open_data_set(
    path: str | Path, progress: Callable[[float], None] | None = None, cancelled: Callable[[], bool] | None = None
) -> Prepared:
    """The window's way to a data set: small files here; a big one from the reopen cache here
    (reading and hashing release the GIL, and there is no child to start or result to hand back),
    else in a child process, or here if no child can be started."""
    try:
        big = Path(path).stat().st_size >= ISOLATE_BYTES
    except OSError:
        big = False  # the loader words why it cannot be read
    if big:
        kept = store_cache.read_file(path)
        if kept is not None:
            ready = index_store(kept)
            if progress is not None:
                progress(1.0)
            return ready
        try:
            return prepare_isolated(path, progress, cancelled)
        except OSError as exc:  # no interpreter to start (an unusual install)
            log.warning("could not start the loading process (%s); loading in this process", exc)
    return prepare(path, progress, cancelled)


def index_store(store: EventStore) -> Prepared:
    """What the window needs beyond the store (any store: loaded, or imported from another format)."""
    return Prepared(store, SearchIndex.from_store(store), SourceCitations.from_store(store), os.getpid())


def prepare_isolated(
    path: str | Path, progress: Callable[[float], None] | None = None, cancelled: Callable[[], bool] | None = None
) -> Prepared:
    """As :func:`prepare`, in a child process; raises what ``prepare`` raises, or :class:`LoaderDied`."""
    report = progress or (lambda _f: None)
    stop = cancelled or (lambda: False)
    env = dict(os.environ)
    src = str(Path(__file__).resolve().parents[2])  # so a source checkout's child finds the package
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (src, env.get("PYTHONPATH"))))
    handoff = Path(
        tempfile.mkdtemp(prefix="timeline-load-", dir=_HANDOFF_DIR if os.access(_HANDOFF_DIR, os.W_OK) else None)
    )
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", "timeline_app.core.load_process", os.fspath(path), str(handoff / _RESULT)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
    except OSError:
        shutil.rmtree(handoff, ignore_errors=True)
        raise
    assert child.stdout is not None and child.stderr is not None
    frames: queue.Queue[tuple[str, Any] | None] = queue.Queue()
    errors: list[bytes] = []
    readers = [
        threading.Thread(target=_read_frames, args=(child.stdout, frames), daemon=True),
        threading.Thread(target=lambda: errors.append(child.stderr.read() if child.stderr else b""), daemon=True),
    ]
    for t in readers:
        t.start()
    finished = False
    try:
        while True:
            if stop():
                raise LoadCancelled(str(path))
            try:
                frame = frames.get(timeout=_POLL_S)
            except queue.Empty:
                continue
            if frame is None:
                _reap(child, readers)  # its exit code, and all it wrote to stderr
                tail = b"".join(errors).decode("utf-8", "replace").strip().splitlines()[-3:]
                why = f"exit code {child.returncode}" + (": out of memory?" if child.returncode == -9 else "")
                raise LoaderDied(" ".join([f"the loading process stopped without an answer ({why})", *tail]))
            kind, value = frame
            if kind == "progress":
                report(float(value))
            elif kind == "done":
                with open(handoff / _RESULT, "rb") as fh:
                    prepared: Prepared = pickle.load(fh)
                report(1.0)
                finished = True
                return prepared
            elif kind == "error":
                raise value
            else:
                raise LoaderDied(f"the loading process failed: {value}")
    finally:
        shutil.rmtree(handoff, ignore_errors=True)
        if finished:
            # Answered: it may still be keeping the store in the reopen cache. Let it finish
            # and reap it off this thread.
            threading.Thread(target=_reap, args=(child, readers), daemon=True).start()
        else:
            if child.poll() is None:
                child.kill()
            _reap(child, readers)


def _reap(child: subprocess.Popen[bytes], readers: list[threading.Thread]) -> None:
    child.wait()
    for t in readers:
        t.join(timeout=1)
    assert child.stdout is not None and child.stderr is not None
    child.stdout.close()
    child.stderr.close()


def _read_frames(stream: IO[bytes], out: queue.Queue[tuple[str, Any] | None]) -> None:
    """Blocking reads (they release the GIL) on a thread of their own; None marks the end."""
    try:
        while True:
            header = stream.read(_HEADER)
            if len(header) < _HEADER:
                return
            size = int.from_bytes(header, "little")
            body = bytearray(size)
            view = memoryview(body)
            got = 0
            while got < size:
                n = stream.readinto(view[got:])  # type: ignore[attr-defined]
                if not n:
                    return
                got += n
            del view
            out.put(pickle.loads(body))
            del body
    except Exception as exc:  # a torn pipe or an unreadable frame: the parent reports it
        out.put(("crash", f"{type(exc).__name__}: {exc}"))
    finally:
        out.put(None)


# -- the child ---------------------------------------------------------------------------------


def _send(stream: IO[bytes], kind: str, value: Any) -> None:
    body = pickle.dumps((kind, value), protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(len(body).to_bytes(_HEADER, "little"))
    stream.write(body)
    stream.flush()


def _child(argv: list[str]) -> int:
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the frames
    if len(argv) != 2:
        _send(out, "crash", "usage: python -m timeline_app.core.load_process FILE RESULT")
        return 2
    last = [-1.0]

    def progress(fraction: float) -> None:
        if fraction - last[0] >= 0.01:
            last[0] = fraction
            _send(out, "progress", fraction)

    try:
        prepared = prepare(argv[0], progress, keep=False)  # kept below, once the parent has its answer
    except TimelineLoadError as exc:
        _send(out, "error", exc)
        return 1
    except Exception as exc:  # reported to the parent as words, with the type
        _send(out, "crash", f"{type(exc).__name__}: {exc}")
        return 1
    try:
        with open(argv[1], "wb") as fh:
            pickle.dump(prepared, fh, protocol=pickle.HIGHEST_PROTOCOL)  # the index pickles itself lock-free
    except OSError as exc:
        _send(out, "crash", f"cannot hand the result over: {exc}")
        return 1
    _send(out, "done", None)
    if prepared.store.content_key is not None:
        store_cache.write(prepared.store.content_key, prepared.store)
    return 0


if __name__ == "__main__":
    # Run the package's copy of this module, so what is pickled names timeline_app.core.load_process.
    from timeline_app.core.load_process import _child as child_main

    sys.exit(child_main(sys.argv[1:]))
