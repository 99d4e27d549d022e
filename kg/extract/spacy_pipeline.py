"""The spaCy pipeline: a mixed Chinese/English tokenizer and kg's registered components.

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.mixed_tokenizer.v2"}}})
    nlp.add_pipe("kg_gazetteer")   # curated names (Aho-Corasick)        -> doc._.kg_candidates
    nlp.add_pipe("kg_patterns")    # shapes, definitions, orgs, papers   -> doc._.kg_candidates
    nlp.add_pipe("kg_mentions")    # settle overlaps, drop generic words -> doc.spans["kg_mentions"]
    nlp.add_pipe("kg_relations")   # typed relations per sentence       -> doc._.kg_relations

No statistical model is loaded: the official Chinese pipelines cannot be installed offline, and
the names digests use are better found by curated lists and rules over raw characters.
The components work on character offsets (``Candidate`` objects in ``doc._``), so tokens only
need to be coarse: a run of Han characters is one token, and a candidate's edges are checked
on characters (``on_word_edges``). ``doc.spans["kg_mentions"]`` holds each chosen mention as
the tokens it covers; the far more numerous candidates stay plain data, as no one reads them
as spans (a Span per candidate cost more than most rules).
"""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import chain
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.extract.gazetteer import Gazetteer, GazetteerEntry, hyphen_joined, load_gazetteer, load_stopwords
from kg.extract.rules.base import Candidate, Definition, Occupied
from kg.extract.rules.definitions import find_definitions
from kg.extract.rules.names import (
    DATA_WORDS,
    find_bold_names,
    find_bracket_tiers,
    find_camel_names,
    find_cued_names,
    find_defined_terms,
    find_family_versions,
    find_named_as,
    find_scored_names,
    find_shaped_names,
    has_benchmark_tail,
)
from kg.extract.rules.benchmarks import find_result_benchmarks
from kg.extract.rules.lists import find_list_members
from kg.extract.rules.organizations import find_org_mentions
from kg.extract.rules.papers import find_papers, paper_short_name
from kg.extract.rules.retype import settle_item_types
from kg.extract.relations import FoundRelation, find_relations
from kg.extract.tables import maker_cells
from kg.extract.text import HAN, fold, on_word_edges, sentence_spans
from kg.resolve.normalize import identity_key

MENTIONS = "kg_mentions"
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()（）\[\]\"'，。、]+|\b[\w.-]+\.(?:pdf|html?|png|jpe?g)\b", re.I)
"""Links and file names: names inside them (URL slugs) are not mentions."""
_LICENSE_HINT = re.compile(r"协议|许可|[Ll]icen[sc]e")
_LICENSE_AFTER = re.compile(r"[ \t]*(?:开源)?(?:协议|许可证?|[Ll]icen[sc]e)")
"""After a name: it names a licence ("以 MIT 协议开放", "MIT License"), not the institute."""
_SCORE_HINT = re.compile(r"\d")
"""A text with no digit scores nothing: the scored-name rule need not read it."""
_URL_HINT = re.compile(r"https?://|www\.|\.(?:pdf|html?|png|jpe?g)\b", re.I)
"""What every ``_URL`` match holds. Its second branch backtracks through every word (a Han run
is one ``\\w+``), so the full scan runs only on the fifth of items with a hint (0.27 s -> 0.1 s at 10x)."""
_TOKEN = re.compile(rf"([A-Za-z0-9]+|[{HAN}]|[^\s])( ?)|(\s+)")
_COARSE_TOKEN = re.compile(rf"([A-Za-z0-9]+|[{HAN}]+|[^\s])( ?)|(\s+)")
"""A word and the one space after it, if any (spaCy's trailing whitespace); or a run of other
whitespace, which is a token of its own."""

