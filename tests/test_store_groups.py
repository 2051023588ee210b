"""Group commit: several articles stored in one transaction (``Store.add_many``, what
the background writer of ``onrecord ingest`` does with the articles already waiting)
give the same database as one transaction per article; a bad article in a group is
reported and the others are stored.  On SQLite and PostgreSQL."""

from __future__ import annotations

import queue
from dataclasses import replace

import numpy as np
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from store_corpus import STORIES, extracted

import onrecord.store as store_module
from onrecord.store import Store, clusters
from onrecord.store.schema import articles, metadata

# When a row was written: differs between two otherwise identical databases.
STAMPS = {"ingested_at", "updated_at", "created_at"}


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table, timestamps left out and ids replaced by what they
    stand for (PostgreSQL does not give back the ids of a transaction rolled back)."""
    with store.engine.connect() as conn:
        rows = {
            name: [r._asdict() for r in conn.execute(select(table)).all()]
            for name, table in metadata.tables.items()
        }
    speaker = {r["id"]: (r["norm"], r["kind"]) for r in rows["speakers"]}
    natural = {
        "articles": {r["id"]: r["key"] for r in rows["articles"]},
        "speakers": speaker,
        "statements": {
            r["id"]: (r["norm"], speaker.get(r["speaker_id"])) for r in rows["statements"]
        },
    }
    out = {}
    for name, table in sorted(metadata.tables.items()):
        refs = {fk.parent.name: fk.column.table.name for fk in table.foreign_keys}
        out[name] = sorted(
            (
                tuple(
                    natural[refs[k]].get(v) if k in refs else v
                    for k, v in row.items()
                    if k != "id" and k not in STAMPS
                )
                for row in rows[name]
            ),
            key=repr,
        )
    return out


def one_by_one(url: str, results) -> dict[str, list[tuple]]:
    with Store(url) as store:
        for result in results:
            store.add(result)
        return dump(store)


def bad(result):
    """An article whose storing fails part-way: two of its statements share a key, so
    inserting its reports breaks a unique constraint after its article, speakers and
    statements are written."""
    first = result.statements[0]
    return replace(result, statements=(first, *result.statements))


@pytest.fixture(scope="module")
def results():
    return [extracted(story) for story in STORIES]


def test_a_group_stores_what_one_transaction_per_article_stores(db_url, new_database, results):
    want = one_by_one(new_database("sqlite" if "://" not in db_url else "postgresql"), results)
    with Store(db_url) as store:
        outcomes = store.add_many(results)
        assert outcomes == [("new", len(r.statements), i) for i, r in enumerate(results, 1)]
        assert dump(store) == want
        # Again, in groups of two: all unchanged, nothing written.
        again = store.add_many(results[:2]) + store.add_many(results[2:])
        assert again == [("unchanged", 0, i) for i in range(1, len(results) + 1)]
        assert dump(store) == want


@pytest.mark.parametrize("where", [0, 3, -1])
def test_a_bad_article_in_a_group_is_reported_and_the_others_stored(
    db_url, new_database, results, where
):
    good = list(results)
    group = list(results)
    group.insert(where if where >= 0 else len(group), bad(results[0]))
    want = one_by_one(new_database("sqlite" if "://" not in db_url else "postgresql"), good)
    with Store(db_url) as store:
        outcomes = store.add_many(group)
        failed = [i for i, o in enumerate(outcomes) if isinstance(o, Exception)]
        assert failed == [where if where >= 0 else len(group) - 1]
        assert isinstance(outcomes[failed[0]], IntegrityError)
        assert [o[:2] for o in outcomes if not isinstance(o, Exception)] == [
            ("new", len(r.statements)) for r in results
        ]
        # Nothing of the failed group attempt is left: no duplicate, nothing partial.
        assert dump(store) == want


def test_a_group_of_one_bad_article_is_its_error(tmp_path, results):
    with Store(str(tmp_path / "one.db")) as store:
        (outcome,) = store.add_many([bad(results[1])])
        assert isinstance(outcome, IntegrityError)
        with store.engine.connect() as conn:
            assert conn.execute(select(articles.c.id)).all() == []
        assert store.add_many([]) == []


def test_the_writer_stores_what_waits_in_groups_and_reports_each_article(
    tmp_path, monkeypatch, results
):
    """The writer's loop, run here: articles already waiting go in one transaction (at
    most ``group``), each reported in the order submitted; a bad one among them is an
    error and the others are stored."""
    monkeypatch.setattr(store_module, "die_with_parent", lambda: None)
    sizes = []
    add_many = Store.add_many

    def counted(self, batch):
        sizes.append(len(batch))
        return add_many(self, batch)

    monkeypatch.setattr(Store, "add_many", counted)
    submitted = [*results[:3], bad(results[0]), *results[3:]]
    inbox, outbox = queue.Queue(), queue.Queue()
    for result in submitted:
        inbox.put(result)
    inbox.put(None)
    db = str(tmp_path / "writer.db")
    store_module._writer_main(db, inbox, outbox, group=3)
    said = []
    while (item := outbox.get_nowait()) is not None:
        said.append(item)
    assert sizes == [3, 3, 2]  # 8 articles waiting, groups of at most 3
    assert [item[0] for item in said] == ["ok"] * 3 + ["error"] + ["ok"] * 4
    assert [item[1] for item in said] == [r.article.source for r in submitted]
    assert said[3][2].startswith("not stored (")
    assert [tuple(item[2:]) for item in said if item[0] == "ok"] == [
        ("new", len(r.statements), i) for i, r in enumerate(results, 1)
    ]
    with Store(db) as store:
        assert dump(store) == one_by_one(str(tmp_path / "plain.db"), results)


def test_signatures_are_datasketch_minhashes(results):
    """The vectorised signatures are exactly datasketch's (the LSH rows of databases
    already stored depend on them)."""
    from datasketch import MinHash

    norms = [clusters.fold_content(s.content_text or "") for r in results for s in r.statements]
    norms += ["", "one", "one two", "one two three"]
    got = clusters.signatures(norms)
    for norm, sig in zip(norms, got, strict=True):
        m = MinHash(num_perm=clusters.NUM_PERM, seed=clusters.SEED)
        m.update_batch([s.encode("utf-8") for s in clusters.shingles(norm)])
        assert np.array_equal(sig, m.hashvalues.astype(np.uint64)), norm
        assert np.array_equal(clusters.signature(norm), sig)
        # The fallback for a datasketch whose internals moved gives the same values.
        assert np.array_equal(clusters._one_signature(norm), sig)
