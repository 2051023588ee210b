"""The rule-based detector (work in progress)."""

from __future__ import annotations

from spacy.tokens import Doc

from ..records import Article, Attribution
from . import register


class RuleDetector:
    name = "rules"

    def detect(self, doc: Doc, article: Article) -> list[Attribution]:
        return []


@register("rules")
def _make() -> RuleDetector:
    return RuleDetector()
