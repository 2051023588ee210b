"""Enrichment: from detected spans to full statements (speaker, role, channel, relay, time)."""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Article, Attribution, Speaker, Statement, span_text


def enrich(
    doc: Doc, article: Article, attributions: list[Attribution]
) -> tuple[list[Statement], list[str]]:
    text = article.text
    statements = []
    for i, a in enumerate(attributions):
        statements.append(
            Statement(
                id=f"s{i + 1}",
                type=a.type,
                cue_spans=a.cue,
                content_spans=a.content,
                cue_text=span_text(text, a.cue),
                content_text=span_text(text, a.content),
                speaker=Speaker(text=span_text(text, a.source), spans=a.source),
                confidence=a.confidence,
            )
        )
    return statements, []
