"""Reading the statement database: search, speakers, one statement, export.

Every function takes an open :class:`~onrecord.store.Store` and returns the plain typed
records of :mod:`.results`, so the CLI, the API and the web pages share the same
queries.  User input only ever reaches SQL as bound parameters; full-text queries are
reduced to words first.

    filters     Filters: the one filter model, from and back to user parameters
    plan        Filters -> SQL conditions (the one compiler; search and export)
    walk        the matching reports, newest first (the strategies and their costs)
    hits        search(): one page of statements; others_match(): what it left out
    speakers    which speakers a name means; list_speakers()
    statement   statement(): every report of one statement, with relay chains
    carriers    who carried a statement; which URLs may be links
    profile     speaker_profile(): timeline, terms, outlets
    article     article(): one article with its statement records
    export      export_rows() by the named columns of EXPORT
    results     the result types (the API's response models too)
"""

from .article import article
from .carriers import MAX_CARRIERS, carrier_name, carriers, distinct_carriers, http_url
from .export import EXPORT, EXPORT_COLUMNS, ExportColumn, export_rows
from .filters import TYPES, Filters
from .hits import others_match, search
from .profile import speaker_profile
from .results import (
    ArticleView,
    Hit,
    MonthCount,
    OutletCount,
    Report,
    SpeakerInfo,
    SpeakerProfile,
    StatementView,
    TermCount,
)
from .speakers import list_speakers
from .statement import relay_chain, statement

__all__ = [
    "EXPORT",
    "EXPORT_COLUMNS",
    "MAX_CARRIERS",
    "TYPES",
    "ArticleView",
    "ExportColumn",
    "Filters",
    "Hit",
    "MonthCount",
    "OutletCount",
    "Report",
    "SpeakerInfo",
    "SpeakerProfile",
    "StatementView",
    "TermCount",
    "article",
    "carrier_name",
    "carriers",
    "distinct_carriers",
    "export_rows",
    "http_url",
    "list_speakers",
    "others_match",
    "relay_chain",
    "search",
    "speaker_profile",
    "statement",
]
