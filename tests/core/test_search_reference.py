"""Search over bytes gives exactly what the simple search it replaced gave.

The reference below is the earlier implementation (one folded ``str`` per data set, ``re`` per
word): slow, but obviously right. The byte scanner is compared with it on random texts built to
hit its corners: non-ASCII words, characters that fold to several (ß, ½, ligatures) or to nothing
(combining marks), separators and NULs inside texts, empty texts, words longer than any window,
tiny chunks (hits across chunk edges) and both ways of settling a chunk (per hit, per entry).
"""

from __future__ import annotations

import pickle
import random
import re
import unicodedata
from collections.abc import Iterator, Sequence
from itertools import pairwise
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from timeline_app.core import search
from timeline_app.core.bulk import load_store
from timeline_app.core.records import SourceRecord
from timeline_app.core.search import SearchIndex, SourceCitations, fold
from timeline_app.core.search_texts import SearchTexts
from timeline_app.core.store import EventStore
from timeline_app.core.strings import RaggedStrings, StringTable


class ReferenceIndex:
    """The search as it was: every event's text folded into one string, ``re`` per word."""

    _SEP = "\x1e"

    def __init__(self, texts: Sequence[str]) -> None:
        self.count = len(texts)
        self._haystack = fold(self._SEP.join(t.replace(self._SEP, " ") for t in texts))
        self._starts = np.array([0] + [m.end() for m in re.finditer(self._SEP, self._haystack)], dtype=np.int64)

    def search(self, query: str) -> np.ndarray | None:
        cleaned = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in query)
        terms = fold(cleaned).split()
        if not terms:
            return None
        mask = np.ones(self.count, dtype=bool)
        for term in terms:
            hits = np.array([m.start() for m in re.finditer(re.escape(term), self._haystack)], dtype=np.int64)
            term_mask = np.zeros(self.count, dtype=bool)
            term_mask[np.searchsorted(self._starts, hits, side="right") - 1] = True
            mask &= term_mask
        return mask


ALPHABET = [
    *"abcdeABCDE  .-xyz",
    "ß",
    "é",
    "É",
    "e\u0301",
    "\u0301",
    "ﬁ",
    "ǅ",
    "İ",
    "½",
    "ﷺ",
    "\x1e",
    "\n",
    "\x00",
    "\t",
    "ŉ",
    "Σ",
    "ς",
    "K",
    "ẞ",
    "Ö",
    "\u00a0",
    "\u2002",
    "¨",
    "Å",
    "ǲ",
    "ж",
    "Ж",
]
WORD_CHARS = [c for c in ALPHABET if not c.isspace() and c not in "\x1e\x00"]


def _text(rng: random.Random, longest: int = 12) -> str:
    if rng.random() < 0.15:  # one long word: longer than the windows that find a word's edges
        return "".join(rng.choice(WORD_CHARS) for _ in range(rng.randint(15, 60)))
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, longest)))


def _columns(rng: random.Random) -> SearchTexts:
    n = rng.randint(0, 30)
    names = [_text(rng, 8) for _ in range(rng.randint(1, 4))]
    quotes = [[_text(rng) for _ in range(rng.randint(0, 3))] for _ in range(n)]
    sources = np.array([rng.randrange(len(names)) for row in quotes for _ in row], dtype=np.int32)
    return SearchTexts(
        StringTable.from_strings([_text(rng) for _ in range(n)]),
        StringTable.from_strings([_text(rng) for _ in range(n)]),
        RaggedStrings.from_rows([[_text(rng, 5) for _ in range(rng.randint(0, 2))] for _ in range(n)]),
        RaggedStrings.from_rows(quotes),
        sources,
        names,
    )


def _queries(rng: random.Random, texts: list[str]) -> Iterator[str]:
    for _ in range(20):
        if texts and rng.random() < 0.4:  # a piece of a real text: hits, with its case and accents
            t = rng.choice(texts)
            a = rng.randrange(len(t) + 1)
            yield t[a : a + rng.randint(1, 8)]
        else:
            yield " ".join(_text(rng, 4) for _ in range(rng.randint(1, 3)))


def _same(expected: np.ndarray | None, got: np.ndarray | None) -> bool:
    return (expected is None and got is None) or (
        expected is not None and got is not None and expected.tolist() == got.tolist()
    )


