"""Model-name parsing: ``Qwen3.6-35B-A3B`` -> series, version, size, active, variants, quant, snapshot.

Fuzzy scores merge different versions (GPT-4 / GPT-4o score 90.9), so model identity comes from
these fields instead: two names are one model exactly when every field, numbers included,
agrees (``ModelName.key``). How a name was written (case, spaces or hyphens, field order) does
not matter.

Grammar, on the normalised text: ``SERIES [sep] TOKEN (gap TOKEN)*``. SERIES is a known series
(table below, case-insensitive except for names that are also common words) or, failing that,
a word of two or more letters. Each token is then classified on its own: size (``35B``,
``8x7B``), active parameters (``A3B``), quantisation (``FP8``, ``Q4_K_M``), date snapshot
(``2507``, ``20250219``, ``2024-08-06``), version (``3.6``, ``4o``, ``V3``, ``v0.3``), variant
word (``Instruct``, ``mini``). Words before the first number that are no variant extend the
series (``Llama Guard 3``, ``Doubao-Seed-1.6``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kg.resolve.normalize import has_cjk, match_key, normalize_text

# -- the data model ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelName:
    """A model name split into fields. Equality ignores ``sep`` and ``tail_sep`` (spelling)."""

    series: str
    """The series as displayed: "Qwen", "GPT", "Claude Opus", "gpt-oss", "Llama Guard"."""
    version: str = ""
    """The version as written: "3.6", "4o", "5.1", "V3", "R1", "K2", "v0.3"; "" when none."""
    size: str = ""
    """Parameter count with an upper-case unit: "35B", "1.5B", "8x7B", "500M"; "" when none."""
    active: str = ""
    """Active parameters of a mixture of experts: "A3B"; "" when none."""
    variants: tuple[str, ...] = ()
    """Variant words in the order written: ("Instruct",), ("Distill", "Qwen"), ("mini",)."""
    quant: str = ""
    """Quantisation, several joined by "-": "FP8", "AWQ", "GGUF-Q4_K_M"; "" when none."""
    snapshot: str = ""
    """Date snapshot as written: "2507", "0528", "20250219", "2024-08-06"; "" when none."""
    sep: str = field(default="-", compare=False)
    """How the series met the next part: "" (Qwen3.6), "-" (GPT-5.1), " " (Claude Opus 4.7),
    "." (FLUX.1)."""
    tail_sep: str = field(default="", compare=False)
    """Separator between later parts, "-" or " "; "" means " " after a " " ``sep``, else "-"."""

    @property
    def canonical(self) -> str:
        """A clean display form rebuilt from the fields in the separator style written.

        Order: series, version, line variants (Coder, VL, T2V, Distill-<base>), size, active,
        other variants, quantisation, snapshot: "Qwen3.6-35B-A3B", "Claude Opus 4.7",
        "Llama-3.1-8B-Instruct", "Wan 2.2 TI2V 5B", "DeepSeek-R1-Distill-Qwen-7B".
        """
        line, other = _split_variants(self.variants)
        tail = [p for p in (*line, self.size, self.active, *other, self.quant, self.snapshot) if p]
        if not (self.version or tail):
            return self.series
        tail_sep = self.tail_sep or (" " if self.sep == " " else "-")
        # a multi-word series written with hyphens keeps hyphens throughout ("Claude-Opus-4.7")
        series = self.series.replace(" ", "-") if self.sep == "-" else self.series
        if self.version:
            return tail_sep.join([series + self.sep + self.version, *tail])
        # "" and "." only ever sat before a number; before a word they would glue it to the series
        lead = self.sep if self.sep in ("-", " ") or tail[0][0].isdigit() else tail_sep
        return series + lead + tail_sep.join(tail)

    @property
    def family(self) -> ModelName | None:
        """The name this one is a variant of: series and version when there is more
        (Qwen3.6-35B-A3B -> Qwen3.6), the series alone when there is only a version
        (Qwen3.6 -> Qwen), None for a bare series."""
        if self.size or self.active or self.variants or self.quant or self.snapshot:
            return ModelName(self.series, self.version, sep=self.sep, tail_sep=self.tail_sep)
        if self.version:
            return ModelName(self.series, sep=self.sep, tail_sep=self.tail_sep)
        return None

    @property
    def key(self) -> str:
        """The identity key: equal for two spellings of one model, different whenever any field
        differs ("qwen|3.6|35b|a3b"). Fields sit in fixed positions joined by "|" (empty
        trailing ones trimmed); variants and quantisations are sorted, so order is no identity."""
        fields = (
            match_key(self.series),
            self.version.casefold(),
            self.size.casefold(),
            self.active.casefold(),
            ",".join(sorted(v.casefold() for v in self.variants)),
            ",".join(sorted(q.casefold() for q in self.quant.split("-") if q)),
            re.sub(r"\D", "", self.snapshot),
        )
        return "|".join(fields).rstrip("|")

    def __str__(self) -> str:
        return self.canonical


# -- vocabulary ----------------------------------------------------------------------------

# (spelling, series it names, strict). A strict spelling is also a common word ("Step 3",
# "Phi", "Opus"): it counts only as written here or as an all-lower-case slug without spaces.
_SERIES_TABLE: tuple[tuple[str, str, bool], ...] = (
    *((s, s, False) for s in (
        "Qwen", "QwQ", "QVQ", "GPT", "gpt-oss", "Claude", "Claude Opus", "Claude Sonnet",
        "Claude Haiku", "Gemini", "Gemma", "Llama", "DeepSeek", "Kimi", "GLM", "ChatGLM", "CogVideoX",
        "MiniMax", "AlphaFold", "AlphaGo", "AlphaZero", "Seedream", "Seedance", "Codex", "Mistral",
        "Mistral Small", "Mistral Medium", "Mistral Large", "Mixtral", "Magistral", "Devstral",
        "Codestral", "Ministral", "Pixtral", "InternVL", "InternLM", "MiniCPM", "MiniCPM-V",
        "MiniCPM-o", "Grok", "Veo", "Sora", "Kling", "FLUX", "SDXL", "Stable Diffusion", "ERNIE",
        "Hunyuan", "Doubao", "Baichuan", "Nemotron", "OLMo", "Imagen", "DALL-E",
        "Hailuo", "Vidu", "SmolLM", "Granite",
    )),
    ("o", "o", True),  # OpenAI's o1, o3, o4-mini
    ("Opus", "Claude Opus", True),
    ("Sonnet", "Claude Sonnet", True),
    ("Haiku", "Claude Haiku", True),
    *((s, s, True) for s in ("Wan", "Genie", "Phi", "Step", "Yi", "Seed", "Falcon", "Whisper")),
)

_CLAUDE_TIERS = {"opus": "Opus", "sonnet": "Sonnet", "haiku": "Haiku"}

# Variant words. Line variants name a separate line of the series and render before the size.
_LINE_VARIANTS = (
    "Coder", "Math", "VL", "Vision", "Omni", "Audio", "Distill", "T2V", "I2V", "TI2V", "S2V",
    "Next", "Maverick", "Scout", "Behemoth", "Prover", "Agent",
)
_OTHER_VARIANTS = (
    "Instruct", "Chat", "Thinking", "Base", "Turbo", "Pro", "Flash", "Lite", "mini", "nano", "Max",
    "Plus", "Ultra", "Preview", "Exp", "Experimental", "dev", "schnell", "Kontext", "Large",
    "Medium", "Small", "Air", "AirX", "Heavy", "IT", "Reasoning", "Reasoner", "Instant", "Fast",
    "Realtime", "Zero", "MoE", "Edit", "latest",
)
_VARIANTS = {v.casefold(): v for v in (*_LINE_VARIANTS, *_OTHER_VARIANTS)}
_LINE = frozenset(v.casefold() for v in _LINE_VARIANTS)

_MAX_UNKNOWN_VARIANTS = 3
_MAX_SERIES_WORDS = 3
_MAX_LEN = 80

_SIZE_RE = re.compile(r"(?:\d+x)?\d+(?:\.\d+)?[bmt]", re.I)
_ACTIVE_RE = re.compile(r"a\d+(?:\.\d+)?b", re.I)
_QUANT_RE = re.compile(
    r"(?:fp|bf|int|nf|nvfp|mxfp|q)\d+|awq|gptq|gguf|mlx|exl\d|bnb|w\d+a\d+|(?P<bits>\d+-?bits?)", re.I
)
_VERSION_RE = re.compile(r"v?\d{1,4}(?:\.\d+)*[a-z]?", re.I)
_LETTER_VERSION_RE = re.compile(r"[a-z]\d+(?:\.\d+)*", re.I)
_NUMBER_RE = re.compile(r"\d+")
_CONTEXT_RE = re.compile(r"\d+k", re.I)  # context length: Phi-3-mini-4k-instruct
_TOKEN_RE = re.compile(
    r"""(?P<date>\d{4}-\d{2}-\d{2})(?![0-9A-Za-z])
      | (?P<mmdd>\d{2}-\d{2})\Z
      | (?P<gguf>I?Q\d(?:_[0-9A-Za-z]{1,2}){1,2})(?![0-9A-Za-z])
      | (?P<word>[0-9A-Za-z]+(?:\.[0-9A-Za-z]+)*)""",
    re.I | re.X,
)
_GAP_RE = re.compile(r"[ \-_:\[\]()]*")
_GGUF_FILE_RE = re.compile(r"\.gguf\Z", re.I)
_ALLOWED_RE = re.compile(r"[A-Za-z0-9 ._:\-\[\]()]+")
_GENERIC_SERIES_RE = re.compile(r"[A-Za-z]{2,}")
_CAMEL_RE = re.compile(r"[a-z]?[A-Z][a-z]+(?:[A-Z][a-z]*)*")
"""A series a version may be glued to: Qwen3, DeepSeek3, rStar2 (one lower-case letter before the capital)."""


def _series_pattern(spelling: str) -> re.Pattern[str]:
    words = re.split(r"[ -]", spelling)
    pattern = r"[ _-]?".join(map(re.escape, words))
    # a one-letter series only counts glued to its number (o3, not "o 3")
    return re.compile(pattern + r"(?=\d)" if len(spelling) == 1 else pattern, re.I)


_SERIES_BY_INITIAL: dict[str, list[tuple[re.Pattern[str], str, str, bool]]] = {}
for _spelling, _series, _strict in sorted(_SERIES_TABLE, key=lambda e: -len(e[0])):
    _SERIES_BY_INITIAL.setdefault(_spelling[0].casefold(), []).append(
        (_series_pattern(_spelling), _spelling, _series, _strict)
    )


def _split_variants(variants: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Line variants (and the base model after "Distill") versus the others, order kept."""
    line: list[str] = []
    other: list[str] = []
    after_distill = False
    for v in variants:
        (line if after_distill or v.casefold() in _LINE else other).append(v)
        after_distill = v.casefold() == "distill"
    return line, other


