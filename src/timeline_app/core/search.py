"""Text search over events, and which events cite a source: Qt-free, built once per data set.

Search folds case and accents ("Pêshawar" finds "Peshawar" and the reverse) and finds every word
of the query anywhere in an event's texts (titles, summaries, tags, excerpts, source names).

It scans the store's own UTF-8 columns rather than a folded copy of all text: an ASCII word is
compared with ASCII case ignored, which finds what the folded text would, except inside words
that hold a non-ASCII character. Only those words are folded and kept a second time (a search
word never spans a space). Source names are looked at once per source and reach events through
the quote -> source column.

A word is found with numpy, a chunk of bytes at a time: its rarest two-byte pair narrows the
positions first, so no Python object is made per hit, common or not; a hit that runs past its
entry does not count. Each column is only scanned for the events not found yet, later words only
for the events still matching, and a query that narrows the previous one (typing on) starts from
the previous answer.
"""

from __future__ import annotations

import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .search_texts import SearchTexts
from .store import EventStore
from .strings import StringTable

__all__ = ["SearchIndex", "SourceCitations", "fold"]

Mask = NDArray[np.bool_]
_Index = NDArray[np.integer]


def _fold_char(c: str) -> str:
    return "".join(x for x in unicodedata.normalize("NFKD", c).casefold() if not unicodedata.combining(x))


_ASCII_LOWER = np.array([ord(chr(k).lower()) for k in range(128)], dtype=np.uint32)


_DELETE = np.uint32(0xFFFFFFFF)  # not a code point: marks a character that folds to nothing


def fold(text: str) -> str:
    """Case- and accent-insensitive form: NFKD, casefold, combining marks removed.

    Folding is per character, so it is worked out once per *distinct* non-ASCII character and
    applied with numpy: str.casefold plus unicodedata.normalize take seconds on a million
    events' text. The rare characters that fold to several (ß → ss) are then replaced by str.replace.
    """
    if text.isascii():
        return text.lower()  # ASCII casefold is lower()
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    out = np.where(codes < 128, _ASCII_LOWER[codes & 127], codes)
    wide = np.flatnonzero(codes >= 128)
    uniq, inverse = np.unique(codes[wide], return_inverse=True)
    mapped = [_fold_char(chr(int(u))) for u in uniq]
    single = np.array(
        [ord(m) if len(m) == 1 else (_DELETE if not m else int(u)) for u, m in zip(uniq, mapped, strict=True)],
        dtype=np.uint32,
    )
    out[wide] = single[inverse]
    if (single == _DELETE).any():
        out = out[out != _DELETE]
    folded = out.tobytes().decode("utf-32-le")
    for u, m in zip(uniq, mapped, strict=True):
        if len(m) > 1:
            folded = folded.replace(chr(int(u)), m)
    return folded


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def _terms(query: str) -> list[bytes]:
    """The query's words, folded and UTF-8 encoded; a word inside another word is implied by it."""
    cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in query)
    words = sorted({_encode(t) for t in fold(cleaned).split()}, key=len, reverse=True)
    kept: list[bytes] = []
    for w in words:
        if not any(w in k for k in kept):
            kept.append(w)
    return kept


# -- bytes ----------------------------------------------------------------------------------------------

_CHUNK = 1 << 20  # bytes per scan step: a step's temporaries stay in cache
_GATHER = 1 << 22  # bytes per step when copying entries out of a blob (bounds the index array)
# Where a chunk's starts are many, comparing one more byte over the whole chunk is cheaper than
# checking them one by one: keep comparing while more than 1/_WHOLE of its 8-byte words hold a
# start; once all bytes are compared, take any() per entry while more than 1/_DENSE still do.
_WHOLE = 128
_DENSE = 32
_FOLD_BIT = np.uint8(0x20)
_RECENT = 4  # answers a SearchIndex keeps


def _as_i64(a: NDArray[np.integer]) -> NDArray[np.int64]:
    return a.astype(np.int64, copy=False)


def _lower_ascii(buf: NDArray[np.uint8]) -> None:
    """A-Z to a-z in place (other bytes, including UTF-8 ones, untouched): what bytes.lower does."""
    for a in range(0, len(buf), _GATHER):
        part = buf[a : a + _GATHER]
        upper = (part - np.uint8(65)) < 26  # uint8 wraps: only 65..90 land below 26
        part |= upper.view(np.uint8) << 5


