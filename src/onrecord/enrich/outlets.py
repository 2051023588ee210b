"""Outlets by their names: whether a name says a news outlet, printed or broadcast,
and whether two names are one outlet's.  The channel and the relay read them."""

from __future__ import annotations

from ..names import KNOWN_MEDIA, MEDIA_WORDS, fold_name

# Outlets that broadcast: "told Fox News" is a channel only, where "told the Ledger" in
# another publisher's article is also how the article came to know it (a relay).
BROADCAST_WORDS = frozenset(
    """cnn fox msnbc nbc cbs abc bbc npr pbs cnbc sky itv cbc rt ruptly c-span cspan
    radio tv television channel network broadcaster broadcasting nhk""".split()
)
# Words in the names of print and online outlets besides the publishers' words every
# stage knows (names.MEDIA_WORDS, names.KNOWN_MEDIA): only such an outlet, told
# something, is how another publisher came to know it ("told the Ledger", "told
# Polygraph.info").
PRINT_WORDS = (
    MEDIA_WORDS
    | KNOWN_MEDIA
    | frozenset(
        """reporter leader insider review guardian independent economist atlantic vox
        verge wired slate salon buzzfeed huffpost variety deadline tmz politifact
        examiner inquirer register standard monitor dispatch bulletin globe""".split()
    )
)


def is_print_outlet(name: str) -> bool:
    """The outlet publishes in print or online ("the Ledger", "Business Insider",
    "Polygraph.info"), by the words of its name."""
    low = name.lower().replace("’s", " ").replace("'s", " ")
    words = low.replace(".", " . ").split()
    domain = any(tld in low for tld in (".com", ".info", ".org", ".net", ".co.uk"))
    return domain or any(w in PRINT_WORDS for w in words)


def same_outlet(a: str, b: str) -> bool:
    """Two names of one outlet: the words of one are all in the other ("The Hollywood
    Reporter" and "Hollywood Reporter", "Business Insider Deutschland" and "Business
    Insider")."""
    wa, wb = (set(fold_name(x).split()) - {"the"} for x in (a, b))
    return bool(wa and wb) and (wa <= wb or wb <= wa)


def is_broadcaster(name: str) -> bool:
    """The outlet broadcasts ("Fox News", "Baltic Radio", "CBS News")."""
    return any(w in BROADCAST_WORDS for w in name.lower().replace("’s", " ").split())


def is_outlet_name(name: str) -> bool:
    """The name says a news outlet: print, online or broadcast."""
    return is_print_outlet(name) or is_broadcaster(name)