DEFAULT, PER_HIT, PER_ENTRY = (search._WHOLE, search._DENSE), (1, 1 << 30), (1 << 30, 1)


@pytest.mark.parametrize(
    ("chunk", "mode"),
    [
        (5, DEFAULT),
        (16, PER_HIT),
        (16, PER_ENTRY),  # hits across chunk edges
        (64, DEFAULT),
        (64, PER_HIT),
        (64, PER_ENTRY),
        (1 << 20, DEFAULT),
        (1 << 20, PER_HIT),
        (1 << 20, PER_ENTRY),
    ],
)
def test_byte_search_matches_the_reference(monkeypatch: pytest.MonkeyPatch, chunk: int, mode: tuple[int, int]) -> None:
    monkeypatch.setattr(search, "_CHUNK", chunk)
    monkeypatch.setattr(search, "_WHOLE", mode[0])  # PER_HIT: never compare whole chunks past the pair …
    monkeypatch.setattr(search, "_DENSE", mode[1])  # … and never settle per entry; PER_ENTRY: always
    rng = random.Random(chunk * 7919 + mode[0] * 31 + mode[1])
    for _ in range(15):
        columns = _columns(rng)
        texts = list(columns)  # the per-event texts the reference searches
        reference, bulk, flat = ReferenceIndex(texts), SearchIndex(columns), SearchIndex(texts)
        for query in _queries(rng, texts):
            expected = reference.search(query)
            assert _same(expected, bulk.search(query)), (query, texts)
            assert _same(expected, flat.search(query)), (query, texts)


def test_typing_on_narrows_from_the_last_answer_and_stays_right() -> None:
    rng = random.Random(5)
    for _ in range(20):
        columns = _columns(rng)
        texts = list(columns)
        reference, index = ReferenceIndex(texts), SearchIndex(columns)
        for query in _queries(rng, texts):
            for k in range(1, len(query) + 1):  # as typed: every prefix, then deleting back
                assert _same(reference.search(query[:k]), index.search(query[:k])), query[:k]
            for k in range(len(query) - 1, 0, -1):
                assert _same(reference.search(query[:k]), index.search(query[:k])), query[:k]


def test_later_words_only_scan_matching_events_and_stay_right(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "_CHUNK", 16)  # many chunks: skipping those without pending events matters
    rng = random.Random(11)
    for _ in range(30):
        columns = _columns(rng)
        texts = list(columns)
        reference, index = ReferenceIndex(texts), SearchIndex(columns)
        for _ in range(10):
            words = [t[: rng.randint(1, 4)] for t in rng.sample(texts, min(3, len(texts)))] if texts else ["a"]
            query = " ".join(words)
            assert _same(reference.search(query), index.search(query)), (query, texts)


def test_a_realistic_data_set_matches_the_reference(gen: ModuleType, tmp_path: Path) -> None:
    """Words, names with accents and sources as the generator writes them; many hits per word."""
    store = load_store(gen.write(3000, tmp_path / "g3k.json", seed=4), small_limit=0)  # the columnar path
    assert isinstance(store.search_texts, SearchTexts)
    reference, index = ReferenceIndex(list(store.search_texts)), SearchIndex.from_store(store)
    for query in [
        "peshawar",
        "Pêshawar",
        "ZÜRICH",
        "islamabad",
        "e",
        "a b",
        "the",
        "aid",
        "ss",
        "q",
        "zeppelin",
        "of the",
        "pesh kabul",
        "kandahar.",
        "bbc",
        "müller",
        "Congressional",
        "1",
        "(",
        "ā",
    ]:
        assert _same(reference.search(query), index.search(query)), query


def test_unpaired_surrogates_are_searchable() -> None:
    """JSON can carry lone surrogates; the old str search could not even encode them."""
    index = SearchIndex(["a\ud800b", "plain", "\udfffX"])
    assert index.search("a\ud800b").tolist() == [True, False, False]  # type: ignore[union-attr]  # "a", "b"
    assert index.search("x").tolist() == [False, False, True]  # type: ignore[union-attr]


