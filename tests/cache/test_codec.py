"""The cache codec: any digest and extraction survive encode -> marshal -> decode as equal objects."""

import marshal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.cache.codec import CodecError, decode, decode_extractions, encode, encode_extractions
from kg.models import AliasLink, CompactExtraction, Digest, Item, ItemExtraction, Mention, RelationMention

text = st.text(max_size=20)
maybe = st.none() | text
strings = st.lists(text, max_size=3).map(tuple)


@st.composite
def entries(draw):
    n = draw(st.integers(0, 3))
    items = tuple(
        Item(f"d/{i}", i, draw(text), draw(text), draw(st.integers(1, 10**6)), draw(maybe), draw(strings),
             draw(strings), draw(strings), draw(strings), draw(strings))
        for i in range(1, n + 1)
    )
    digest = Digest("d", draw(text), draw(text), draw(text), draw(maybe), "utf-8", "numbered", items, "0" * 64)
    extractions = tuple(
        CompactExtraction.of(ItemExtraction(
            item.id,
            tuple(Mention(item.id, draw(st.integers(0, 99)), draw(st.integers(0, 99)), draw(text), "Model",
                          draw(text), draw(maybe), draw(text), draw(maybe)) for _ in range(draw(st.integers(0, 3)))),
            tuple(AliasLink(item.id, "Model", draw(text), draw(text)) for _ in range(draw(st.integers(0, 2)))),
            tuple(RelationMention("uses", 0, 1, item.id, draw(text), draw(maybe), draw(maybe)) for _ in range(draw(st.integers(0, 2)))),
        ))
        for item in items
    )
    return digest, extractions


def ids(digest):
    return tuple(item.id for item in digest.items)


def round_trip(value):
    return marshal.loads(marshal.dumps(value, 4))


@given(entries())
def test_entries_survive_a_marshal_round_trip(entry):
    digest, extractions = entry
    again = decode(Digest, round_trip(encode(digest)))
    found = decode_extractions(round_trip(encode_extractions(extractions)), ids(digest))
    assert (again, found) == (digest, extractions)
    assert all(type(x.shapes) is tuple and type(x.sentences) is tuple for x in found)
    assert all(type(i.links) is tuple for i in again.items)
    # a named tuple equals a plain one: what comes back must be the class itself
    assert all(type(r) is RelationMention for x in found for r in x.relations)
    assert all(type(a) is AliasLink for x in found for a in x.aliases)


def test_a_relation_row_of_another_length_is_a_codec_error():
    value = list(encode_extractions((CompactExtraction("d/1", (), (), (), (RelationMention("uses", 0, 1, "d/1", "s"),)),)))
    item = list(value[2][0])
    item[4] = (("uses", 0, 1, "d/1"),)  # a field short
    value[2] = (tuple(item),)
    with pytest.raises(CodecError):
        decode_extractions(tuple(value), ("d/1",))


@pytest.mark.parametrize(
    "value",
    [
        None, (), (1, 2), {"a": 1}, [(), (), ()], ((), (), ((),)), ((), (), "xy"), (("not a shape",), (), ()),
        ((), (), (), ()), ((), [], ()),
    ],
)
def test_a_value_of_another_shape_is_a_codec_error(value):
    with pytest.raises(CodecError):
        decode_extractions(value, ())


def test_nested_fields_must_hold_rows():
    digest = Digest("d", "p", "f", "t", None, "utf-8", "x", (Item("d/1", 1, "t", "x", 1),), "0")
    row = list(encode(digest))
    row[7] = ("not a row",)
    with pytest.raises(CodecError):
        decode(Digest, tuple(row))
    row[7] = 7
    with pytest.raises(CodecError):
        decode(Digest, tuple(row))


def test_extractions_must_match_the_digests_items():
    other = CompactExtraction("d/2", (), ())
    with pytest.raises(CodecError, match="do not match"):
        decode_extractions(encode_extractions((other,)), ("d/1",))
    with pytest.raises(CodecError, match="do not match"):  # an item left out
        decode_extractions(encode_extractions((other,)), ("d/1", "d/2"))


SHAPE = ("Model", "GPT-5", None, None, "model-pattern")


@pytest.mark.parametrize(
    "item, reason",
    [
        (("d/1", (1,), (0,), (), ()), "not an encoded object"),  # a mention's shape past the table
        (("d/1", (0,), (1,), (), ()), "not an encoded object"),  # its sentence past the table
        (("d/1", (0, 0), (0,), (), ()), "one sentence per mention"),
    ],
)
def test_mentions_must_point_into_the_entrys_tables(item, reason):
    with pytest.raises(CodecError, match=reason):
        decode_extractions(((SHAPE,), ("GPT-5 发布。",), (item,)), ("d/1",))


def test_an_entry_keeps_each_shape_and_sentence_once():
    sentence = "GPT-5 与 GPT-5 mini 同日发布。"
    one = CompactExtraction("d/1", (SHAPE, SHAPE), (sentence, sentence))
    two = CompactExtraction("d/2", (SHAPE,), ("另一句。",))
    shapes, sentences, items = encode_extractions((one, two))
    assert shapes == (SHAPE,) and sentences == (sentence, "另一句。")
    assert [item[1:3] for item in items] == [((0, 0), (0, 0)), ((0,), (1,))]
    assert decode_extractions(encode_extractions((one, two)), ("d/1", "d/2")) == (one, two)