def _lead_positions(buf: NDArray[np.uint8]) -> NDArray[np.int64]:
    """Where each non-ASCII character starts (its UTF-8 lead byte), scanned in chunks."""
    parts = [np.flatnonzero(buf[a : a + _GATHER] >= 0xC0) + a for a in range(0, len(buf), _GATHER)]
    return np.concatenate(parts).astype(np.int64, copy=False) if parts else np.zeros(0, np.int64)


def _gather(
    buf: NDArray[np.uint8], starts: NDArray[np.int64], ends: NDArray[np.int64]
) -> tuple[NDArray[np.uint8], NDArray[np.int64]]:
    """The byte ranges ``[starts, ends)`` of ``buf`` copied one after another, with their new offsets."""
    lengths = ends - starts
    new = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new[1:])
    out = np.empty(int(new[-1]), dtype=np.uint8)
    cuts = np.searchsorted(new, np.arange(0, len(out), _GATHER), side="right") - 1
    cuts = np.unique(np.concatenate(([0], np.clip(cuts, 0, len(starts)), [len(starts)])))
    for r0, r1 in zip(cuts[:-1].tolist(), cuts[1:].tolist(), strict=True):
        a, b = int(new[r0]), int(new[r1])
        shift = np.repeat(starts[r0:r1] - new[r0:r1], lengths[r0:r1])
        out[a:b] = buf[np.arange(a, b, dtype=np.int64) + shift]
    return out, new


def _token_edges(
    buf: NDArray[np.uint8], at: NDArray[np.int64], bound: NDArray[np.int64], step: int
) -> NDArray[np.int64]:
    """From each position ``at``, the edge of its word towards ``step`` (-1: left, +1: right): the
    nearest byte <= 0x20 (space and controls, never in a search word) or the entry's ``bound``.
    Returns the word's first byte (left) or the byte after it (right).

    Looks at a window of bytes next to every position at once (rows of a sliding view, no index
    arrays), widening it for the few words longer than the window.
    """
    edge = np.empty(len(at), dtype=np.int64)
    todo = np.arange(len(at))
    base = at.copy()  # the search goes on from here (exclusive)
    width = 8
    while len(todo):
        w = min(width, len(buf))
        k = np.arange(w)
        rows = np.lib.stride_tricks.sliding_window_view(buf, w)
        b, lim = base[todo], bound[todo]
        if step < 0:  # positions [b - w, b), nearest first from the right; below ``lim`` is outside
            row = np.maximum(b - w, 0)
            stop = ((rows[row] <= 0x20) | (k < (lim - row)[:, None])) & (k < (b - row)[:, None])
            last = w - 1 - stop[:, ::-1].argmax(axis=1)
            done = stop[np.arange(len(todo)), last] | (row == 0)
            edge[todo] = np.where(stop[np.arange(len(todo)), last], row + last + 1, 0)
        else:  # positions [b + 1, b + 1 + w); from ``lim`` on is outside
            row = np.minimum(b + 1, len(buf) - w)
            stop = ((rows[row] <= 0x20) | (k >= (lim - row)[:, None])) & (k >= (b + 1 - row)[:, None])
            first = stop.argmax(axis=1)
            found = stop[np.arange(len(todo)), first]
            done = found | (row + w >= len(buf))
            edge[todo] = np.where(found, row + first, lim)
        base[todo] = row if step < 0 else row + w - 1
        todo = todo[~done]
        width *= 2
    return edge


