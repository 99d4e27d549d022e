"""Extraction: find the entities, definitions and relations each digest item states.

``Extractor.extract(digest)`` turns a Digest into one ItemExtraction per item, through the
spaCy pipeline of ``kg.extract.spacy_pipeline``, then links the short forms of model names the
digest uses (``kg.extract.short_forms``). Pure: no files but the curated data.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import replace

from kg.extract.short_forms import link_short_forms
from kg.extract.spacy_pipeline import build_nlp, doc_sentences
from kg.extract.text import clean_sentence, simplified
from kg.models import AliasLink, Digest, Item, ItemExtraction, Mention, RelationMention


class Extractor:
    """Runs kg's spaCy pipeline over digest items and returns plain data."""

    def __init__(self, gazetteer_path: str | None = None, stopwords_path: str | None = None) -> None:
        self.nlp = build_nlp(gazetteer_path, stopwords_path)
        self._surfaces: dict[str, str] = {}
        """Every surface form seen, once: a corpus names a few thousand things a million times."""

    def extract(self, digest: Digest) -> tuple[ItemExtraction, ...]:
        return link_short_forms([self.extract_item(item) for item in digest.items])

    def extract_item(self, item: Item) -> ItemExtraction:
        text = item.full_text
        mentions: list[Mention] = []
        aliases: list[AliasLink] = []
        relations: list[RelationMention] = []
        for offset, chunk in _chunks(text, CHUNK_CHARACTERS):
            found = self._extract_text(item, chunk, len(item.title) if offset == 0 else 0)
            base = len(mentions)
            if offset == 0 and base == 0:  # the first piece (most items are one): nothing moves
                mentions += found.mentions
                relations += found.relations
            else:
                mentions += [replace(m, start=m.start + offset, end=m.end + offset) for m in found.mentions]
                relations += [r._replace(source=r.source + base, target=r.target + base) for r in found.relations]
            aliases += found.aliases
        return ItemExtraction(item.id, tuple(mentions), tuple(dict.fromkeys(aliases)), tuple(relations))

    def _extract_text(self, item: Item, text: str, title_end: int) -> ItemExtraction:
        matched = simplified(text)  # rules read this; mentions and evidence are cut from ``text``
        doc = self.nlp.make_doc(matched)
        doc.user_data["kg_text"] = matched  # the tokenizer keeps every character, so this is doc.text
        doc._.kg_meta = {"title_end": title_end, "arxiv_ids": item.arxiv_ids, "hf_paper_ids": item.hf_paper_ids}
        for _, component in self.nlp.pipeline:
            doc = component(doc)
        ext = doc._  # spaCy makes a new Underscore on each ``doc._``
        sentences = doc_sentences(doc)
        starts = [s for s, _ in sentences]
        cleaned: dict[tuple[int, int], str] = {}

        def sentence(s: int, e: int) -> str:
            """The evidence sentence text[s:e], cleaned once: mentions and relations of one
            sentence share one string instead of a copy each."""
            found = cleaned.get((s, e))
            if found is None:
                found = cleaned[(s, e)] = clean_sentence(text[s:e])
            return found

        def sentence_at(start: int, end: int) -> str:
            i = bisect_right(starts, start) - 1
            if i >= 0 and start < sentences[i][1]:
                s, e = sentences[i]
                return sentence(s, max(e, end))
            return sentence(start, end)

        surfaces = self._surfaces
        mentions = tuple(
            Mention(
                item_id=item.id,
                start=c.start,
                end=c.end,
                surface=surfaces.setdefault(surface, surface),
                type=c.type,
                source=c.source,
                gazetteer_id=c.gazetteer_id,
                sentence=sentence_at(c.start, c.end),
                arxiv_id=c.arxiv_id,
            )
            for c in ext.kg_mentions or ()
            for surface in (text[c.start : c.end],)
        )
        aliases = []
        for d in ext.kg_definitions or ():
            short = text[d.short[0] : d.short[1]]
            for long in (d.long, d.long_zh):
                if long is not None:
                    aliases.append(AliasLink(item.id, d.type, short, text[long[0] : long[1]]))
            if d.long_zh is not None:
                long_en = text[d.long[0] : d.long[1]]
                aliases.append(AliasLink(item.id, d.type, long_en, text[d.long_zh[0] : d.long_zh[1]]))
        relations = tuple(
            RelationMention(
                type=r.type,
                source=r.source,
                target=r.target,
                item_id=item.id,
                sentence=sentence(*r.sentence),
                score=r.score,
                metric=r.metric,
            )
            for r in ext.kg_relations or ()
        )
        return ItemExtraction(item.id, mentions, tuple(aliases), relations)


CHUNK_CHARACTERS = 100_000
"""Items longer than this are extracted in sentence-aligned pieces, so memory stays bounded."""


def _chunks(text: str, size: int) -> list[tuple[int, str]]:
    """Split ``text`` into pieces of at most ~``size`` characters, cutting after a sentence end."""
    if len(text) <= size:
        return [(0, text)]
    pieces = []
    start = 0
    while start < len(text):
        end = min(len(text), start + size)
        if end < len(text):
            cut = max(text.rfind(ch, start + size // 2, end) for ch in "\n。！？!?；;")
            end = cut + 1 if cut > start else end
        pieces.append((start, text[start:end]))
        start = end
    return pieces
