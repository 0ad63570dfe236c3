"""Keys written twice, found by counting ``:``: the check that keeps the fast decoder as strict as the models.

JSON decoders keep the last of two equal keys; the models refuse the file. Every ``:`` in a
document ends a key or sits inside a string, so a document without repeated keys holds exactly
(keys written) + (colons inside its strings) of them: one ``bytes.count`` and sums over the
decoded strings tell. A ``\\u003a`` escape makes them differ too: the models then decide. What
is counted follows the decoder's struct definitions (``keys_and_colons``): no list of fields.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from itertools import chain, compress, repeat
from operator import attrgetter
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

import msgspec

__all__ = ["colons_of", "keys_and_colons"]


def colons_of(obj: Any) -> int:
    """Keys plus colons inside strings, in decoded JSON (the few head objects)."""
    if isinstance(obj, str):
        return obj.count(":")
    if isinstance(obj, dict):
        return len(obj) + sum(map(colons_of, obj.values()))
    if isinstance(obj, list):
        return sum(map(colons_of, obj))
    return 0


Columns = dict[str, list[Any]]
Nested = tuple[list[Any], Columns]  # a list field's items, flat, and their columns


def keys_and_colons(
    cls: type, items: Sequence[Any], cols: Columns | None = None, nested: dict[str, Nested] | None = None
) -> int:
    """Keys written plus ``:`` inside string values, over msgspec structs of ``cls``, derived from
    its field definitions (a field added there is counted here too). A field's absence is its
    default (a sentinel); ``cols``/``nested``: columns already taken, so they are not taken twice."""
    total = 0
    for name, required, default, tp in _fields(cls):
        col = cols[name] if cols is not None and name in cols else list(map(attrgetter(name), items))
        total += len(col) if required else len(col) - col.count(default)
        total += _value_colons(tp, col, None if nested is None else nested.get(name))
    return total


@cache
def _fields(cls: type) -> tuple[tuple[str, bool, Any, Any], ...]:
    """A struct's fields (resolving its annotations costs more than counting a small file's keys)."""
    return tuple((f.name, f.required, f.default, f.type) for f in msgspec.structs.fields(cls))


def _value_colons(tp: Any, col: list[Any], nested: Nested | None) -> int:
    tp = _unwrap(tp)
    args = [_unwrap(a) for a in get_args(tp)] if get_origin(tp) in (Union, UnionType) else [tp]
    total = 0
    if args == [str]:  # always a string: no need to pick the strings out
        total += "\x00".join(col).count(":")
    elif str in args:
        total += "\x00".join(compress(col, map(isinstance, col, repeat(str)))).count(":")
    for arg in args:
        if get_origin(arg) is not list:
            continue
        (inner,) = get_args(arg)
        inner = _unwrap(inner)
        if inner is str:
            total += "\x00".join(chain.from_iterable(col)).count(":")
        elif isinstance(inner, type) and issubclass(inner, msgspec.Struct):
            flat, cols = nested if nested is not None else (list(chain.from_iterable(col)), {})
            total += keys_and_colons(inner, flat, cols)
        else:
            raise TypeError(f"no colon count for list[{inner}]: teach _value_colons this type")
    return total


def _unwrap(tp: Any) -> Any:
    return get_args(tp)[0] if get_origin(tp) is Annotated else tp