def _fold_utf8(buf: NDArray[np.uint8], offsets: NDArray[np.int64]) -> tuple[bytes, NDArray[np.int64]]:
    """``fold`` applied to UTF-8 entries, with numpy: ASCII is lowered in place, and each non-ASCII
    character is replaced by the UTF-8 of its folded form, worked out once per distinct character.

    Replacements no longer than the character are written over it and padded with 0xFF (never in
    UTF-8), which one ``bytes.replace`` then drops; the rare longer ones are spliced in.
    """
    out = buf.copy()
    _lower_ascii(out)
    lead = _lead_positions(out)
    if not len(lead):
        return out.tobytes(), offsets
    b0 = out[lead].astype(np.int64)
    width = 2 + (b0 >= 0xE0) + (b0 >= 0xF0)
    last = len(out) - 1
    code = b0 & (0x7F >> width)
    for k in range(1, 4):
        more = k < width
        nxt = out[np.minimum(lead + k, last)].astype(np.int64) & 0x3F
        code = np.where(more, (code << 6) | nxt, code)
    uniq, inverse = np.unique(code, return_inverse=True)
    reps = [_encode(_fold_char(chr(int(u)))) for u in uniq]
    rep_len = np.fromiter(map(len, reps), dtype=np.int64, count=len(reps))
    table = np.full((len(uniq), 4), 0xFF, dtype=np.uint8)
    for u, rep in enumerate(reps):
        if len(rep) <= 4:
            table[u, : len(rep)] = np.frombuffer(rep, dtype=np.uint8)
    occ_len = rep_len[inverse]
    grows = occ_len > width
    for k in range(4):
        at = (k < width) & ~grows
        out[lead[at] + k] = table[inverse[at], k]
    delta = occ_len - width
    data = out.tobytes()
    if grows.any():
        pieces: list[bytes] = []
        prev = 0
        for p, w, u in zip(lead[grows].tolist(), width[grows].tolist(), inverse[grows].tolist(), strict=True):
            pieces += [data[prev:p], reps[u]]
            prev = p + w
        pieces.append(data[prev:])
        data = b"".join(pieces)
    if (delta < 0).any():
        data = data.replace(b"\xff", b"")
    shift = np.zeros(len(lead) + 1, dtype=np.int64)
    np.cumsum(delta, out=shift[1:])
    new_offsets = offsets + shift[np.searchsorted(lead, offsets, side="left")]
    return data, new_offsets


# -- scanning --------------------------------------------------------------------------------------------


