"""Language identification with py3langid, used conservatively.

onrecord reads English only.  A text is refused as not English only when it is long enough
for the identifier to be reliable and English is all but ruled out; everything else is
read as English.
"""

from __future__ import annotations

from functools import lru_cache

# Below this many characters the identifier is not trusted to refuse a text.
MIN_CHARS = 200
# A text is refused when the probability that it is English is below this.
MAX_ENGLISH_P = 0.01
# Enough text to decide; identification of the rest would only cost time.
SAMPLE_CHARS = 20_000

NAMES = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "ca": "Catalan",
    "cs": "Czech",
    "da": "Danish",
    "de": "German",
    "el": "Greek",
    "es": "Spanish",
    "fa": "Persian",
    "fi": "Finnish",
    "fr": "French",
    "he": "Hebrew",
    "hi": "Hindi",
    "hu": "Hungarian",
    "id": "Indonesian",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "la": "Latin",
    "nl": "Dutch",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def identify(text: str) -> tuple[str, float, float]:
    """(most likely language, its probability, probability of English)."""
    ranked = _identifier().rank(text[:SAMPLE_CHARS])
    best, p = ranked[0]
    english = next((q for lang, q in ranked if lang == "en"), 0.0)
    return best, float(p), float(english)


def name(code: str) -> str:
    return NAMES.get(code, f"language {code!r}")


def check_english(text: str) -> str | None:
    """``None`` if ``text`` may be read as English, else the reason to refuse it.

    Short texts are never refused: they are read as English.
    """
    sample = text.strip()
    if len(sample) < MIN_CHARS:
        return None
    best, p, english = identify(sample)
    if best != "en" and english < MAX_ENGLISH_P:
        return f"not English (looks like {name(best)}, p={p:.2f})"
    return None
