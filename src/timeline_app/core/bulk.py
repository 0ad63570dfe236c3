"""Load a timeline of any size into an :class:`EventStore`: one decoder, one builder, every size.

Files are decoded straight from the bytes by msgspec into slotted structs (the events) and raw
JSON (the few top-level parts, validated by pydantic TypedDicts), with the garbage collector
paused; core/build.py checks the per-event strings with C-level passes, sets and numpy (dates:
numpy per distinct string), turns them into numpy columns and compact string tables, and drops the
structs: no per-event Python objects are kept. Anything the fast decoder cannot vouch for (a type
error, a key written twice, an escape it refuses) goes to the models, so a file is accepted, or
refused with the same words, whatever its size; what they accept is built the same way.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError
from typing_extensions import NotRequired, TypedDict

from . import rules, store_cache
from .build import Checked, Invalid, Retype, build, store_from_timeline
from .loading import loads_timeline, located_error, read_bytes, read_text
from .models import SourceKind
from .repeated_keys import colons_of
from .store import EventStore

__all__ = ["SMALL_FILE_BYTES", "LoadCancelled", "check_file", "load_store", "store_from_timeline"]

SMALL_FILE_BYTES = 5 * 1024**2

Progress = Callable[[float], None]
Cancelled = Callable[[], bool]
Stage = Callable[[float], None]


class LoadCancelled(Exception):
    """The caller asked to stop (``cancelled()`` returned True); nothing was loaded."""


# -- the document shape, as TypedDicts -----------------------------------------------------------
# The rules' own patterns (core/rules.py), read by pydantic-core's Rust regex. They only detect:
# any type problem sends the file through the model path, which words every problem.

_Id = Annotated[str, StringConstraints(pattern=rules.ID_PATTERN, max_length=rules.ID_MAX_LENGTH)]
_Text = Annotated[str, StringConstraints(pattern=rules.TEXT_PATTERN)]
_Color = Annotated[str, StringConstraints(pattern=rules.COLOR_PATTERN)]
_Url = Annotated[str, StringConstraints(pattern=rules.URL_PATTERN)]
_FORBID = ConfigDict(extra="forbid")


class _Strict(TypedDict):
    """Unknown keys are errors, as in the models (pydantic reads the config from the base)."""

    __pydantic_config__ = _FORBID  # type: ignore[misc]


class _Actor(_Strict):
    id: _Id
    name: _Text
    color: NotRequired[_Color | None]
    description: NotRequired[str | None]


class _Source(_Strict):
    id: _Id
    title: _Text
    author: NotRequired[str | None]
    publisher: NotRequired[str | None]
    url: NotRequired[_Url | None]
    published: NotRequired[str | None]
    kind: NotRequired[SourceKind | None]
    origin: NotRequired[str | None]
    note: NotRequired[str | None]


class _Era(_Strict):
    id: _Id
    title: _Text
    start: str
    end: str
    color: NotRequired[_Color | None]


# The events (nearly all of a big file) are decoded by msgspec into slotted structs, untracked by
# the garbage collector: ~3x faster than pydantic-core into dicts and ~4x faster than bare
# ``json.loads`` on this machine, with the same strictness (no coercion, unknown keys refused, UTF-8
# checked). The few top-level parts are kept as raw JSON and validated by pydantic (``_Head``).
# Optional fields default to sentinels, so whether a key was written at all is known (see
# ``_keys_written``).

_ABSENT: tuple[()] = ()  # default of optional list fields: "the key was not written"
_MId = Annotated[str, msgspec.Meta(pattern=rules.searchable(rules.ID_PATTERN), max_length=rules.ID_MAX_LENGTH)]
_MText = Annotated[str, msgspec.Meta(pattern=rules.TEXT_PATTERN)]
_Opt = str | None | msgspec.UnsetType


class _MExcerpt(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True):
    source: str  # per-event strings: checked in bulk after decoding (see _MEvent)
    quote: str
    locator: _Opt = msgspec.UNSET


class _MDiscrepancy(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True, omit_defaults=True):
    field: _Opt = msgspec.UNSET
    claim: _MText
    correction: _MText
    sources: list[_MId] = _ABSENT  # type: ignore[assignment]


class _MLink(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True):
    to: _MId
    relation: _MText


class _MEvent(msgspec.Struct, forbid_unknown_fields=True, gc=False, kw_only=True, omit_defaults=True):
    # Ids and texts repeated per event are plain strings here and checked in bulk after decoding
    # (one regex over all ids joined, one ``str.strip`` pass). Dates: once per distinct string.
    id: str
    title: str
    start: str
    end: _Opt = msgspec.UNSET
    actors: Annotated[list[str], msgspec.Meta(min_length=1)]
    tags: list[str] = _ABSENT  # type: ignore[assignment]
    summary: str
    excerpts: list[_MExcerpt] = _ABSENT  # type: ignore[assignment]
    discrepancies: list[_MDiscrepancy] = _ABSENT  # type: ignore[assignment]
    links: list[_MLink] = _ABSENT  # type: ignore[assignment]


_NO_RAW = msgspec.Raw()  # default of top-level fields: "the key was not written"


class _MDoc(msgspec.Struct, forbid_unknown_fields=True, kw_only=True, rename={"schema": "$schema"}):
    schema: msgspec.Raw = _NO_RAW
    schema_ref: msgspec.Raw = _NO_RAW
    schema_version: msgspec.Raw = _NO_RAW
    title: msgspec.Raw = _NO_RAW
    description: msgspec.Raw = _NO_RAW
    actors: msgspec.Raw = _NO_RAW
    sources: msgspec.Raw = _NO_RAW
    eras: msgspec.Raw = _NO_RAW
    events: list[_MEvent] = _ABSENT  # type: ignore[assignment]


# (JSON key, attribute) of every top-level part but the events, as _MDoc declares them
_HEAD_KEYS = tuple((f.encode_name, f.name) for f in msgspec.structs.fields(_MDoc) if f.name != "events")
_DECODER = msgspec.json.Decoder(_MDoc)

_Head = TypedDict(
    "_Head",
    {
        "$schema": NotRequired[str | None],
        "schema_ref": NotRequired[str | None],
        "schema_version": Literal[1],  # written exactly ``1``: checked in _decode
        "title": _Text,
        "description": NotRequired[str],
        "actors": NotRequired[list[_Actor]],
        "sources": NotRequired[list[_Source]],
        "eras": NotRequired[list[_Era]],
    },
)
_Head.__pydantic_config__ = _FORBID  # type: ignore[attr-defined]
_HEAD_ADAPTER: TypeAdapter[Any] = TypeAdapter(_Head)


def _decode(data: bytes) -> tuple[dict[str, Any], int]:
    """The document as a dict (head validated by pydantic, events as structs), and how many ``:``
    the events array holds; raises ``msgspec.MsgspecError``, ``ValidationError`` or ``_Retype``
    for anything the models might refuse."""
    raw = _DECODER.decode(data)
    if bytes(raw.schema_version) != b"1":  # pydantic would take ``true`` or ``1.0``; the models do not
        raise Retype
    head = (
        b"{"
        + b",".join(
            b'"%s":%s' % (key.encode(), bytes(value)) for key, attr in _HEAD_KEYS if (value := getattr(raw, attr))
        )
        + b"}"
    )
    doc: dict[str, Any] = _HEAD_ADAPTER.validate_json(head)
    if head.count(b":") != colons_of(doc):
        raise Retype  # a key written twice in the head
    events = raw.events
    doc["events"] = [] if events is _ABSENT else events
    return doc, data.count(b":") - head.count(b":") - (events is not _ABSENT)


# -- entry point ---------------------------------------------------------------------------------


def load_store(
    path: str | Path,
    *,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    small_limit: int = SMALL_FILE_BYTES,
    keep: bool = True,
) -> EventStore:
    """Read, validate and index ``path``; raise :class:`TimelineLoadError` or :class:`LoadCancelled`.

    Every size takes the same way (decoder, then core/build.py). Files of ``small_limit`` bytes
    and more are also looked up in the reopen cache (core/store_cache.py) by content, and kept
    there after a load unless ``keep`` is False (the caller then writes it when it suits).
    """
    report = progress or (lambda _f: None)
    stop = cancelled or (lambda: False)

    def stage(fraction: float) -> None:
        if stop():
            raise LoadCancelled(str(path))
        report(fraction)

    stage(0.0)
    name = str(path)
    # Read here, not by the caller: this frame holds the only reference, so the bytes (as large
    # as the file) are freed as soon as they are decoded.
    data = read_bytes(name)
    cached = len(data) >= small_limit and store_cache.cache_dir() is not None
    key = store_cache.content_key(data) if cached else None
    if key is not None and (kept := store_cache.read(key)) is not None:
        stage(1.0)
        return kept  # these very bytes were validated before
    stage(0.05)
    held = [data]
    del data  # _checked then holds the only reference, and frees the bytes once they are decoded
    store = _checked(name, held, stage)
    assert isinstance(store, EventStore)
    store.content_key = key
    if key is not None and keep:
        store_cache.write(key, store)
    stage(1.0)
    return store


def check_file(path: str | Path) -> Checked:
    """Validate ``path`` (our format) without building the read model: what ``timeline-app
    validate`` needs, at the decoder's speed and memory. Raises :class:`TimelineLoadError`."""
    name = str(path)
    checked = _checked(name, [read_bytes(name)], lambda _f: None, check_only=True)
    assert isinstance(checked, Checked)
    return checked