class _Scan:
    """One word looked for in one blob of entries, a chunk of start positions at a time.

    Per chunk, two of the word's bytes (its rarest adjacent pair) are compared at every start.
    Where few starts are left, the rest of the word is checked at those starts only and each hit
    is mapped to its entry; where many are left, every byte is compared and any() is taken per
    entry over the starts where the word still fits (so a hit never runs into the next entry).
    """

    def __init__(self, term: bytes, ci: bool, pair_cost: NDArray[np.int32]) -> None:
        self.t = np.frombuffer(term, dtype=np.uint8)
        self.n = len(term)
        # ASCII letters compare against the text with bit 0x20 set, which turns A-Z into a-z and
        # no other byte into a letter (the word is folded already).
        self.letter = ci & (self.t >= 97) & (self.t <= 122)
        self.ci = bool(self.letter.any())
        if self.n >= 2:
            pairs = self.t[:-1].astype(np.int64) << 8 | self.t[1:]
            j = int(np.argmin(pair_cost[pairs]))
            self.order = [j, j + 1, *(k for k in range(self.n) if k not in (j, j + 1))]
        else:
            self.order = [0]

    def entries(self, seg: _Segment, todo: Mask, found: Mask) -> None:
        """Marks in ``found`` (and clears in ``todo``) the events, among those still in ``todo``,
        that have an entry of ``seg`` containing the word. Chunks with no such event are skipped."""
        buf, offsets = seg.buf, seg.offsets
        last = len(buf) - self.n  # the last start the word fits after
        if len(offsets) < 2 or last < 0:
            return
        cuts = np.arange(0, last + 1 + _CHUNK, _CHUNK).clip(max=last + 1)
        firsts = offsets.searchsorted(cuts.astype(offsets.dtype), side="right") - 1
        ends = offsets.searchsorted(cuts.astype(offsets.dtype), side="left")
        chunks = zip(cuts[:-1].tolist(), cuts[1:].tolist(), firsts[:-1].tolist(), ends[1:].tolist(), strict=True)
        size = min(_CHUNK, last + 1)
        m_buf = np.zeros(size + 8, dtype=bool)  # padded: whole 8-byte words, and a stop for reduceat
        e_buf = np.empty(size, dtype=bool)
        low_buf = np.empty(size + self.n, dtype=np.uint8) if self.ci else None
        for a, b, e0, e1 in chunks:
            if not todo[seg.events(e0, e1)].any():
                continue
            low = buf[a : b + self.n - 1]
            if low_buf is not None:
                low = np.bitwise_or(low, _FOLD_BIT, out=low_buf[: len(low)])
            m = m_buf[: b - a]
            order = list(self.order)
            k = order.pop(0)
            np.equal((low if self.letter[k] else buf[a:])[k : k + b - a], self.t[k], out=m)
            if order:
                k = order.pop(0)
                m &= np.equal((low if self.letter[k] else buf[a:])[k : k + b - a], self.t[k], out=e_buf[: b - a])
            m_buf[b - a :] = False
            words = m_buf[: (b - a + 7) & ~7].view(np.uint64)
            # How many 8-byte words hold a start, from every 16th: it only picks the way on.
            busy, before = np.count_nonzero(words[::16]) * 16, len(words) + 1
            # Many starts left: compare whole chunks, as long as that still thins them out.
            while order and busy * _WHOLE > len(words) and busy * 2 <= before:
                k = order.pop(0)
                m &= np.equal((low if self.letter[k] else buf[a:])[k : k + b - a], self.t[k], out=e_buf[: b - a])
                busy, before = np.count_nonzero(words[::16]) * 16, busy
            if busy * _DENSE > len(words):  # the word is everywhere: finish whole, any() per entry
                for k in order:
                    m &= np.equal((low if self.letter[k] else buf[a:])[k : k + b - a], self.t[k], out=e_buf[: b - a])
                self._reduce(m_buf[: b - a + 1], a, b, seg, e0, e1, todo, found)
                continue
            if busy == 0 and not words.any():
                continue
            nonzero = np.flatnonzero(words != 0)  # via bool: much faster than on the words
            starts = (nonzero[:, None] * 8 + np.arange(8)).ravel()
            starts = starts[m[np.minimum(starts, b - a - 1)] & (starts < b - a)] + a
            for k in order:  # few starts left: check the other bytes there only
                text = buf[starts + k]
                if self.letter[k]:
                    text = text | _FOLD_BIT
                starts = starts[text == self.t[k]]
            # Each start to its entry, among this chunk's entries only (a small, cached search).
            local = _as_i64(offsets[e0 : e1 + 1])
            entry = np.searchsorted(local, starts, side="right") - 1
            entry = entry[starts + self.n <= local[entry + 1]] + e0
            events = entry if seg.owner is None else seg.owner[entry]
            events = events[todo[events]]
            found[events] = True
            todo[events] = False

    def _reduce(self, m: Mask, a: int, b: int, seg: _Segment, e0: int, e1: int, todo: Mask, found: Mask) -> None:
        """any() of ``m`` per entry in [e0, e1) still to do, over the starts in [a, b) where the word fits."""
        rows = e0 + np.flatnonzero(todo[seg.events(e0, e1)])
        lo = np.maximum(_as_i64(seg.offsets[rows]), a) - a
        hi = np.minimum(_as_i64(seg.offsets[rows + 1]) - self.n + 1, b) - a
        hi = np.maximum(hi, lo)
        bounds = np.empty(2 * len(rows), dtype=np.int64)
        bounds[0::2], bounds[1::2] = lo, hi  # m[b - a] is a False stop, so hi == b - a is a valid index
        any_ = np.logical_or.reduceat(m, bounds)[0::2] & (hi > lo)
        entry = rows[any_]
        events = entry if seg.owner is None else seg.owner[entry]
        found[events] = True
        todo[events] = False


@dataclass(frozen=True)
class _Segment:
    """Text to scan: a blob of entries, and the event each entry belongs to.

    ``blob`` is the store's own ``bytes`` object where it can be, so a pickled index (sent from
    the loading process) carries the store's text once, not twice.
    """

    blob: bytes
    offsets: _Index
    owner: NDArray[np.int32] | None  # event of each entry (None: entry i is event i)
    folded: bool  # folded text (compare exactly) or the store's own (compare ASCII case-blind)

    @property
    def buf(self) -> NDArray[np.uint8]:
        return np.frombuffer(self.blob, dtype=np.uint8)

    @property
    def nbytes(self) -> int:
        """What the index adds: folded copies and maps (the original text is the store's)."""
        own = len(self.blob) + self.offsets.nbytes if self.folded else 0
        return own + (self.owner.nbytes if self.owner is not None else 0)

    def events(self, e0: int, e1: int) -> NDArray[np.integer] | slice:
        """The events of entries [e0, e1), as an index into a per-event array."""
        return slice(e0, e1) if self.owner is None else self.owner[e0:e1]


