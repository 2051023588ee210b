"""POST /api/articles' extraction, in a process of its own.

Extraction is CPU-bound Python (spaCy, the detector): run in the serving process it
holds the interpreter lock for seconds at a time and every page waits behind it.  Here
one worker process, loaded once and reused, turns one article at a time into statements
and stores them; the server only waits for its answer.  An article that runs past its
time budget has its worker killed (a fresh one starts for the next article) and gets an
error; when ``queue_size`` articles already wait, the next one is turned away with a
Retry-After instead of piling up.

The worker stores what it extracts (storing a long article is most of a second of
Python too).  Nothing is stored twice: each accepted article is sent to the worker once
and never resent, and storing an article already stored is "unchanged".
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import queue
import sys
import threading
import time
import traceback
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass

from ..errors import one_line
from ..processes import die_with_parent

# Seconds one article may take to extract before its worker is killed.
DEFAULT_BUDGET_S = 60.0
# Articles that may wait while one is extracted.
DEFAULT_QUEUE = 4
# Seconds a fresh worker may take to load its models; storing one article.
START_BUDGET_S = 120.0
STORE_BUDGET_S = 120.0
# A guess at one article's extraction time before any has been measured.
TYPICAL_S = 5.0
WARM_UP = "Warm-up\n\n“The bridge will reopen on Friday,” the mayor, Lena Fischer, told reporters."


class IngestRefused(Exception):
    """An article not stored: the HTTP status and message to answer with."""

    def __init__(self, status: int, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.retry_after = retry_after


@dataclass(frozen=True)
class Stored:
    outcome: str  # new, updated or unchanged
    article_id: int


@dataclass
class _Job:
    fields: dict
    future: Future


class IngestWorker:
    """Extract and store articles (``submit``) in one worker process at a time."""

    def __init__(
        self,
        db: str | None,
        budget_s: float = DEFAULT_BUDGET_S,
        queue_size: int = DEFAULT_QUEUE,
        start_budget_s: float = START_BUDGET_S,
        store_budget_s: float = STORE_BUDGET_S,
    ) -> None:
        self.db = db
        self.budget_s = budget_s
        self.start_budget_s = start_budget_s
        self.store_budget_s = store_budget_s
        self._jobs: queue.Queue[_Job | None] = queue.Queue(maxsize=queue_size)
        self._durations: deque[float] = deque(maxlen=10)
        self._process = None
        self._conn = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._closed = False

    # -- the server's side ---------------------------------------------------------------

    def start(self) -> None:
        """Start the worker now, in the background, so that the first article does not
        wait for the models to load."""
        self._start_thread()

    def submit(self, fields: dict) -> Future:
        """Queue an article (ArticleIn's fields); its future gives a ``Stored`` or raises
        ``IngestRefused``.  Raises ``IngestRefused`` (503) at once when the queue is full."""
        if self._closed:
            raise IngestRefused(503, "the server is shutting down")
        self._start_thread()
        job = _Job(fields, Future())
        try:
            self._jobs.put_nowait(job)
        except queue.Full:
            raise IngestRefused(
                503,
                "too many articles are waiting to be extracted; try again later",
                retry_after=self._retry_after(),
            ) from None
        return job.future

    def close(self) -> None:
        """Stop the worker; articles still waiting are refused."""
        with self._lock:
            self._closed = True
            thread = self._thread
        self._kill()  # ends an extraction in progress now
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None and job.future.set_running_or_notify_cancel():
                job.future.set_exception(IngestRefused(503, "the server is shutting down"))
        if thread is not None:
            self._jobs.put(None)
            thread.join(timeout=10)

    def _start_thread(self) -> None:
        # The worker process is started (and killed) by this one long-lived thread: on
        # Linux it dies with the thread that started it, and request threads come and go.
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._serve, name="onrecord-ingest", daemon=True
                )
                self._thread.start()

    def _retry_after(self) -> int:
        typical = sum(self._durations) / len(self._durations) if self._durations else TYPICAL_S
        return max(1, math.ceil(typical * (self._jobs.qsize() + 1)))

    # -- the thread that talks to the worker process -------------------------------------

    def _serve(self) -> None:
        try:
            with contextlib.suppress(IngestRefused):  # the first article will say why
                self._ready()
            while (job := self._jobs.get()) is not None:
                if not job.future.set_running_or_notify_cancel():
                    continue
                try:
                    job.future.set_result(self._run(job.fields))
                except BaseException as exc:  # the caller gets every failure
                    job.future.set_exception(exc)
        finally:
            self._kill()

    def _run(self, fields: dict) -> Stored:
        conn = self._ready()
        started = time.monotonic()
        conn.send(fields)
        reply = self._receive(conn, self.budget_s, phase="extract")
        if reply[0] == "extracted":
            self._durations.append(time.monotonic() - started)
            reply = self._receive(conn, self.store_budget_s, phase="store")
        return _answer(reply)

    def _ready(self):
        """The connection to a worker that has loaded its models, started if needed."""
        if self._conn is not None and self._process.is_alive():
            return self._conn
        self._kill()
        if self._closed:
            raise IngestRefused(503, "the server is shutting down")
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        ours, theirs = context.Pipe()
        process = context.Process(
            target=worker_main, args=(self.db, theirs), name="onrecord-extract", daemon=True
        )
        process.start()
        theirs.close()  # so that our end sees the worker's death as end of file
        self._process, self._conn = process, ours
        reply = self._receive(ours, self.start_budget_s, phase="start")
        if reply[0] != "ready":
            self._kill()
            raise IngestRefused(503, f"extraction is unavailable: {reply[1]}; try again later")
        return ours

    def _receive(self, conn, timeout: float, phase: str) -> tuple:
        """The worker's next message; on a timeout or its death, it is killed and the
        article refused with what that means for it."""
        try:
            if conn.poll(timeout):
                return conn.recv()
            died = False
        except (EOFError, OSError):
            died = True
        self._kill()
        raise _lost(phase, died, timeout)

    def _kill(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is not None and process.is_alive():
            process.kill()
        if process is not None:
            process.join(timeout=5)
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()


def _lost(phase: str, died: bool, timeout: float) -> IngestRefused:
    if phase == "extract" and not died:
        return IngestRefused(
            422, f"the article took longer than {timeout:g} s to extract; it was not stored"
        )
    if phase == "extract":
        return IngestRefused(503, "the extraction worker stopped; the article was not stored")
    if phase == "start":
        return IngestRefused(503, "the extraction worker did not start; try again later")
    return IngestRefused(
        503,
        "storing the article did not finish; it may or may not be stored: post it again "
        "(an article already stored is not stored twice)",
    )


def _answer(reply: tuple) -> Stored:
    kind, *rest = reply
    if kind == "stored":
        return Stored(*rest)
    if kind == "rejected":
        raise IngestRefused(422, rest[0])
    if kind == "unavailable":
        raise IngestRefused(503, "the database is unavailable; the article was not stored")
    raise IngestRefused(500, "extraction failed; the article was not stored")


# -- the worker process ----------------------------------------------------------------


def worker_main(db: str | None, conn) -> None:
    """Load the models once, then extract and store the articles sent, one at a time,
    until told to stop (None) or the server goes."""
    die_with_parent()
    try:
        worker = _Worker(db)
    except Exception as exc:
        print(f"onrecord: the extraction worker did not start: {one_line(exc)}", file=sys.stderr)
        conn.send(("failed", "the extraction worker did not start"))
        return
    conn.send(("ready",))
    try:
        while (fields := conn.recv()) is not None:
            conn.send(worker.extract_and_store(fields, conn))
    except (EOFError, OSError, KeyboardInterrupt):
        pass
    finally:
        worker.close()


class _Worker:
    def __init__(self, db: str | None) -> None:
        from ..ingest import article_from_text
        from ..pipeline import Extractor

        self.db = db
        self.store = None  # opened at the first article: the database may be down now
        self.extractor = Extractor()
        # The first extraction loads what the pipeline loads lazily: done here, it is
        # not counted against the first article's budget.
        self.extractor.extract(article_from_text(WARM_UP, source="warm-up"))

    def extract_and_store(self, fields: dict, conn) -> tuple:
        """Extract an article (ArticleIn's fields), tell the server it is extracted, then
        store it: the reply to send."""
        from ..errors import InputError, OnrecordError
        from ..ingest import article_from_html, article_from_text

        meta = {k: fields.get(k) for k in ("url", "title", "outlet", "published")}
        try:
            if fields.get("text"):
                article = article_from_text(fields["text"], source="api", **meta)
            else:
                article = article_from_html(fields["html"], source="api", **meta)
            result = self.extractor.extract(article)
        except InputError as exc:
            return ("rejected", exc.reason)
        except OnrecordError as exc:  # the pipeline's own refusal, its time limit among them
            return ("rejected", str(exc))
        except Exception:
            traceback.print_exc()  # a bug: its traceback belongs in the server's log
            return ("failed",)
        conn.send(("extracted",))
        return self._store(result)

    def _store(self, result) -> tuple:
        from sqlalchemy.exc import DBAPIError, SQLAlchemyError

        from ..errors import OnrecordError
        from ..store import Store

        try:
            if self.store is None:
                self.store = Store(self.db, create=False)
            added = self.store.add(result)
        except (DBAPIError, OnrecordError) as exc:
            print(f"onrecord: an article was not stored: {one_line(exc)}", file=sys.stderr)
            return ("unavailable",)
        except SQLAlchemyError:
            traceback.print_exc()
            return ("failed",)
        return ("stored", added.outcome, added.article_id)

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
