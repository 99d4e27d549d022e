"""The pack file: what is written is read back, and no damage to it is ever taken for an entry."""

import io
import json

import pytest

import kg.cache.pack as pack_module
from kg.cache.pack import CorruptEntry, CorruptPack, Pack, PackWriter, StalePack
from kg.checksum import checksum

KEY = "k" * 64
PAYLOADS = {"b" * 40: b"second entry", "a" * 40: b"first\nentry", "c" * 40: bytes(range(256))}


def packed(payloads=PAYLOADS, key=KEY, fmt=2) -> bytes:
    out = io.BytesIO()
    writer = PackWriter(out, key, fmt)
    for name, payload in payloads.items():
        writer.add(name, payload, checksum(payload))
    writer.finish()
    return out.getvalue()


def index_span(data: bytes) -> tuple[int, int]:
    end = data.rindex(b"\n", 0, len(data) - 1)
    return end - json.loads(data[end + 1 :])["index_length"], end


def test_every_entry_reads_back_and_the_index_is_sorted():
    data = packed()
    pack = Pack.parse(data, KEY, 2)
    assert {name: bytes(pack.payload(name)) for name in pack.index} == PAYLOADS
    assert list(pack.index) == sorted(PAYLOADS)
    assert pack.payload("d" * 40) is None
    start, end = index_span(data)
    assert data.startswith(b"KGPACK 2\n") and data[start:end].startswith(b'[["aaaa')


def test_an_entry_added_twice_is_kept_once():
    out = io.BytesIO()
    writer = PackWriter(out, KEY, 2)
    writer.add("a" * 40, b"one", checksum(b"one"))
    writer.add("a" * 40, b"two", checksum(b"two"))
    writer.finish()
    pack = Pack.parse(out.getvalue(), KEY, 2)
    assert bytes(pack.payload("a" * 40)) == b"one" and len(pack.index) == 1


@pytest.mark.parametrize("batch", [1, 20, 1 << 20], ids=["one-per-write", "some-per-write", "all-in-one"])
def test_entries_added_together_make_the_same_pack_whatever_the_batch(monkeypatch, batch):
    """``add_all`` joins payloads into writes of about WRITE_BATCH bytes; where the writes
    fall changes nothing in the file, and a name met twice is still kept once."""
    monkeypatch.setattr(pack_module, "WRITE_BATCH", batch)
    out = io.BytesIO()
    writer = PackWriter(out, KEY, 2)
    entries = [(name, memoryview(payload), checksum(payload)) for name, payload in PAYLOADS.items()]
    writer.add_all(entries + [("a" * 40, memoryview(b"again"), checksum(b"again"))])
    writer.finish()
    assert out.getvalue() == packed()


def test_an_empty_pack_is_valid():
    assert Pack.parse(packed({}), KEY, 2).index == {}


def test_a_pack_written_under_another_key_is_stale_with_its_entry_count():
    with pytest.raises(StalePack) as stale:
        Pack.parse(packed(key="x" * 64), KEY, 2)
    assert stale.value.entries == 3


def test_a_pack_of_another_format_is_stale_with_its_entry_count():
    with pytest.raises(StalePack) as stale:
        Pack.parse(packed(fmt=1), KEY, 2)
    assert stale.value.entries == 3


def _flip(data: bytes, at: int) -> bytes:
    damaged = bytearray(data)
    damaged[at] ^= 0x01
    return bytes(damaged)


@pytest.mark.parametrize(
    "damage, reason",
    [
        (lambda d: b"", "not a kg cache file"),
        (lambda d: bytes(range(256)) * 8, "not a kg cache file"),
        (lambda d: d.replace(b"KGPACK 2\n", b"KGPACK 99\n", 1), "cache format '99', expected 2"),
        (lambda d: d[: len(d) // 2], "truncated"),
        (lambda d: d[:-1], "truncated"),
        (lambda d: d + b"more\n", "truncated"),
        (lambda d: _flip(d, index_span(d)[0] + 5), "index checksum mismatch"),
        (lambda d: _flip(d, index_span(d)[1] - 5), "index checksum mismatch"),
        (lambda d: d.replace(b'"index_length": ', b'"index_length": 1', 1), "truncated"),
    ],
)
def test_a_damaged_pack_is_corrupt_as_a_whole(damage, reason):
    with pytest.raises(CorruptPack, match=reason):
        Pack.parse(damage(packed()), KEY, 2)


def test_a_flipped_payload_byte_spoils_that_entry_only():
    data = packed()
    pack = Pack.parse(data, KEY, 2)
    second = pack.index["b" * 40]
    pack = Pack.parse(_flip(data, second.offset + 3), KEY, 2)
    with pytest.raises(CorruptEntry, match="checksum mismatch"):
        pack.payload("b" * 40)
    assert bytes(pack.payload("a" * 40)) == PAYLOADS["a" * 40]
    assert bytes(pack.payload("c" * 40)) == PAYLOADS["c" * 40]


def test_an_entry_pointing_outside_the_pack_is_corrupt():
    data = packed()
    pack = Pack.parse(data, KEY, 2)
    pack.data = data[: pack.index["c" * 40].offset + 10]  # as if the payloads were cut short
    with pytest.raises(CorruptEntry, match="outside the pack"):
        pack.payload("c" * 40)


def test_a_pack_of_additions_names_the_pack_it_adds_to():
    base = Pack.parse(packed(), KEY, 2)
    out = io.BytesIO()
    writer = PackWriter(out, KEY, 2, base=base.identity)
    writer.add("d" * 40, b"added later", checksum(b"added later"))
    writer.finish()
    added = Pack.parse(out.getvalue(), KEY, 2)
    assert base.base is None and added.base == base.identity and added.identity != base.identity
    assert bytes(added.payload("d" * 40)) == b"added later" and added.payload_bytes == len(b"added later")
    assert base.payload_bytes == sum(map(len, PAYLOADS.values()))
    other = Pack.parse(packed({"e" * 40: b"another pack"}), KEY, 2)
    assert other.identity != base.identity  # the identity is the index's checksum: other entries, another pack


def test_a_base_that_is_not_a_string_is_corrupt():
    data = packed()
    end = data.rindex(b"\n", 0, len(data) - 1)
    trailer = json.loads(data[end + 1 :])
    trailer["base"] = 7
    with pytest.raises(CorruptPack, match="unreadable trailer"):
        Pack.parse(data[: end + 1] + json.dumps(trailer).encode() + b"\n", KEY, 2)