def _segments(blob: bytes, offsets: _Index, rows: _Index | None) -> list[_Segment]:
    """A text column as segments to scan: the store's bytes, and (if any) its non-ASCII words folded.

    A search word is found either in the store's bytes with ASCII case ignored, or in one of the
    folded non-ASCII words (a word never spans a space).
    """
    buf = np.frombuffer(blob, dtype=np.uint8)
    offsets = np.asarray(offsets)
    owner = None
    if rows is not None:
        rows = np.asarray(rows)
        owner = np.repeat(np.arange(len(rows) - 1, dtype=np.int32), np.diff(rows))
    segments = [_Segment(blob, offsets, owner, False)]
    lead = np.zeros(0, np.int64) if blob.isascii() else _lead_positions(buf)
    if len(lead):
        entry = np.searchsorted(offsets, lead.astype(offsets.dtype), side="right") - 1
        first = _token_edges(buf, lead, _as_i64(offsets[entry]), -1)
        one = np.concatenate(([True], first[1:] != first[:-1]))  # one per word, not per character
        lead, entry, first = lead[one], entry[one], first[one]
        after = _token_edges(buf, lead, _as_i64(offsets[entry + 1]), 1)
        part, part_offsets = _gather(buf, first, after)
        folded, folded_offsets = _fold_utf8(part, part_offsets)
        events = entry.astype(np.int32) if owner is None else owner[entry]
        segments.append(_Segment(folded, folded_offsets, events, True))
    return segments