def _checked(name: str, held: list[bytes], stage: Stage, *, check_only: bool = False) -> EventStore | Checked:
    """Decode and build; ``held`` gives up the file's bytes (the only reference, so they are freed
    as soon as they are decoded: as large as the file, they would otherwise stay to the end)."""
    data = held.pop()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of fresh containers, none cyclic: collection passes are pure cost
    try:
        try:
            doc, event_colons = _decode(data)
        except (msgspec.MsgspecError, ValidationError, UnicodeDecodeError, Retype):
            # Refused: the rare path. Re-reading keeps the happy path from holding bytes and
            # structs at once.
            del data
            return _model_check(name) if check_only else _model_path(name, stage)
        del data
        stage(0.3)
        try:
            return build(doc, stage, event_type=_MEvent, event_colons=event_colons, check_only=check_only)
        except Retype:
            del doc
            return _model_check(name) if check_only else _model_path(name, stage)
        except Invalid as bad:
            del doc
            raise located_error(name, read_text(name), bad.problems) from None
    finally:
        if gc_was_enabled:
            gc.enable()


def _model_path(name: str, stage: Stage) -> EventStore:
    """A document the fast decoder refused: the models decide and word every problem (syntax,
    encoding, types, references, duplicate keys), whatever the file's size. Rare; slow, but
    whatever the models accept opens, through the same builder."""
    timeline = loads_timeline(read_text(name), name)  # raises TimelineLoadError when invalid
    stage(0.9)
    return store_from_timeline(timeline)


def _model_check(name: str) -> Checked:
    """``_model_path`` for ``validate``: the models' verdict and what the file holds."""
    return Checked.of(loads_timeline(read_text(name), name))


def bare_json_load(path: str | Path) -> Any:
    """``json.loads`` of the same bytes with GC paused: the yardstick the benchmark compares to."""
    data = Path(path).read_bytes()
    enabled = gc.isenabled()
    gc.disable()
    try:
        return json.loads(data)
    finally:
        if enabled:
            gc.enable()
