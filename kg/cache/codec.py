"""Digests and their extractions as plain JSON values, and back to equal frozen dataclasses.

A dataclass becomes the list of its field values in declaration order; tuples of dataclasses
become lists of such lists. Decoding rebuilds tuples (never lists), so a decoded object is
equal, field by field, to the one that was encoded, and a build from decoded objects is
byte-identical to a build from fresh ones.
"""

from __future__ import annotations

import dataclasses
import typing
from functools import cache
from typing import Any

from kg.models import Digest, ItemExtraction

_SCALAR, _STRINGS, _NESTED = 0, 1, 2


class CodecError(ValueError):
    """The value does not have the shape of an encoded object."""


@cache
def _plan(cls: type) -> tuple[tuple[str, int, type | None], ...]:
    """For each field of ``cls``: its name, whether it is a scalar, a tuple of scalars or of dataclasses."""
    hints = typing.get_type_hints(cls)
    plan = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if typing.get_origin(hint) is tuple:
            (inner, *_) = typing.get_args(hint)
            if dataclasses.is_dataclass(inner):
                plan.append((f.name, _NESTED, inner))
            else:
                plan.append((f.name, _STRINGS, None))
        else:
            plan.append((f.name, _SCALAR, None))
    return tuple(plan)


@cache
def _all_scalar(cls: type) -> bool:
    return all(kind == _SCALAR for _, kind, _ in _plan(cls))


def encode(obj: Any) -> list[Any]:
    """A frozen kg dataclass as a JSON-able list."""
    row = []
    for name, kind, _ in _plan(type(obj)):
        value = getattr(obj, name)
        if kind == _NESTED:
            row.append([encode(v) for v in value])
        elif kind == _STRINGS:
            row.append(list(value))
        else:
            row.append(value)
    return row


def decode(cls: type, row: Any) -> Any:
    """The ``cls`` object that ``encode`` turned into ``row``; CodecError when ``row`` has another shape."""
    plan = _plan(cls)
    if not isinstance(row, list) or len(row) != len(plan):
        raise CodecError(f"{cls.__name__}: expected a list of {len(plan)} fields")
    if _all_scalar(cls):  # the common case (mentions): no per-field work
        return cls(*row)
    values = []
    for (name, kind, inner), value in zip(plan, row):
        if kind == _SCALAR:
            if isinstance(value, (list, dict)):
                raise CodecError(f"{cls.__name__}.{name}: expected a scalar")
            values.append(value)
        elif not isinstance(value, list):
            raise CodecError(f"{cls.__name__}.{name}: expected a list")
        elif kind == _STRINGS:
            values.append(tuple(value))
        else:
            values.append(tuple(decode(inner, v) for v in value))
    return cls(*values)


def encode_entry(digest: Digest, extractions: tuple[ItemExtraction, ...]) -> list[Any]:
    """One cache entry: a digest as read and what was extracted from each of its items."""
    return [encode(digest), [encode(x) for x in extractions]]


def decode_entry(value: Any) -> tuple[Digest, tuple[ItemExtraction, ...]]:
    """The (digest, extractions) of ``encode_entry``; CodecError when ``value`` is not one."""
    if not isinstance(value, list) or len(value) != 2 or not isinstance(value[1], list):
        raise CodecError("expected [digest, extractions]")
    digest = decode(Digest, value[0])
    extractions = tuple(decode(ItemExtraction, x) for x in value[1])
    if [x.item_id for x in extractions] != [i.id for i in digest.items]:
        raise CodecError("the extractions do not match the digest's items")
    return digest, extractions