class SearchIndex:
    """Every event's searchable texts, ready to scan: the store's own bytes, a folded copy of the
    words that are not ASCII, and each source's name once (folded)."""

    def __init__(self, texts: Sequence[str]) -> None:
        self._source_quotes: tuple[list[bytes], _Index, NDArray[np.int32]] | None = None
        if isinstance(texts, SearchTexts):
            self.count = len(texts)
            quotes = _segments(texts.quotes.table.blob, texts.quotes.table.offsets, texts.quotes.ptr)
            self._segments = [
                *_segments(texts.titles.blob, texts.titles.offsets, None),
                *_segments(texts.summaries.blob, texts.summaries.offsets, None),
                *quotes,
                *_segments(texts.tags.table.blob, texts.tags.table.offsets, texts.tags.ptr),
            ]
            quote_owner = quotes[0].owner
            assert quote_owner is not None
            names = [_encode(fold(name)) for name in texts.source_names]
            self._source_quotes = (names, np.asarray(texts.quote_sources), quote_owner)
        else:
            table = texts if isinstance(texts, StringTable) else StringTable.from_strings(list(texts))
            self.count = len(table)
            self._segments = _segments(table.blob, table.offsets, None)
        self._pair_cost = self._sample_pairs()
        self._lock = threading.Lock()
        self._recent: list[tuple[list[bytes], Mask]] = []  # the last few answers, newest last

    @classmethod
    def from_store(cls, store: EventStore) -> SearchIndex:
        return cls(store.search_texts if store.search_texts is not None else store.titles)

    def __getstate__(self) -> dict[str, object]:
        """Pickled without its lock and last answer (the loading process sends indexes over a pipe)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_recent")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()
        self._recent = []

    def forget(self) -> None:
        """Drop the answers kept for typing on (the benchmark times searches from scratch)."""
        with self._lock:
            self._recent = []

    @property
    def nbytes(self) -> int:
        """Memory the index holds beyond the store's own text (folded copies, maps)."""
        total = sum(s.nbytes for s in self._segments) + self._pair_cost.nbytes
        return total + (sum(map(len, self._source_quotes[0])) if self._source_quotes else 0)

    def _sample_pairs(self) -> NDArray[np.int32]:
        """How common each two-byte pair is (case folded), from a spread sample: picks a word's anchor."""
        counts = np.ones(1 << 16, dtype=np.int32)
        for segment in self._segments:
            buf = segment.buf
            step = max(len(buf) // 16, 1 << 16)
            for a in range(0, len(buf), step):
                part = buf[a : a + (1 << 16)].copy()
                _lower_ascii(part)
                if len(part) > 1:
                    counts += np.bincount(part[:-1].astype(np.int64) << 8 | part[1:], minlength=1 << 16)
        return counts

    def search(self, query: str) -> Mask | None:
        """Events containing every word of ``query`` (anywhere in their texts); None for a blank query."""
        terms = _terms(query)
        if not terms:
            return None
        key = sorted(terms)
        with self._lock:
            recent = list(self._recent)
        mask: Mask | None = None
        for old_key, old_mask in reversed(recent):
            if old_key == key:
                return old_mask.copy()  # asked again (e.g. by the window, after the dock's thread)
            if mask is None and all(any(old in new for new in terms) for old in old_key):
                mask = old_mask.copy()  # typing on: every earlier word is inside a new one
        for term in sorted(terms, key=self._cost):
            if mask is not None and not mask.any():
                break
            mask = self._term(term, mask)
        assert mask is not None
        with self._lock:
            self._recent = [*self._recent[-(_RECENT - 1) :], (key, mask.copy())]
        return mask

    def _cost(self, term: bytes) -> float:
        """How common the word's rarest pair is: rarer words go first and narrow the rest."""
        if len(term) < 2:
            return float(self._pair_cost[term[0] << 8 : (term[0] + 1) << 8].sum())
        pairs = np.frombuffer(term[:-1], np.uint8).astype(np.int64) << 8 | np.frombuffer(term[1:], np.uint8)
        return float(self._pair_cost[pairs].min())

    def _term(self, term: bytes, within: Mask | None) -> Mask:
        """Events among ``within`` (None: all) whose texts contain ``term``.

        The texts are scanned one column after another, each only for the events not found yet.
        """
        found = np.zeros(self.count, dtype=bool)
        todo = np.ones(self.count, dtype=bool) if within is None else within.copy()
        if self._source_quotes is not None:
            names, quote_sources, quote_owner = self._source_quotes
            named = np.array([term in name for name in names], dtype=bool)
            if named.any():
                found[quote_owner[named[quote_sources]]] = True
                found &= todo
                todo &= ~found
        ascii_term = term.isascii()
        for segment in self._segments:
            if not segment.folded and not ascii_term:
                continue  # a non-ASCII word is only ever in folded text
            if not todo.any():
                break
            _Scan(term, not segment.folded, self._pair_cost).entries(segment, todo, found)
        return found


@dataclass(frozen=True)
class SourceCitations:
    """For each source, the events that quote it or name it in a discrepancy."""

    source_ids: list[str]
    titles: list[str]
    events: list[NDArray[np.int64]]  # store indices, per source

    @classmethod
    def from_store(cls, store: EventStore) -> SourceCitations:
        """Grouped with numpy from the (quote -> source) columns, plus the few discrepancies."""
        k = len(store.sources)
        if not k:
            return cls([], [], [])
        n = max(len(store), 1)
        owner = np.zeros(0, dtype=np.int64)
        cited = np.zeros(0, dtype=np.int64)
        quotes, sources = store.excerpt_quotes, store.excerpt_sources
        if quotes is not None and sources is not None:
            owner = np.repeat(np.arange(len(store), dtype=np.int64), np.diff(quotes.ptr))
            cited = np.asarray(sources, dtype=np.int64)
        position = {s.id: j for j, s in enumerate(store.sources)}
        named = [
            (i, position[s])
            for i in np.flatnonzero(store.has_discrepancy).tolist()
            for d in store.nested_of(i)[0]
            for s in d.sources
            if s in position
        ]
        if named:
            extra = np.array(named, dtype=np.int64)
            owner, cited = np.concatenate([owner, extra[:, 0]]), np.concatenate([cited, extra[:, 1]])
        pairs = np.unique(cited * n + owner)
        bounds = np.searchsorted(pairs // n, np.arange(k + 1))
        events = [pairs[bounds[j] : bounds[j + 1]] % n for j in range(k)]
        return cls([s.id for s in store.sources], [s.title for s in store.sources], events)

    def counts(self) -> list[int]:
        return [len(e) for e in self.events]

    def mask(self, source_id: str, size: int) -> NDArray[np.bool_]:
        out = np.zeros(size, dtype=bool)
        if source_id in self.source_ids:
            out[self.events[self.source_ids.index(source_id)]] = True
        return out