def test_fold_utf8_matches_fold() -> None:
    rng = random.Random(3)
    texts = [_text(rng, 30) for _ in range(300)]
    table = StringTable.from_strings(texts)
    buf = np.frombuffer(table.blob, dtype=np.uint8)
    folded, offsets = search._fold_utf8(buf, table.offsets.astype(np.int64))
    got = [folded[a:b].decode("utf-8") for a, b in pairwise(offsets.tolist())]
    assert got == [fold(t) for t in texts]


def test_word_edges_match_a_plain_loop() -> None:
    rng = random.Random(9)
    texts = [_text(rng, 40) for _ in range(200)]
    table = StringTable.from_strings(texts)
    blob, offsets = table.blob, table.offsets
    buf = np.frombuffer(blob, dtype=np.uint8)
    at = np.array([p for p in range(len(blob)) if blob[p] >= 0xC0], dtype=np.int64)
    entry = np.searchsorted(offsets, at, side="right") - 1
    lo, hi = offsets[entry], offsets[entry + 1]
    left = search._token_edges(buf, at, lo, -1)
    right = search._token_edges(buf, at, hi, 1)
    for p, a, b, got_left, got_right in zip(at, lo, hi, left, right, strict=True):
        q = p
        while q > a and blob[q - 1] > 0x20:
            q -= 1
        r = p + 1
        while r < b and blob[r] > 0x20:
            r += 1
        assert (got_left, got_right) == (q, r)


def test_only_non_ascii_words_are_kept_a_second_time() -> None:
    line = "Envoy {} meets the council in {} after talks on the border crossing and the new aid programme"
    texts = [line.format(k, "Kabul") for k in range(2000)]
    index = SearchIndex(texts)
    assert index.nbytes <= 1 << 18  # the pair statistics only: no folded copy of ASCII text
    accented = SearchIndex([line.format(k, "Pêshawar") for k in range(2000)])
    text_bytes = sum(len(t.encode()) for t in texts)
    assert accented.nbytes - index.nbytes < text_bytes / 3  # just the accented words, folded
    assert accented.search("peshawar").all()  # type: ignore[union-attr]


def test_source_citations_from_columns_group_quotes_by_source() -> None:
    rng = random.Random(2)
    n, k = 500, 7
    rows = [[rng.randrange(k) for _ in range(rng.randint(0, 3))] for _ in range(n)]
    quotes = RaggedStrings.from_rows([["q"] * len(r) for r in rows])
    sources = np.array([s for r in rows for s in r], dtype=np.int32)
    store = EventStore(
        title="t",
        start=np.zeros(n),
        end=np.ones(n),
        kind=np.zeros(n, np.int8),
        qualified=np.zeros(n, bool),
        has_discrepancy=np.zeros(n, bool),
        ids=[f"e{i}" for i in range(n)],
        titles=["x"] * n,
        date_texts=["2000"] * n,
        actor_ids=[],
        actor_names=[],
        actor_colors=[],
        member_ptr=np.zeros(n + 1, np.int64),
        member_actor=np.zeros(0, np.int32),
        excerpt_quotes=quotes,
        excerpt_sources=sources,
        sources=[SourceRecord(f"s{j}", f"S{j}") for j in range(k)],
    )
    cites = SourceCitations.from_store(store)
    assert cites.source_ids == [f"s{j}" for j in range(k)]  # the data's own ids
    for j in range(k):
        assert cites.events[j].tolist() == [i for i, r in enumerate(rows) if j in r]


def test_a_pickled_index_carries_the_store_text_once(gen: ModuleType, tmp_path: Path) -> None:
    """The loading process pickles store and index together: the index refers to the store's bytes."""
    store = load_store(gen.write(3000, tmp_path / "g3k.json", seed=6), small_limit=0)
    index = SearchIndex.from_store(store)
    index.search("peshawar")  # a last answer and a lock: neither travels
    alone = len(pickle.dumps(store, protocol=pickle.HIGHEST_PROTOCOL))
    data = pickle.dumps((store, index), protocol=pickle.HIGHEST_PROTOCOL)
    assert len(data) < alone + index.nbytes + 50_000
    store2, index2 = pickle.loads(data)
    for query in ("peshawar", "zürich", "e", "a b", "bbc"):
        assert _same(index.search(query), index2.search(query)), query
    assert index2._segments[0].blob is store2.search_texts.titles.blob
