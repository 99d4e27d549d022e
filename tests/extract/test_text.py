"""``fold`` and ``simplified``: the length-preserving copies the rules match on, made quickly."""

from hypothesis import given
from hypothesis import strategies as st

from kg.extract.text import _simplified_table, fold, fold_table, simplified

_EVERY_CHARACTER = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)


def _by_the_table(text: str) -> str:
    return text.translate(fold_table())


def test_fold_maps_every_character_as_its_table_says():
    assert fold(_EVERY_CHARACTER) == _by_the_table(_EVERY_CHARACTER)


def test_fold_maps_the_basic_plane_and_emoji_as_its_table_says():
    text = _EVERY_CHARACTER[: 0x10000 - 0x800] + "🔥 模型 😀"
    assert fold(text) == _by_the_table(text)


def test_traditional_characters_of_the_cjk_extensions_are_folded():
    extension = [chr(c) for c in fold_table() if c >= 0x20000]
    assert extension, "the table holds Traditional characters past the basic plane"
    text = "GPT-4 " + "".join(extension) + " 🔥"
    assert fold(text) == _by_the_table(text) != text.lower()


@given(st.text())
def test_fold_keeps_the_length_and_agrees_with_the_table(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == _by_the_table(text)


def test_a_text_with_any_traditional_only_character_is_made_simplified():
    traditional, table = _simplified_table()
    assert any(ord(c) >= 0x20000 for c in traditional), "some are past the basic plane"
    for c in sorted(traditional):
        text = f"GPT-4 {c} 模型 🔥"
        assert simplified(text) == text.translate(table) != text, c


def test_a_text_with_no_traditional_only_character_is_returned_as_it_is():
    traditional, _ = _simplified_table()
    text = "".join(c for c in _EVERY_CHARACTER if c not in traditional)
    assert simplified(text) is text
