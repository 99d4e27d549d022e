"""Digests and their compact extractions as plain tuples (what ``marshal`` stores), and back to equal frozen dataclasses.

A dataclass (or named tuple) becomes the plain tuple of its field values in declaration order;
a tuple of them becomes a tuple of such tuples; scalars and tuples of strings stay as they are. Decoding calls
each class on its row, so a decoded object is equal, field by field, to the one that was
encoded, and a build from decoded objects is byte-identical to a build from fresh ones.

A cache entry holds a digest (``encode``) and what extraction found in its items
(``encode_extractions``), dumped apart so that a build can decode the first alone.
Both directions do as little per object as they can (1,000 digests hold about 120,000
mentions): the extractions store each distinct mention shape and sentence once and the mentions
as positions in those tables, put back by ``map`` in C; a row is made by one ``attrgetter``
call and a class of scalars is rebuilt by ``starmap``, both looping in C too. Decoding checks
the shape of the rows (their lengths and nesting), not the type of each value: the cache
decodes a payload only after its checksum matched the one it was written with, by this very
code (the fingerprint covers kg/cache/).
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Sequence
from functools import cache
from itertools import starmap
from operator import attrgetter
from typing import Any

from kg.models import AliasLink, CompactExtraction, RelationMention


_TUPLE = frozenset({tuple})

SHAPE_FIELDS = 5
"""The length of a MentionShape."""


class CodecError(ValueError):
    """The value does not have the shape of an encoded object."""


def _is_named_tuple(cls: type) -> bool:
    return issubclass(cls, tuple) and hasattr(cls, "_fields")


@cache
def _nested(cls: type) -> tuple[tuple[int, type], ...]:
    """The position and element class of each field of ``cls`` that holds a tuple of dataclasses
    (none for a named tuple: its fields are plain values)."""
    if _is_named_tuple(cls):
        return ()
    hints = typing.get_type_hints(cls)
    nested = []
    for i, f in enumerate(dataclasses.fields(cls)):
        hint = hints[f.name]
        if typing.get_origin(hint) is tuple:
            (inner, *_) = typing.get_args(hint)
            if dataclasses.is_dataclass(inner):
                nested.append((i, inner))
    return tuple(nested)


@cache
def _row(cls: type) -> Callable[[Any], tuple[Any, ...]]:
    """The tuple of a ``cls`` object's field values, in declaration order (a named tuple's as a
    plain tuple, which marshal stores)."""
    if _is_named_tuple(cls):
        return tuple
    names = [f.name for f in dataclasses.fields(cls)]
    if len(names) < 2:  # attrgetter of one name returns the value, not a 1-tuple
        raise TypeError(f"{cls.__name__}: the codec needs at least two fields")
    return attrgetter(*names)


def encode(obj: Any) -> tuple[Any, ...]:
    """A frozen kg dataclass as a tuple of plain values."""
    cls = type(obj)
    row = _row(cls)(obj)
    nested = _nested(cls)
    if not nested:
        return row
    values = list(row)
    for i, inner in nested:
        values[i] = encode_all(inner, values[i])
    return tuple(values)


def encode_all(cls: type, objects: tuple[Any, ...]) -> tuple[tuple[Any, ...], ...]:
    """``encode`` of each of ``objects``, all of class ``cls``."""
    if not _nested(cls):
        return tuple(map(_row(cls), objects))
    return tuple([encode(obj) for obj in objects])


def decode(cls: type, row: Any) -> Any:
    """The ``cls`` object that ``encode`` turned into ``row``; CodecError when ``row`` has another shape."""
    try:
        return _decode(cls, row)
    except (TypeError, ValueError, IndexError) as err:  # a wrong number of fields, a scalar where rows were expected
        raise CodecError(f"{cls.__name__}: not an encoded object ({err})") from None


def _decode(cls: type, row: Any) -> Any:
    if type(row) is not tuple:
        raise TypeError("expected a tuple")
    nested = _nested(cls)
    if not nested:
        return cls(*row)
    values = list(row)
    for i, inner in nested:
        values[i] = _decode_all(inner, values[i])
    return cls(*values)


def _decode_all(cls: type, rows: Any) -> tuple[Any, ...]:
    if rows == ():  # most items define nothing, half state no relation
        return ()
    if type(rows) is not tuple or not _TUPLE.issuperset(map(type, rows)):
        raise TypeError("expected a tuple of rows")
    if not _nested(cls):
        return tuple(starmap(cls, rows))  # TypeError for a row of the wrong length
    return tuple([_decode(cls, row) for row in rows])


def encode_extractions(extractions: tuple[CompactExtraction, ...]) -> tuple[Any, ...]:
    """What extraction found in each item of one digest, as a cache entry keeps it.

    A digest names a few dozen things many times, often several in one sentence, so each
    distinct mention shape and each distinct sentence is stored once, in a table, and each
    item lists its mentions as positions in the two tables.
    """
    shapes: dict[Any, int] = {}
    sentences: dict[str, int] = {}
    items = tuple(
        [
            (
                x.item_id,
                tuple([shapes.setdefault(shape, len(shapes)) for shape in x.shapes]),
                tuple([sentences.setdefault(sentence, len(sentences)) for sentence in x.sentences]),
                encode_all(AliasLink, x.aliases),
                encode_all(RelationMention, x.relations),
            )
            for x in extractions
        ]
    )
    return (tuple(shapes), tuple(sentences), items)


def decode_extractions(value: Any, item_ids: Sequence[str]) -> tuple[CompactExtraction, ...]:
    """The extractions of ``encode_extractions``, which must be those of the items ``item_ids``
    (their digest's, in order); CodecError when ``value`` is not that."""
    if type(value) is not tuple or len(value) != 3:
        raise CodecError("expected (shapes, sentences, items)")
    shapes, sentences, items = value
    try:
        if type(shapes) is not tuple or not all(type(s) is tuple and len(s) == SHAPE_FIELDS for s in shapes):
            raise TypeError("expected a table of mention shapes")
        if type(sentences) is not tuple or type(items) is not tuple:
            raise TypeError("expected the tables and the items as tuples")
        shape_at, sentence_at = shapes.__getitem__, sentences.__getitem__
        extractions = tuple(
            [
                CompactExtraction(
                    item_id,
                    tuple(map(shape_at, shape_indexes)),
                    tuple(map(sentence_at, sentence_indexes)),
                    _decode_all(AliasLink, aliases),
                    _decode_all(RelationMention, relations),
                )
                for item_id, shape_indexes, sentence_indexes, aliases, relations in items
            ]
        )
    except (TypeError, ValueError, IndexError) as err:  # a row of another length, a position past a table
        raise CodecError(f"CompactExtraction: not an encoded object ({err})") from None
    if tuple([x.item_id for x in extractions]) != tuple(item_ids):
        raise CodecError("the extractions do not match the digest's items")
    if any(len(x.shapes) != len(x.sentences) for x in extractions):
        raise CodecError("an item has not one sentence per mention")
    return extractions