# -- parsing ----------------------------------------------------------------------------------


@lru_cache(maxsize=1 << 16)
def parse_model_name(text: str) -> ModelName | None:
    """Split a model name into its fields, or None when ``text`` is not shaped like one.

    Shaped like one: a series followed by parts of which at least one is numbered (version,
    size or active parameters), or a known series alone ("Qwen"). Plain words, numbers, Chinese
    text, sentences and anything with other punctuation give None. A Hugging Face ``org/``
    prefix is ignored.
    """
    name = _clean(text)
    if name is None:
        return None
    for pattern, spelling, series, strict in _SERIES_BY_INITIAL.get(name[0].casefold(), ()):
        found = pattern.match(name)
        if found is None or not _is_series_end(name, found.end()):
            continue
        written = found.group()
        if strict and written != spelling and not (written.islower() and " " not in name):
            continue
        rest = name[found.end() :]
        if not rest and not strict:
            return ModelName(series)
        parsed = _parse_parts(series, rest, known=True)
        if parsed is not None and len(spelling) == 1 and parsed.sep != "":
            return None  # "o3Claude 0": a one-letter series needs its version glued on
        return parsed
    generic = _GENERIC_SERIES_RE.match(name)
    if generic is None or not _is_series_end(name, generic.end()):
        return None
    series = generic.group()
    glued = generic.end() < len(name) and name[generic.end()].isdigit()
    if _is_reserved_word(series) or (glued and not _CAMEL_RE.fullmatch(series)):
        return None
    if not any(c.isupper() for c in series) and " " in name:
        return None  # lower-case words with spaces read as prose ("step 3"), not as a name
    return _parse_parts(series, name[generic.end() :], known=False)