for _name in ("kg_definitions", "kg_relations", "kg_meta", "kg_candidates", "kg_mentions"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once: spaCy rebuilds it from every token on each access."""
    cached = doc.user_data.get("kg_text")
    if cached is None:
        cached = doc.user_data["kg_text"] = doc.text
    return cached


def doc_sentences(doc: Doc) -> list[tuple[int, int]]:
    """``sentence_spans(doc_text(doc))``, split once per Doc."""
    cached = doc.user_data.get("kg_sentences")
    if cached is None:
        cached = doc.user_data["kg_sentences"] = sentence_spans(doc_text(doc))
    return cached


class MixedTokenizer:
    """One token per Latin word or number, per Han character and per other symbol.

    Han text has no spaces, so a character is the only unit every name boundary falls on;
    English words stay whole (unlike the ``char`` segmenter, which splits them into letters).
    ``coarse=True`` (``kg.mixed_tokenizer.v2``, the pipeline's) makes a run of Han characters
    one token instead: a third as many tokens, and the same edges for the components, which
    check them on characters.
    """

    def __init__(self, vocab: Vocab, coarse: bool = False) -> None:
        self.vocab = vocab
        self.pattern = _COARSE_TOKEN if coarse else _TOKEN

    def __call__(self, text: str) -> Doc:
        found = self.pattern.findall(text)
        words = [word or blank for word, _, blank in found]
        spaces = [space == " " for _, space, _ in found]
        return Doc(self.vocab, words=words, spaces=spaces)

    def to_disk(self, *_: Any, **__: Any) -> None:  # nothing to save: the tokenizer is rule-only
        return None

    def from_disk(self, *_: Any, **__: Any) -> MixedTokenizer:
        return self


@spacy.registry.tokenizers("kg.mixed_tokenizer.v1")
def create_mixed_tokenizer() -> Any:
    def make(nlp: Language) -> MixedTokenizer:
        return MixedTokenizer(nlp.vocab)

    return make


@spacy.registry.tokenizers("kg.mixed_tokenizer.v2")
def create_coarse_mixed_tokenizer() -> Any:
    def make(nlp: Language) -> MixedTokenizer:
        return MixedTokenizer(nlp.vocab, coarse=True)

    return make


_EDITION = re.compile(
    r"[ \-]?(?:(?:(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.? )?(?:19|20)\d\d|[vV]\d+(?:\.\d+)*|\d(?:\.\d+)?)"
    r"(?![\d.%％分]|\s?(?:分|%|points?))(?![A-Za-z0-9])"
)
"""An edition after a known benchmark: a year, with its month or not (HMMT Feb 2025), or a version."""


def extend_known_benchmarks(text: str, benchmarks: list[Candidate]) -> list[Candidate]:
    """A curated benchmark followed by a year or version names that edition (HMMT 2025, ARC-AGI v1)."""
    found = []
    for c in benchmarks:
        m = _EDITION.match(text, c.end)
        if m:
            found.append(Candidate(c.start, m.end(), "Benchmark", "bench-edition", priority=3))
    return found


_VENUE_NAME = re.compile(r"\b(?:conference|symposium|workshop)\b|会议", re.I)
_VENUE_EDITION = re.compile(r"[ \-]?(?:'\d\d|(?:19|20)\d\d)(?![\d%％])")


def is_venue(entry: GazetteerEntry | None) -> bool:
    """A curated organization that is a conference (its long name says so)."""
    return entry is not None and entry.type == "Organization" and any(_VENUE_NAME.search(n) for n in entry.names)


def extend_known_venues(text: str, venues: list[Candidate]) -> list[Candidate]:
    """A conference followed by a year names that edition (ICLR 2026, ICML'25): an event, which
    a digest tags a paper with, rather than the organization acting."""
    found = []
    for c in venues:
        m = _VENUE_EDITION.match(text, c.end)
        if m:
            found.append(Candidate(c.start, m.end(), "Organization", "venue-edition", priority=3))
    return found


def _add_candidates(doc: Doc, candidates: list[Candidate]) -> None:
    """Keep the candidates that fall on word edges, in ``doc._.kg_candidates``.

    The data lives in Candidate objects, not in Span extensions: spaCy keys a span's extension
    values by its offsets and label, so two rules naming the same characters would share them.
    """
    text = doc_text(doc)
    kept = [c for c in candidates if on_word_edges(text, c.start, c.end)]  # else the rule erred
    ext = doc._  # one Underscore per use: spaCy makes a new one on each ``doc._``
    ext.kg_candidates = [*(ext.kg_candidates or ()), *kept]


def _span(doc: Doc, c: Candidate) -> Any:
    """The tokens that hold candidate ``c`` (a Han run is one token: the span may be wider)."""
    return doc.char_span(c.start, c.end, label=c.type, kb_id=c.gazetteer_id or "", alignment_mode="expand")


@Language.factory("kg_gazetteer", default_config={"path": None}, assigns=["doc._.kg_candidates"])
def make_gazetteer_component(nlp: Language, name: str, path: str | None) -> Any:
    gazetteer = load_gazetteer(path)

    def component(doc: Doc) -> Doc:
        text = doc_text(doc)
        folded = doc.user_data["kg_folded"] = fold(text)
        matches = gazetteer.find(text, folded, joined=True)
        candidates = []
        for m in matches:
            if text[m.end : m.end + 1] == "+" and m.end - m.start >= 3 and m.entry.type != "Organization":
                # "REINFORCE++", "DPO+": a method of its own, after the known one ("AI+" is a slogan)
                plus = _PLUSES.match(text, m.end)
                if plus is not None:
                    candidates.append(Candidate(m.start, plus.end(), m.entry.type, "gazetteer-joined", priority=3))
                continue
            if text[m.end : m.end + 1] != "-" and text[m.start - 1 : m.start] != "-":  # most matches
                candidates.append(Candidate(m.start, m.end, m.entry.type, "gazetteer", m.entry.id, priority=3))
                continue
            start, end = _joined_token(text, m.start, m.end)
            if (start, end) == (m.start, m.end):
                if hyphen_joined(folded, m.start, m.end):
                    continue  # "GPT-4-turbo" is not GPT-4, and not a name joined as curated ones are
                candidates.append(Candidate(m.start, m.end, m.entry.type, "gazetteer", m.entry.id, priority=3))
            elif m.entry.type != "Organization":  # "Meta-Agent", "DeepSeek-V3": not the organization
                parts = text[start:end].split("-")
                last = parts[-1]
                sized = any(_SIZE.fullmatch(part) for part in parts)  # "Qwen2.5-7B-Instruct-1M": a model, 1M its context
                type_ = "Model" if sized else "Benchmark" if _COUNT.fullmatch(last) else m.entry.type
                if has_benchmark_tail(text[start:end]) or any(p.lower() in DATA_WORDS for p in parts[1:]):
                    type_ = "Benchmark"  # "Step-Video-T2V-Eval", "OLMo-Mix-1124": data named for the model
                if type_ == "Technique" and _DEPTH.fullmatch(last):
                    type_ = "Model"
                candidates.append(Candidate(start, end, type_, "gazetteer-joined", priority=2))
        _add_candidates(doc, candidates)
        return doc

    return component


_PLUSES = re.compile(r"\+{1,2}(?![\w+])")
_JOINED_AFTER = re.compile(r"(?:-[A-Z0-9][A-Za-z0-9]*(?:\.\d+[A-Za-z]*)*|-(?:high|medium|low|base|large|small|tiny|huge)(?=[^A-Za-z0-9\-]|$))+(?![A-Za-z0-9\-])")
"""The parts a curated name is joined to: ``-V2``, ``-Qwen3``, ``-0.6B``, ``-V2.5``, and in lower case
a reasoning effort or a size word (``o3-mini-high``, ``SAM-base``, ``CLIP-large``)."""
_JOINED_BEFORE = re.compile(r"(?<![A-Za-z0-9.\-_/])[A-Za-z0-9][A-Za-z0-9.\-]*-$")
_JOINED_SIZED = re.compile(r"(?:-[a-z][a-z0-9]*){1,2}-\d+(?:\.\d+)?[Bb](?![A-Za-z0-9\-])")
"""Lower-case words joined before a parameter count (``-safeguard-120b``): still one model's name."""
_SIZE = re.compile(r"\d+(?:\.\d+)?[Bb]")
"""A joined token ending in a parameter count is a model (RLVR-8B) ..."""
_COUNT = re.compile(r"\d+(?:\.\d+)?[KkM]")
"""... and one ending in an item count a dataset (DAPO-Math-17k, SwimBird-SFT-92K)."""
_DEPTH = re.compile(r"\d{2,3}")
"""A curated method joined to a layer count is a network, so a model (ResNet-50, VGG-16; not EAGLE-3)."""


def _joined_token(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole hyphenated token a curated name begins or ends (EAGLE-3, Hunyuan-GameCraft,
    LongCat-Flash-Omni, gte-Qwen2): a longer name of the same kind, which the list does not hold."""
    if text[end : end + 1] == "-":
        joined = _JOINED_AFTER.match(text, end)
        sized = _JOINED_SIZED.match(text, end)
        if sized is not None and (joined is None or sized.end() > joined.end()):
            joined = sized  # gpt-oss-safeguard-120b: a lower-case word before a size
        if joined is not None:
            end = joined.end()
    if start > 1 and text[start - 1] == "-":
        joined = _JOINED_BEFORE.search(text, max(0, start - 40), start)
        if joined is not None:
            start = joined.start()
    return start, end


@Language.factory(
    "kg_patterns",
    default_config={"gazetteer_path": None, "stopwords_path": None},
    assigns=["doc._.kg_candidates", "doc._.kg_definitions"],
)
def make_patterns_component(nlp: Language, name: str, gazetteer_path: str | None, stopwords_path: str | None) -> Any:
    gazetteer = load_gazetteer(gazetteer_path)
    stopwords = load_stopwords(stopwords_path)
    venues = frozenset(e.id for e in gazetteer.entries if is_venue(e))

    def component(doc: Doc) -> Doc:
        text = doc_text(doc)
        ext = doc._
        meta = ext.kg_meta or {}
        title_end = meta.get("title_end", 0)
        definition_candidates, definitions = find_definitions(text, stopwords, gazetteer)
        candidates = definition_candidates
        known = ext.kg_candidates or ()
        candidates += extend_known_benchmarks(text, [c for c in known if c.type == "Benchmark"])
        candidates += extend_known_venues(text, [c for c in known if c.gazetteer_id in venues])
        known_models = [(c.start, c.end) for c in known if c.type == "Model"]
        candidates += find_family_versions(text, known_models)
        candidates += find_bracket_tiers(text, known_models)
        candidates += find_shaped_names(text, gazetteer, stopwords)
        folded = doc.user_data.get("kg_folded") or fold(text)
        candidates += find_org_mentions(text, title_end, gazetteer, stopwords, folded)
        if " | " in text:  # a maker column's cell naming nothing kg knows names an organization
            named = Occupied(len(text), [(c.start, c.end) for c in chain(known, candidates)])
            candidates += [
                Candidate(a, b, "Organization", "table-maker", priority=1)
                for a, b in maker_cells(text)
                if not named.overlaps(a, b) and identity_key(text[a:b]) not in stopwords
            ]
        candidates += find_named_as(text, stopwords)
        papers = find_papers(text, title_end, meta.get("arxiv_ids", ()), meta.get("hf_paper_ids", ()))
        candidates += papers
        for paper in papers:
            short = paper_short_name(text, paper)
            if short is not None:
                candidates.append(short)
        taken = Occupied(len(text), [(c.start, c.end) for c in known])
        for c in candidates:
            taken.add(c.start, c.end)
        cued = find_cued_names(text, taken, gazetteer, stopwords)
        for c in cued:
            taken.add(c.start, c.end)
        bold = find_bold_names(text, taken, gazetteer, stopwords)
        bold += find_defined_terms(text, taken, stopwords) if "**" in text else []
        for c in bold:
            taken.add(c.start, c.end)
        camel = find_camel_names(text, taken, gazetteer, stopwords)
        results = find_result_benchmarks(text, taken, gazetteer, stopwords)
        candidates += cued + bold + camel + results
        candidates += find_list_members(text, chain(known, candidates), taken, stopwords)
        if _SCORE_HINT.search(text):
            named = [(c.start, c.end) for c in chain(known, candidates)]
            typed = {identity_key(text[a:b]) for a, b in named}
            candidates += find_scored_names(text, Occupied(len(text), named), typed, stopwords)
        _add_candidates(doc, candidates)
        ext.kg_definitions = definitions
        return doc

    return component


_STRUCTURAL = frozenset({"header-org", "affiliation", "from-team", "paper-short-name"})


@Language.factory(
    "kg_mentions",
    default_config={"gazetteer_path": None, "stopwords_path": None},
    requires=["doc._.kg_candidates"],
    assigns=["doc.spans", "doc._.kg_mentions"],
)
def make_mentions_component(nlp: Language, name: str, gazetteer_path: str | None, stopwords_path: str | None) -> Any:
    gazetteer = load_gazetteer(gazetteer_path)
    stopwords = load_stopwords(stopwords_path)

    def component(doc: Doc) -> Doc:
        text = doc_text(doc)
        ext = doc._
        candidates = list(ext.kg_candidates or ())
        links = [m.span() for m in _URL.finditer(text)] if _URL_HINT.search(text) else []
        if links:
            urls = Occupied(len(text), links)
            candidates = [c for c in candidates if c.type == "Paper" or not urls.overlaps(c.start, c.end)]
        if _LICENSE_HINT.search(text):
            candidates = [c for c in candidates if not _LICENSE_AFTER.match(text, c.end)]
        chosen = settle_item_types(select_mentions(candidates, gazetteer, stopwords, text), text, stopwords)
        ext.kg_mentions = chosen
        doc.spans[MENTIONS] = [_span(doc, c) for c in chosen]
        return doc

    return component


def select_mentions(
    candidates: list[Candidate], gazetteer: Gazetteer, stopwords: frozenset[str], text: str
) -> list[Candidate]:
    """Settle overlaps (longest span, then strongest rule), keep papers beside inner names.

    A structural rule (an ``[Org]`` header, an affiliation line, a paper's short name) keeps its
    role when the gazetteer names the same span; the gazetteer then supplies type and id.
    """
    papers = [c for c in candidates if c.type == "Paper"]
    by_span: dict[tuple[int, int], list[Candidate]] = {}
    for c in candidates:
        if c.type != "Paper":
            by_span.setdefault((c.start, c.end), []).append(c)
    merged: list[Candidate] = []
    for group in by_span.values():
        if len(group) == 1:  # most spans: one rule named them, and the merge below keeps it as is
            merged.append(group[0])
            continue
        best = max(group, key=lambda c: (c.priority, c.type == "Model"))
        structural = next((c for c in group if c.source in _STRUCTURAL), None)
        gaz = next((c for c in group if c.gazetteer_id), None)
        type_ = gaz.type if gaz is not None else best.type
        if structural is not None and structural.source == "paper-short-name" and gaz is None:
            type_ = structural.type
        merged.append(
            Candidate(  # dataclasses.replace(best, ...), made directly: this runs per candidate span
                best.start,
                best.end,
                type_,
                structural.source if structural is not None else best.source,
                gaz.gazetteer_id if gaz is not None else None,
                best.arxiv_id,
                max(c.priority for c in group),
            )
        )
    merged.sort(key=lambda c: (-(c.end - c.start), -c.priority, c.start))
    chosen: list[Candidate] = []
    occupied = Occupied(len(text))
    for c in merged:
        if occupied.overlaps(c.start, c.end):
            continue
        surface = text[c.start : c.end]
        key = identity_key(surface)
        if key in stopwords or len(key) < 2 and not c.gazetteer_id:
            continue
        if not c.gazetteer_id:
            entry = gazetteer.lookup(surface, c.type)
            if entry is not None:
                c = replace(c, gazetteer_id=entry.id)
        chosen.append(c)
        occupied.add(c.start, c.end)
    seen_papers: set[tuple[int, int]] = set()
    for p in papers:
        if (p.start, p.end) not in seen_papers:
            seen_papers.add((p.start, p.end))
            chosen.append(p)
    chosen.sort(key=lambda c: (c.start, c.end, c.type))
    return chosen


@Language.factory("kg_relations", requires=["doc._.kg_mentions"], assigns=["doc._.kg_relations"])
def make_relations_component(nlp: Language, name: str) -> Any:
    def component(doc: Doc) -> Doc:
        ext = doc._
        meta = ext.kg_meta or {}
        text = doc_text(doc)
        ext.kg_relations = find_relations(text, ext.kg_mentions or [], doc_sentences(doc), meta.get("title_end", 0))
        return doc

    return component


def build_nlp(gazetteer_path: str | None = None, stopwords_path: str | None = None) -> Language:
    """The blank Chinese pipeline with kg's tokenizer and components, in order."""
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "kg.mixed_tokenizer.v2"}}})
    paths = {"gazetteer_path": gazetteer_path, "stopwords_path": stopwords_path}
    nlp.add_pipe("kg_gazetteer", config={"path": gazetteer_path})
    nlp.add_pipe("kg_patterns", config=paths)
    nlp.add_pipe("kg_mentions", config=paths)
    nlp.add_pipe("kg_relations")
    return nlp


__all__ = ["build_nlp", "MixedTokenizer", "select_mentions", "Definition", "FoundRelation"]
