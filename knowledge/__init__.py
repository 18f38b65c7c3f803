"""Answer technical-assistance questions from an indexed corpus, citing sources.

``build_knowledge_base`` is the entry point the composition root uses; the
object it returns implements :class:`bot.ports.KnowledgeBase` and exposes its
:class:`~knowledge.index.KnowledgeIndex` as ``index`` for ingest, list and
remove.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from knowledge.base import DEFAULT_THRESHOLD, Article16KnowledgeBase
from knowledge.index import DEFAULT_INDEX_DIR, SHIPPED_CORPUS, KnowledgeIndex
from knowledge.llm import LLMAnswerer
from knowledge.retrieve import build_searcher

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

__all__ = [
    "DEFAULT_INDEX_DIR",
    "Article16KnowledgeBase",
    "KnowledgeIndex",
    "build_knowledge_base",
]


def build_knowledge_base(
    *,
    index_dir: str | Path = DEFAULT_INDEX_DIR,
    llm: str = "",
    chat_model: BaseChatModel | None = None,
    retriever: str = "bm25",
    corpus_dir: Path | None = SHIPPED_CORPUS,
    threshold: float = DEFAULT_THRESHOLD,
) -> Article16KnowledgeBase:
    """Open (or create) the index in ``index_dir`` and return a knowledge base over it.

    ``chat_model`` (any langchain chat model) or ``llm`` (a ``provider:model``
    string for ``init_chat_model``, needs the ``llm`` extra) switches from
    extractive answers to written ones. ``retriever`` is ``bm25`` or
    ``hybrid`` (BM25 fused with dense embeddings, needs the ``embeddings``
    extra). The shipped corpus is indexed on first use.
    """
    index = KnowledgeIndex.open(index_dir, corpus_dir=corpus_dir)
    answerer: LLMAnswerer | None = None
    if chat_model is not None:
        answerer = LLMAnswerer(chat_model)
    elif llm:
        answerer = LLMAnswerer.from_spec(llm)
    return Article16KnowledgeBase(
        index, searcher=build_searcher(index, retriever), llm=answerer, threshold=threshold
    )