def _clean(text: str) -> str | None:
    name = normalize_text(text).strip("\"'`").rstrip(".,;:!?").strip()
    name = _GGUF_FILE_RE.sub("-GGUF", name)
    if not name or len(name) > _MAX_LEN or has_cjk(name):
        return None
    if "/" in name:  # "Qwen/Qwen3-8B", the Hugging Face repository form
        org, _, name = name.partition("/")
        if not org or " " in org or "/" in name:
            return None
    return name if _ALLOWED_RE.fullmatch(name) else None


def _is_series_end(name: str, end: int) -> bool:
    """A series ends at the end, a separator, a number, ".<number>" (FLUX.1) or a letter
    version glued on (DeepSeekV3); "Qwenfoo" and "MiniCPM-Vision" hold no series "Qwen",
    "MiniCPM-V"."""
    following = name[end : end + 1]
    if following == ".":
        return name[end + 1 : end + 2].isdigit()
    if not following.isalpha():
        return True
    word = re.match(r"[0-9A-Za-z.]+", name[end:])
    return word is not None and _LETTER_VERSION_RE.fullmatch(word.group()) is not None


def _is_reserved_word(word: str) -> bool:
    low = word.casefold()
    return low in _VARIANTS or _QUANT_RE.fullmatch(low) is not None


