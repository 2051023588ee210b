"""Language identification with py3langid, used conservatively.

onrecord reads English only.  How a text is judged depends on its length:

- under :data:`MIN_IDENTIFY` characters nothing can be told: the text is read as English,
  with a note that its language was not checked;
- from :data:`MIN_CHARS` characters on, the identifier alone is trusted: a text is refused
  when English is all but ruled out;
- in between (a sentence or two) the identifier is right about a plain foreign sentence
  but also takes English full of foreign names ("Fête de la Musique draws crowds in
  Montréal.") for French.  A short text is refused only when the identifier is sure and
  the text's own small words agree: at least two function words of that language outside
  names (or mostly a script other than Latin), and no English ones.  A short text the
  identifier doubts is read as English with a note saying so.
"""

from __future__ import annotations

import re
import threading

# From this many characters on the identifier is trusted on its own.
MIN_CHARS = 200
# Below this many characters the language is not identified at all.
MIN_IDENTIFY = 20
# A text is refused when the probability that it is English is below this.
MAX_ENGLISH_P = 0.01
# A short text is refused only if the identifier gives its language at least this.
MIN_SHORT_P = 0.9
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
    "hr": "Croatian",
    "hu": "Hungarian",
    "id": "Indonesian",
    "is": "Icelandic",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "la": "Latin",
    "nl": "Dutch",
    "nb": "Norwegian",
    "nn": "Norwegian",
    "no": "Norwegian",
    "pl": "Polish",
    "pt": "Portuguese",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sr": "Serbian",
    "sv": "Swedish",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "vi": "Vietnamese",
    "zh": "Chinese",
}

# Small words that English never uses as words of its own (so not "a", "in", "die", "no").
_FUNCTION_WORDS = {
    "fr": "le la les un une des du au aux et est sont que qui dans pour pas sur avec ce cette "
    "il elle ils nous vous leur par ont été être mais ou à où selon après lors déclaré a",
    "de": "der die das den dem des ein eine einen einem einer und ist sind nicht mit zu von "
    "sich auf für hat haben wird wurde auch nach bei aus im am zum zur dass es er sie wir "
    "sagte noch nur über vor",
    "es": "el la los las un una unos unas del y que en por con para es son se lo al su sus "
    "más como pero fue ha han está según dijo ayer este esta",
    "it": "il lo la gli le un una del della dei delle che di è e per con non sono ha hanno "
    "nel nella alla al dal come ma anche",
    "pt": "o os a as um uma do da dos das que de em no na nos nas por para com não é são "
    "foi ao pelo pela mais como mas disse",
    "nl": "de het een en van is zijn niet met op voor aan dat die er ook bij naar werd heeft "
    "hebben maar zei",
}
_FUNCTION = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_ENGLISH = frozenset(
    "the of and to are were for with that this said says would has have had from by its "
    "it at be been not but after who which their they she we you".split()
)
# Lower-case particles inside names: "Fête de la Musique", "Ursula von der Leyen".
_PARTICLES = frozenset(
    "de la le les du des del della di da dos das do van von der den ter zu y e el al bin".split()
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


_loading = threading.Lock()
_model = None


def _identifier():
    """The language model, loaded once.  Under a lock: `preload` may be loading it on
    another thread, and a second load would cost what preloading saves."""
    global _model
    if _model is None:
        with _loading:
            if _model is None:
                _model = _load_identifier()
    return _model


def _load_identifier():
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def preload() -> None:
    """Start loading the language model on a thread of its own.  Most of its 0.4 s is
    LZMA decompression, which releases the interpreter lock, so it runs while the
    caller imports and loads spaCy instead of after: a shorter wait for the first
    result of a command."""
    if _model is not None:
        return
    threading.Thread(target=_identifier, name="onrecord-langid", daemon=True).start()


def identify(text: str) -> tuple[str, float, float]:
    """(most likely language, its probability, probability of English)."""
    ranked = _identifier().rank(text[:SAMPLE_CHARS])
    best, p = ranked[0]
    english = next((q for lang, q in ranked if lang == "en"), 0.0)
    return best, float(p), float(english)


def name(code: str) -> str:
    return NAMES.get(code, f"language {code!r}")


def _small_words(text: str) -> tuple[list[str], int]:
    """The words of ``text`` that are not names, lower-cased, and the number of words.

    A capitalised word is a name unless it starts a sentence; a particle ("de", "von") is
    part of a name when names stand on both sides of it.
    """
    found = list(_WORD.finditer(text))
    words = []
    for i, m in enumerate(found):
        before = text[found[i - 1].end() : m.start()] if i else "."
        initial = any(c in before for c in '.!?:;«"“')
        words.append((m.group(), initial))
    out = []
    for i, (word, initial) in enumerate(words):
        if word[0].isupper() and not initial:
            continue
        if word in _PARTICLES:
            prev = next((w for w, _ in reversed(words[:i]) if w not in _PARTICLES), "")
            nxt = next((w for w, _ in words[i + 1 :] if w not in _PARTICLES), "")
            if prev[:1].isupper() and nxt[:1].isupper():
                continue  # inside a name
        out.append(word.lower())
    return out, len(words)


def _mostly_other_script(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    latin = sum(1 for c in letters if c < "\u0250")
    return bool(letters) and latin < len(letters) / 2


def _confirmed(text: str, lang: str, p: float) -> bool:
    """Whether the words of a short text agree that it is in ``lang``, not English."""
    if _mostly_other_script(text):
        return True
    words, total = _small_words(text)
    if any(w in _ENGLISH for w in words):
        return False
    function = _FUNCTION.get(lang)
    if function is not None:
        return sum(1 for w in words if w in function) >= 2
    # A language without a list: a sure identifier, and a text mostly of small words,
    # not an English headline of foreign names ("Nguyễn Xuân Phúc visits Hà Nội.").
    return p >= 0.99 and len(words) >= 4 and len(words) >= 0.6 * total


def check_language(text: str) -> tuple[str | None, str | None]:
    """``(refusal, note)``: the reason to refuse ``text`` as not English, else None; and
    a note for the record when its language could not be told for sure, else None."""
    sample = text.strip()
    n = len(sample)
    if n < MIN_IDENTIFY:
        return None, f"language not checked: text too short to identify ({n} characters)"
    best, p, english = identify(sample)
    if best == "en":
        return None, None
    refusal = f"not English (looks like {name(best)}, p={p:.2f})"
    if n >= MIN_CHARS:
        return (refusal if english < MAX_ENGLISH_P else None), None
    if english < MAX_ENGLISH_P and p >= MIN_SHORT_P and _confirmed(sample, best, p):
        return refusal, None
    return None, (
        f"language uncertain: text too short to be sure it is English ({n} characters; "
        f"it may be {name(best)}, p={p:.2f})"
    )


def check_english(text: str) -> str | None:
    """``None`` if ``text`` may be read as English, else the reason to refuse it."""
    return check_language(text)[0]