def _may_be_variant(token: str, rest: str) -> bool:
    """An unknown word is a variant (Maverick, Terminus, 128E) when it looks like a name, or
    when the whole name is one hyphenated slug; lower-case words in spaced text are prose."""
    return len(token) <= 20 and token.isalnum() and (not token[0].islower() or " " not in rest)


def _version_next(tokens: list[tuple[str, str, str]], start: int) -> bool:
    """Whether the next numbered token from ``start`` on is a version (V2, 1.5), not a size."""
    for _, kind, token in tokens[start:]:
        if _SIZE_RE.fullmatch(token) or _ACTIVE_RE.fullmatch(token) or kind in ("date", "mmdd"):
            return False
        if _VERSION_RE.fullmatch(token) or _LETTER_VERSION_RE.fullmatch(token):
            return True
    return False


def _is_slug_suffix(token: str, size: str, rest: str) -> bool:
    """A short capitalised tag after the size of a hyphenated name the series list does not know
    (Light-R1-14B-DS): a variant, as it would be after a known series."""
    return bool(size) and " " not in rest and len(token) <= 4 and token.isupper()


def _is_claude_minor(series: str, version: str, previous: str, token: str) -> bool:
    """Anthropic's API ids write 3.5 as 3-5 (claude-3-5-sonnet, claude-opus-4-1-20250805)."""
    return (
        series.startswith("Claude")
        and previous == version
        and version.isdigit()
        and len(token) == 1
        and token.isdigit()
    )


def _gap_style(gap: str) -> str:
    if gap in ("", "."):
        return gap
    return " " if " " in gap and not any(c in gap for c in "-_:") else "-"


def _tokens(rest: str) -> list[tuple[str, str, str]] | None:
    """(separator before, kind, text) for each token of ``rest``, or None for a bad separator."""
    tokens: list[tuple[str, str, str]] = []
    pos = 0
    for found in _TOKEN_RE.finditer(rest):
        gap = rest[pos : found.start()]
        if not (_GAP_RE.fullmatch(gap) or (gap == "." and not tokens and rest[found.start()].isdigit())):
            return None
        tokens.append((gap, found.lastgroup or "word", found.group()))
        pos = found.end()
    return tokens if _GAP_RE.fullmatch(rest[pos:]) else None


def _separator_style(gaps: list[tuple[str, bool]]) -> tuple[str, str]:
    """``sep``: the separator before the version, else before the first part; ``tail_sep``:
    the first later "-" or " " (a glued "" or "." only ever precedes a number)."""
    version_gaps = [style for style, is_version in gaps if is_version]
    others = [style for style, is_version in gaps if not is_version]
    sep, later = (version_gaps[0], others) if version_gaps else (others[0], others[1:])
    return sep, next((style for style in later if style in ("-", " ")), "")


_FOUR_DIGITS = re.compile(r"\d{4}")


def _parse_parts(series: str, rest: str, *, known: bool) -> ModelName | None:
    """Classify the tokens after the series; None when one fits nowhere or nothing is numbered."""
    tokens = _tokens(rest)
    if tokens is None:
        return None
    version = size = active = snapshot = ""
    variants: list[str] = []
    quants: list[str] = []
    unknown = 0
    gaps: list[tuple[str, bool]] = []  # (separator style, is the version) per part written
    extending = True  # words may still join the series
    previous = ""
    for at, (gap, kind, token) in enumerate(tokens):
        low = token.casefold()
        numbered = bool(version or size or active)
        role = "part"
        if known and extending and not numbered and low in _LINE and _version_next(tokens, at + 1):
            # a line written before the version belongs to the series: DeepSeek-Prover-V2 is of
            # the DeepSeek-Prover line, not a Prover of DeepSeek-V2 (Qwen2.5-Coder, after it, is)
            series += _gap_style(gap) + token
            continue
        if kind == "date" or kind == "mmdd":
            if snapshot or (kind == "mmdd" and (not numbered or _FOUR_DIGITS.fullmatch(previous))):
                return None  # "…2507-05-06" would read back as one date: no name is written so
            snapshot = token
        elif kind == "gguf":
            quants.append(token.upper())
        elif _is_claude_minor(series, version, previous, token):
            version += "." + token
            role = "merged"
        elif _SIZE_RE.fullmatch(token):
            if size:
                return None
            size = token[:-1].lower() + token[-1].upper()
        elif _ACTIVE_RE.fullmatch(token):
            if active:
                return None
            active = token.upper()
        elif quant := _QUANT_RE.fullmatch(token):
            quants.append(token.lower() if quant.group("bits") else token.upper())
        elif _NUMBER_RE.fullmatch(token) and (len(token) in (6, 8) or len(token) == 4 and numbered):
            if snapshot:
                return None
            snapshot = token
        elif not version and (_VERSION_RE.fullmatch(token) or _LETTER_VERSION_RE.fullmatch(token)):
            version, role = token, "version"
        elif _CONTEXT_RE.fullmatch(token):
            variants.append(low)
        elif _VERSION_RE.fullmatch(token):
            return None  # a second version ("GPT-4 and GPT-4o"): which one is meant is unclear
        elif series.startswith("Claude") and low in _CLAUDE_TIERS:
            if series != "Claude":
                return None
            series, role = f"Claude {_CLAUDE_TIERS[low]}", "merged"
        elif low in _VARIANTS:
            variants.append(_VARIANTS[low])
        elif extending and token.isalpha() and len(re.split(r"[ -]", series)) < _MAX_SERIES_WORDS:
            series += _gap_style(gap) + token
            role = "series"
        elif (known or _is_slug_suffix(token, size, rest)) and unknown < _MAX_UNKNOWN_VARIANTS and _may_be_variant(token, rest):
            variants.append(token)
            unknown += 1
        else:
            return None
        if role == "series":
            continue
        extending = False
        if role != "merged":
            gaps.append((_gap_style(gap), role == "version"))
            previous = token
    if not (version or size or active):
        return None
    sep, tail_sep = _separator_style(gaps)
    return ModelName(
        series=series,
        version=version,
        size=size,
        active=active,
        variants=tuple(variants),
        quant="-".join(quants),
        snapshot=snapshot,
        sep=sep,
        tail_sep=tail_sep,
    )


_KNOWN_SERIES = frozenset(series for _, series, _ in _SERIES_TABLE)


def of_known_series(name: str) -> bool:
    """True for a model name of a series the table above knows (``Qwen2.5-Math``, ``Claude Opus 4``)."""
    parsed = parse_model_name(name)
    return parsed is not None and parsed.series in _KNOWN_SERIES


def is_variant_word(word: str) -> bool:
    """True for a word that names a model variant (``Instruct``, ``mini``, ``VL``, ``TI2V``)."""
    return word.casefold() in _VARIANTS


_SHORT_FORM_RE = re.compile(r"[A-Za-z]{1,3}[ \-]?\d+(?:\.\d+)*")


def is_short_model_form(surface: str) -> bool:
    """A letter or three and a version number ("ER 1.5", "V3.1", "N1"): how a digest goes on
    naming a model after giving its whole name (kg.extract.short_forms)."""
    return _SHORT_FORM_RE.fullmatch(surface.strip()) is not None
