"""The SQLite store: articles, claims, referents, pairs and runs. The source of truth between runs."""

from __future__ import annotations

import fcntl
import json
import logging
import os
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import fields
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, NamedTuple, Self

from .errors import StoreError
from .types import (
    Article,
    ArticleFailure,
    Claim,
    ClaimPair,
    Comparison,
    GroupStatus,
    Kind,
    PairRelation,
    Qualifier,
    Referent,
    ReferentKey,
    claim_from_fields,
)
from .wire import article_shingles, claim_shingles, pack

if TYPE_CHECKING:
    import pandas

    from .changes import Change

log = logging.getLogger(__name__)

_NUMBER = "CHECK ({0} IS NULL OR typeof({0}) IN ('integer', 'real'))"

# Numbered migrations: MIGRATIONS[i] takes the store from version i to i + 1. Only ever append.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        "CREATE TABLE schema_version (version INTEGER NOT NULL)",
        """CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            ended TEXT,
            pipeline_version TEXT NOT NULL,
            articles_added INTEGER,
            claims_added INTEGER,
            outcome TEXT CHECK (outcome IS NULL OR outcome IN ('ok', 'partial', 'failed'))
        )""",
        """CREATE TABLE run_failures (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            message TEXT NOT NULL
        )""",
        f"""CREATE TABLE articles (
            name TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            text TEXT NOT NULL,
            body_start INTEGER NOT NULL {_NUMBER.format("body_start")},
            title TEXT, outlet TEXT, url TEXT, published TEXT, author TEXT, via TEXT,
            excluded TEXT NOT NULL,
            pipeline_version TEXT NOT NULL,
            run_id INTEGER REFERENCES runs(id)
        )""",
        f"""CREATE TABLE claims (
            article TEXT NOT NULL REFERENCES articles(name) ON DELETE CASCADE,
            start INTEGER NOT NULL {_NUMBER.format("start")},
            "end" INTEGER NOT NULL {_NUMBER.format('"end"')},
            surface TEXT NOT NULL,
            value REAL {_NUMBER.format("value")},
            low REAL {_NUMBER.format("low")},
            high REAL {_NUMBER.format("high")},
            qualifier TEXT NOT NULL,
            kind TEXT NOT NULL,
            sentence TEXT NOT NULL,
            sentence_start INTEGER NOT NULL {_NUMBER.format("sentence_start")},
            counted TEXT NOT NULL,
            arithmetic TEXT,
            counted_class TEXT, actor TEXT, place TEXT, event TEXT,
            speaker TEXT, speaker_org TEXT, side TEXT, via TEXT,
            claim_date TEXT, published TEXT, outlet TEXT,
            referent TEXT, referent_label TEXT, referent_status TEXT,
            PRIMARY KEY (article, start, "end")
        )""",
        "CREATE INDEX claims_referent ON claims (referent)",
        """CREATE TABLE referents (
            id TEXT PRIMARY KEY,
            label TEXT NOT NULL,
            story TEXT NOT NULL,
            counted_class TEXT NOT NULL,
            actor TEXT, place TEXT, status_key TEXT,
            group_status TEXT NOT NULL,
            spread REAL, low REAL, high REAL,
            sides TEXT NOT NULL,
            notes TEXT NOT NULL
        )""",
        """CREATE TABLE claim_pairs (
            referent TEXT NOT NULL REFERENCES referents(id) ON DELETE CASCADE,
            first_article TEXT NOT NULL, first_start INTEGER NOT NULL, first_end INTEGER NOT NULL,
            second_article TEXT NOT NULL, second_start INTEGER NOT NULL, second_end INTEGER NOT NULL,
            relation TEXT NOT NULL,
            FOREIGN KEY (first_article, first_start, first_end)
                REFERENCES claims(article, start, "end") ON DELETE CASCADE,
            FOREIGN KEY (second_article, second_start, second_end)
                REFERENCES claims(article, start, "end") ON DELETE CASCADE
        )""",
    ),
    (
        # raw_hash: sha256 of the file's bytes, so an unchanged file is skipped without being decoded
        "ALTER TABLE articles ADD COLUMN raw_hash TEXT",
        "ALTER TABLE claims ADD COLUMN carried_by TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE referents ADD COLUMN value_keys TEXT NOT NULL DEFAULT '[]'",
        "ALTER TABLE runs ADD COLUMN articles_skipped INTEGER",
        "ALTER TABLE runs ADD COLUMN articles_failed INTEGER",
        "ALTER TABLE runs ADD COLUMN report_path TEXT",
        "ALTER TABLE runs ADD COLUMN report_sha TEXT",
        """CREATE TABLE run_changes (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            referent TEXT,
            label TEXT NOT NULL,
            detail TEXT NOT NULL,
            PRIMARY KEY (run_id, position)
        )""",
    ),
    (
        # the words an article's story is recognised by, and the story it was last grouped in:
        # a rerun regroups only the stories that new articles join or leave
        "ALTER TABLE articles ADD COLUMN story_terms TEXT",
        "ALTER TABLE articles ADD COLUMN story TEXT",
        "CREATE INDEX referents_story ON referents (story)",
    ),
    (
        # kept so that a rerun compares only what is new: each article's wire shingles, the least
        # shingle of each count claim's sentence (0: too short to have one), how often each text
        # pattern of grouping occurs in each article, and each referent's part of the report
        "ALTER TABLE articles ADD COLUMN shingles BLOB",
        "ALTER TABLE claims ADD COLUMN anchor INTEGER",
        "CREATE INDEX claims_anchor ON claims (anchor)",
        """CREATE TABLE text_counts (
            pattern TEXT NOT NULL,
            article TEXT NOT NULL REFERENCES articles(name) ON DELETE CASCADE,
            count INTEGER NOT NULL,
            PRIMARY KEY (pattern, article)
        ) WITHOUT ROWID""",
        """CREATE TABLE report_parts (
            referent TEXT PRIMARY KEY REFERENCES referents(id) ON DELETE CASCADE,
            part TEXT NOT NULL
        )""",
    ),
)

# Column order follows the dataclasses; the test suite checks that every field has a column.
_ARTICLE_FIELDS = tuple(field.name for field in fields(Article))
_ARTICLE_COLUMNS = (*_ARTICLE_FIELDS, "pipeline_version", "run_id", "raw_hash")
_CLAIM_COLUMNS = tuple(field.name for field in fields(Claim))
_REFERENT_COLUMNS = (
    "id", "label", "story", "counted_class", "actor", "place", "status_key",
    "group_status", "spread", "low", "high", "sides", "notes", "value_keys",
)  # fmt: skip
_RUN_COLUMNS = ("id", "started", "ended", "pipeline_version", "articles_added", "claims_added", "outcome")
_RUN_DETAILS = (*_RUN_COLUMNS, "articles_skipped", "articles_failed", "report_path", "report_sha")
_CHANGE_COLUMNS = ("run_id", "position", "kind", "referent", "label", "detail")


class ScopeRow(NamedTuple):
    """What grouping reads of a stored count claim, and the referent it was last grouped in."""

    article: str
    start: int
    end: int
    counted: str
    counted_class: str | None
    actor: str | None
    place: str | None
    event: str | None
    claim_date: str | None
    referent: str | None

    @property
    def id(self) -> str:
        return f"{self.article}:{self.start}"


class StoredFile(NamedTuple):
    raw_hash: str | None
    content_hash: str
    pipeline_version: str


def value_key(claim: Claim) -> str:
    """What makes two claims of a referent the same figure: qualifier and interval."""
    return f"{Qualifier(claim.qualifier).value}:{claim.low}:{claim.high}"


@contextmanager
def run_lock(db_path: Path, *, timeout: float) -> Iterator[None]:
    """Hold the store's run lock (a file beside it); wait up to ``timeout`` seconds for another run.

    The operating system releases the lock when its holder dies, even by kill -9, so a crashed
    run never blocks the next one.
    """
    path = Path(f"{db_path}.lock")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.open("a+", encoding="utf-8")
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the run lock ({exc.strerror})") from exc
    with handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "another process"
                    raise StoreError(
                        f"{db_path}: another discrepancy run ({holder}) is using this store; waited "
                        f"{timeout:g} s; try again later or raise --wait"
                    ) from None
                time.sleep(0.05)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.truncate(0)
            fcntl.flock(handle, fcntl.LOCK_UN)


def _columns(names: Sequence[str]) -> str:
    return ", ".join(f'"{name}"' for name in names)


def _placeholders(names: Sequence[object]) -> str:
    return ", ".join("?" * len(names))


def _upsert(table: str, columns: Sequence[str], key: Sequence[str]) -> str:
    updates = ", ".join(f'"{name}" = excluded."{name}"' for name in columns if name not in key)
    return (
        f"INSERT INTO {table} ({_columns(columns)}) VALUES ({_placeholders(columns)}) "
        f"ON CONFLICT ({_columns(key)}) DO UPDATE SET {updates}"
    )


_IN_BATCH = 500  # values per "IN (...)": SQLite limits the parameters of one statement
_UPSERT_ARTICLE = _upsert("articles", _ARTICLE_COLUMNS, ("name",))
_UPSERT_CLAIM = _upsert("claims", (*_CLAIM_COLUMNS, "anchor"), ("article", "start", "end"))


_CLAIM_EXISTS = 'SELECT 1 FROM claims WHERE article = ? AND start = ? AND "end" = ?'


def _wire_and_date(claim: Claim) -> tuple[str, str | None]:
    return json.dumps(list(claim.carried_by)), claim.claim_date


def anchor(claim: Claim) -> int | None:
    """The least shingle of a count claim's sentence, 0 when it has none; None for other claims.

    Every article carrying the claim holds it, so the claims a new article carries are found by it."""
    if claim.kind is not Kind.COUNT:
        return None
    return min(claim_shingles(claim), default=0)


def _claim_key(claim: Claim) -> tuple[str, int, int]:
    return (claim.article, claim.start, claim.end)


def _claim_row(claim: Claim) -> tuple[object, ...]:
    status = claim.referent_status
    enums = {
        "qualifier": Qualifier(claim.qualifier).value,
        "kind": Kind(claim.kind).value,
        "referent_status": status and GroupStatus(status).value,
        "carried_by": json.dumps(list(claim.carried_by)),
    }
    return tuple(enums.get(name, getattr(claim, name)) for name in _CLAIM_COLUMNS)


_QUALIFIERS = {qualifier.value: qualifier for qualifier in Qualifier}
_KINDS = {kind.value: kind for kind in Kind}
_STATUSES = {None: None, **{status.value: status for status in GroupStatus}}


def _claim_from_row(row: Sequence[object]) -> Claim:
    values = dict(zip(_CLAIM_COLUMNS, row, strict=True))
    values["qualifier"] = _QUALIFIERS[values["qualifier"]]
    values["kind"] = _KINDS[values["kind"]]
    values["referent_status"] = _STATUSES[values["referent_status"]]  # type: ignore[index]
    carried_by = str(values["carried_by"])
    values["carried_by"] = tuple(json.loads(carried_by)) if carried_by != "[]" else ()
    return claim_from_fields(values)


class SqliteTables:
    """An open SQLite file: a context manager with one way to write (an immediate transaction)."""

    path: Path
    _conn: sqlite3.Connection

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def _write(self, what: str) -> Iterator[sqlite3.Connection]:
        """One transaction: everything inside is committed together or not at all."""
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            with self._conn:
                yield self._conn
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(f"{self.path}: the store is locked by another process; try again") from exc
            raise StoreError(f"{self.path}: could not {what} ({exc})") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: could not {what} ({exc})") from exc


class Store(SqliteTables):
    """An open discrepancy store. Use as a context manager: ``with Store(path) as store: ...``."""

    SCHEMA_VERSION: int = len(MIGRATIONS)

    def __init__(self, path: Path, *, timeout: float = 10.0) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create its folder ({exc.strerror})") from exc
        try:
            # isolation_level=None: transactions are opened explicitly in _write().
            self._conn = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{self.path}: cannot open the store ({exc})") from exc
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA journal_mode = WAL")
            # no fsync at every commit (one per article): with WAL a killed process still leaves the store
            # consistent; only a power cut may undo the last commits, which the next run redoes
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise StoreError(
                f"{self.path}: not a usable SQLite store ({exc}); move the file aside or choose another path"
            ) from exc
        except StoreError:
            self._conn.close()
            raise

    def _migrate(self) -> None:
        tables = {row[0] for row in self._conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_version" in tables:
            current = self._conn.execute("SELECT max(version) FROM schema_version").fetchone()[0] or 0
        elif tables - {"sqlite_sequence"}:
            raise StoreError(f"{self.path}: an SQLite file that is not a discrepancy store; choose another path")
        else:
            current = 0
        if current > self.SCHEMA_VERSION:
            raise StoreError(
                f"{self.path}: store schema version {current} is newer than this discrepancy "
                f"({self.SCHEMA_VERSION}); upgrade discrepancy"
            )
        for version in range(current + 1, self.SCHEMA_VERSION + 1):
            with self._write(f"migrate to schema version {version}") as conn:
                for statement in MIGRATIONS[version - 1]:
                    conn.execute(statement)
                conn.execute("DELETE FROM schema_version")
                conn.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
            log.info("%s: migrated to schema version %d", self.path, version)

    # runs

    def begin_run(self, *, pipeline_version: str, started: str) -> int:
        """Record a new run. Call it holding ``run_lock``: an unfinished earlier run was then killed."""
        with self._write("start a run") as conn:
            conn.execute("UPDATE runs SET ended = ?, outcome = 'failed' WHERE ended IS NULL", (started,))
            cursor = conn.execute(
                "INSERT INTO runs (started, pipeline_version) VALUES (?, ?)", (started, pipeline_version)
            )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def finish_run(
        self,
        run_id: int,
        *,
        ended: str,
        articles_added: int,
        claims_added: int,
        failures: Sequence[ArticleFailure],
        outcome: str,
        articles_skipped: int | None = None,
        report_path: Path | None = None,
        report_sha: str | None = None,
    ) -> None:
        with self._write(f"finish run {run_id}") as conn:
            cursor = conn.execute(
                "UPDATE runs SET ended = ?, articles_added = ?, claims_added = ?, outcome = ?, "
                "articles_skipped = ?, articles_failed = ?, report_path = ?, report_sha = ? WHERE id = ?",
                (ended, articles_added, claims_added, outcome, articles_skipped, len(failures),
                 report_path and str(report_path), report_sha, run_id),
            )  # fmt: skip
            if cursor.rowcount != 1:
                raise StoreError(f"{self.path}: no run {run_id} to finish; call begin_run first")
            conn.executemany(
                "INSERT INTO run_failures (run_id, path, message) VALUES (?, ?, ?)",
                [(run_id, failure.path, failure.message) for failure in failures],
            )

    def runs(self) -> list[dict[str, object]]:
        """Every run, oldest first, each with its ``failures`` as a list of {path, message}."""
        failures: dict[int, list[dict[str, object]]] = {}
        for run_id, path, message in self._conn.execute(
            "SELECT run_id, path, message FROM run_failures ORDER BY run_id, rowid"
        ):
            failures.setdefault(run_id, []).append({"path": path, "message": message})
        rows = self._conn.execute(f"SELECT {_columns(_RUN_COLUMNS)} FROM runs ORDER BY id")
        return [{**dict(zip(_RUN_COLUMNS, row, strict=True)), "failures": failures.get(row[0], [])} for row in rows]

    def summary(self) -> tuple[int, int, int]:
        """(articles, count claims, diverging referents) as stored: cheap counts for a rerun with nothing new."""
        articles = self._conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        claims = self._conn.execute("SELECT COUNT(*) FROM claims WHERE kind = 'count'").fetchone()[0]
        diverging = self._conn.execute("SELECT COUNT(*) FROM referents WHERE group_status = 'diverges'").fetchone()[0]
        return int(articles), int(claims), int(diverging)

    def last_run(self) -> dict[str, object] | None:
        """The latest finished run with its report path and hash and its sorted failure messages, or None."""
        row = self._conn.execute(
            f"SELECT {_columns(_RUN_DETAILS)} FROM runs WHERE ended IS NOT NULL ORDER BY id DESC LIMIT 1"
        ).fetchone()
        if row is None:
            return None
        failures = self._conn.execute(
            "SELECT message FROM run_failures WHERE run_id = ? ORDER BY message", (row[0],)
        ).fetchall()
        return {**dict(zip(_RUN_DETAILS, row, strict=True)), "failures": [message for (message,) in failures]}

    def has_unfinished_run(self) -> bool:
        return self._conn.execute("SELECT 1 FROM runs WHERE ended IS NULL").fetchone() is not None

    def run_changes(self, *, since: int | None = None) -> list[dict[str, object]]:
        """Runs after ``since`` (all when None), newest first, each with its ``changes`` and ``failures``."""
        after = 0 if since is None else since
        changes: dict[int, list[dict[str, object]]] = {}
        for row in self._conn.execute(
            f"SELECT {_columns(_CHANGE_COLUMNS)} FROM run_changes WHERE run_id > ? ORDER BY run_id, position",
            (after,),
        ):
            change = dict(zip(_CHANGE_COLUMNS, row, strict=True))
            changes.setdefault(int(row[0]), []).append(change)
        runs = [run for run in self.runs() if int(str(run["id"])) > after]
        return [{**run, "changes": changes.get(int(str(run["id"])), [])} for run in reversed(runs)]

    # articles and claims

    def save_article(
        self,
        article: Article,
        claims: Sequence[Claim],
        *,
        pipeline_version: str,
        run_id: int,
        raw_hash: str | None = None,
        story_terms: Mapping[str, int] | None = None,
        shingles: bytes | None = None,
        anchors: Sequence[int | None] | None = None,
    ) -> None:
        """Store an article and exactly these claims for it, in one transaction.

        ``shingles`` (packed) and ``anchors`` (one per claim) are computed here when not given."""
        strangers = [claim.id for claim in claims if claim.article != article.name]
        if strangers:
            raise StoreError(f"{self.path}: claims {strangers} do not belong to article {article.name}")
        row = {name: getattr(article, name) for name in _ARTICLE_FIELDS}
        row["excluded"] = json.dumps([list(span) for span in article.excluded])
        if anchors is None:
            anchors = [anchor(claim) for claim in claims]
        if shingles is None:
            shingles = pack(article_shingles(article))
        try:
            claim_rows = [(*_claim_row(claim), found) for claim, found in zip(claims, anchors, strict=True)]
        except ValueError as exc:
            raise StoreError(f"{self.path}: cannot store the claims of {article.name} ({exc})") from exc
        keep = {(claim.start, claim.end) for claim in claims}
        with self._write(f"save article {article.name}") as conn:
            previous = conn.execute("SELECT content_hash FROM articles WHERE name = ?", (article.name,)).fetchone()
            conn.execute(_UPSERT_ARTICLE, (*row.values(), pipeline_version, run_id, raw_hash))
            terms = None if story_terms is None else json.dumps(dict(sorted(story_terms.items())))
            conn.execute("UPDATE articles SET story_terms = ?, story = NULL WHERE name = ?", (terms, article.name))
            changed = previous is not None and previous[0] != article.content_hash
            stored = conn.execute('SELECT start, "end" FROM claims WHERE article = ?', (article.name,)).fetchall()
            stale = [(article.name, *span) for span in stored if changed or tuple(span) not in keep]
            conn.executemany('DELETE FROM claims WHERE article = ? AND start = ? AND "end" = ?', stale)
            conn.executemany(_UPSERT_CLAIM, claim_rows)
            conn.execute("UPDATE articles SET shingles = ? WHERE name = ?", (shingles, article.name))
            conn.execute("DELETE FROM text_counts WHERE article = ?", (article.name,))
        log.debug("%s: saved %s with %d claims", self.path, article.name, len(claims))

    def processed(self) -> dict[str, tuple[str, str]]:
        """Article name -> (content_hash, pipeline_version) of what is stored."""
        rows = self._conn.execute("SELECT name, content_hash, pipeline_version FROM articles ORDER BY name")
        return {name: (content_hash, version) for name, content_hash, version in rows}

    def save_raw_hash(self, name: str, raw_hash: str) -> None:
        """Note new bytes for an article whose text did not change (say, new line endings)."""
        with self._write(f"note the file hash of {name}") as conn:
            conn.execute("UPDATE articles SET raw_hash = ? WHERE name = ?", (raw_hash, name))

    def stored_files(self) -> dict[str, StoredFile]:
        """Article name -> the hashes and pipeline version it was stored with."""
        rows = self._conn.execute("SELECT name, raw_hash, content_hash, pipeline_version FROM articles ORDER BY name")
        return {name: StoredFile(raw, content, version) for name, raw, content, version in rows}

    def load_articles(self, names: Iterable[str] | None = None) -> list[Article]:
        """The stored articles sorted by name; only those named when ``names`` is given."""
        articles = []
        query = f"SELECT {_columns(_ARTICLE_FIELDS)} FROM articles"
        for row in self._select_sorted(query, "name", names, key_columns=1):  # name is the first column
            values = dict(zip(_ARTICLE_FIELDS, row, strict=True))
            values["excluded"] = tuple((start, end) for start, end in json.loads(values["excluded"]))
            articles.append(Article(**values))
        return articles

    def load_claims(
        self, articles: Iterable[str] | None = None, *, grouped_only: bool = False, counts_only: bool = False
    ) -> list[Claim]:
        """Stored claims, all kinds, sorted by (article, start, end); of the named articles when given.

        ``grouped_only``: only the claims that have a referent; ``counts_only``: only count claims."""
        query = f"SELECT {_columns(_CLAIM_COLUMNS)} FROM claims"
        if grouped_only:
            query += " WHERE referent IS NOT NULL"
        elif counts_only:
            query += f" WHERE kind = '{Kind.COUNT.value}'"
        rows = self._select_sorted(query, "article", articles, key_columns=3)  # article, start, end come first
        return [_claim_from_row(row) for row in rows]

    def _select_sorted(
        self, query: str, column: str, values: Iterable[str] | None, *, key_columns: int
    ) -> list[tuple[object, ...]]:
        """Rows of ``query`` whose ``column`` is one of ``values`` (all rows when None), sorted on the first columns."""
        if values is None:
            rows = self._conn.execute(query).fetchall()
        else:
            wanted = sorted(set(values))
            joiner = " AND " if " WHERE " in query else " WHERE "
            rows = []
            for start in range(0, len(wanted), _IN_BATCH):
                batch = wanted[start : start + _IN_BATCH]
                rows += self._conn.execute(f'{query}{joiner}"{column}" IN ({_placeholders(batch)})', batch).fetchall()
        return sorted(rows, key=lambda row: row[:key_columns])

    def story_terms(self) -> dict[str, dict[str, int] | None]:
        """Article name -> the words its story is recognised by (None when stored before they were kept)."""
        rows = self._conn.execute("SELECT name, story_terms FROM articles ORDER BY name")
        return {name: None if terms is None else json.loads(terms) for name, terms in rows}

    def article_stories(self) -> dict[str, str | None]:
        """Article name -> the story it was grouped in by the last saved grouping (None: not grouped yet)."""
        return dict(self._conn.execute("SELECT name, story FROM articles ORDER BY name").fetchall())

    def referent_keys(self) -> dict[str, ReferentKey]:
        """Referent id -> its key, as of the last saved grouping."""
        rows = self._conn.execute("SELECT id, story, counted_class, actor, place, status_key FROM referents")
        return {str(row[0]): ReferentKey(*row[1:]) for row in rows}

    # what a rerun keeps from the runs before it (incremental.py)

    def packed_shingles(self) -> dict[str, bytes | None]:
        """Article name -> its packed wire shingles (None when stored before they were kept)."""
        return dict(self._conn.execute("SELECT name, shingles FROM articles ORDER BY name").fetchall())

    def save_shingles(self, packed: Mapping[str, bytes]) -> None:
        with self._write("keep wire shingles") as conn:
            conn.executemany("UPDATE articles SET shingles = ? WHERE name = ?", [(b, n) for n, b in packed.items()])

    def fill_anchors(self) -> None:
        """Give the count claims stored before anchors were kept theirs."""
        query = f"SELECT {_columns(_CLAIM_COLUMNS)} FROM claims WHERE kind = 'count' AND anchor IS NULL"
        claims = [_claim_from_row(row) for row in self._conn.execute(query).fetchall()]
        if claims:
            with self._write("keep claim anchors") as conn:
                conn.executemany(
                    'UPDATE claims SET anchor = ? WHERE article = ? AND start = ? AND "end" = ?',
                    [(anchor(claim), *_claim_key(claim)) for claim in claims],
                )

    def claims_anchored(self, anchors: Collection[int]) -> list[Claim]:
        """The count claims whose anchor is one of ``anchors``."""
        query = f"SELECT {_columns(_CLAIM_COLUMNS)} FROM claims WHERE kind = 'count'"
        return [_claim_from_row(row) for row in self._select_sorted(query, "anchor", anchors, key_columns=3)]

    def claims_carried_by(self, name: str) -> list[Claim]:
        """The count claims that name the article among their carriers."""
        query = f"SELECT {_columns(_CLAIM_COLUMNS)} FROM claims WHERE kind = 'count' AND instr(carried_by, ?) > 0"
        return [_claim_from_row(row) for row in self._conn.execute(query, (json.dumps(name),)).fetchall()]

    def load_members(self, referents: Iterable[str], articles: Iterable[str]) -> list[Claim]:
        """The count claims of these referents or these articles, sorted by (article, start, end)."""
        query = f"SELECT {_columns(_CLAIM_COLUMNS)} FROM claims WHERE kind = 'count'"
        rows = {
            tuple(row[:3]): row
            for rows in (
                self._select_sorted(query, "referent", referents, key_columns=3),
                self._select_sorted(query, "article", articles, key_columns=3),
            )
            for row in rows
        }
        return [_claim_from_row(rows[key]) for key in sorted(rows)]

    def scoped_claims(self, articles: Iterable[str]) -> list[ScopeRow]:
        """What grouping reads of the count claims of these articles, sorted by (article, start, end)."""
        query = f"SELECT {_columns(ScopeRow._fields)} FROM claims WHERE kind = 'count'"
        return [ScopeRow(*row) for row in self._select_sorted(query, "article", articles, key_columns=3)]

    def load_claims_by_key(self, keys: Iterable[tuple[str, int, int]]) -> list[Claim]:
        """The claims of these (article, start, end) keys, sorted by them."""
        query = f'SELECT {_columns(_CLAIM_COLUMNS)} FROM claims WHERE article = ? AND start = ? AND "end" = ?'
        rows = [self._conn.execute(query, key).fetchone() for key in sorted(set(keys))]
        return [_claim_from_row(row) for row in rows if row is not None]

    def texts(self, names: Iterable[str]) -> dict[str, str]:
        """Article name -> its whole stored text."""
        return dict(self._select_sorted("SELECT name, text FROM articles", "name", names, key_columns=1))

    def publication_dates(self) -> dict[str, str | None]:
        return dict(self._conn.execute("SELECT name, published FROM articles ORDER BY name").fetchall())

    def text_counts(self, pattern: str) -> dict[str, int]:
        """Article name -> how often ``pattern`` occurs in it, for the articles counted so far."""
        rows = self._conn.execute("SELECT article, count FROM text_counts WHERE pattern = ?", (pattern,))
        return dict(rows.fetchall())

    def save_text_counts(self, pattern: str, counts: Mapping[str, int]) -> None:
        with self._write("keep text counts") as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO text_counts (pattern, article, count) VALUES (?, ?, ?)",
                [(pattern, name, count) for name, count in counts.items()],
            )

    def report_parts(self) -> dict[str, str]:
        """Referent id -> its part of the report as saved with it (see report.ReportPart)."""
        return dict(self._conn.execute("SELECT referent, part FROM report_parts").fetchall())

    # referents

    def save_comparisons(
        self,
        comparisons: Sequence[Comparison],
        *,
        claims: Sequence[Claim] = (),
        changes: Sequence[Change] = (),
        run_id: int | None = None,
        stories: Mapping[str, str] | None = None,
        regrouped: Collection[str] | None = None,
        replaced: Collection[str] | None = None,
        parts: Mapping[str, str] | None = None,
    ) -> None:
        """Replace the referents and pairs, and set the referent fields of the claims, in one transaction.

        ``claims`` (as from ``pipeline.compare_all``) also sets the referent and wire fields of claims
        left out of the comparisons as relayed copies; ``changes`` are recorded under ``run_id``.
        ``stories`` (article name -> story) is noted for the articles it names. With ``regrouped``
        (story labels), only the referents of those stories and the claims of their articles are
        replaced; with ``replaced`` (referent ids), only those referents, and only the claims given
        are updated; the rest of the grouping stands. ``parts`` are report parts by referent id.
        """
        reset = "UPDATE claims SET referent = NULL, referent_label = NULL, referent_status = NULL, carried_by = '[]'"
        with self._write("save referents") as conn:
            if replaced is not None:
                ids = sorted(set(replaced))
                for start in range(0, len(ids), _IN_BATCH):
                    batch = ids[start : start + _IN_BATCH]
                    conn.execute(f"DELETE FROM claim_pairs WHERE referent IN ({_placeholders(batch)})", batch)
                    conn.execute(f"DELETE FROM referents WHERE id IN ({_placeholders(batch)})", batch)
            elif regrouped is None:
                conn.execute("DELETE FROM claim_pairs")
                conn.execute("DELETE FROM referents")
                conn.execute(reset)
            else:
                labels = sorted(set(regrouped))
                for start in range(0, len(labels), _IN_BATCH):
                    batch = labels[start : start + _IN_BATCH]
                    where = f"story IN ({_placeholders(batch)})"
                    referents = f"SELECT id FROM referents WHERE {where}"
                    conn.execute(f"DELETE FROM claim_pairs WHERE referent IN ({referents})", batch)
                    conn.execute(f"DELETE FROM referents WHERE {where}", batch)
                    conn.execute(f"{reset} WHERE article IN (SELECT name FROM articles WHERE {where})", batch)
            if stories:
                conn.executemany("UPDATE articles SET story = ? WHERE name = ?", [(s, n) for n, s in stories.items()])
            fields: dict[tuple[str, int, int], tuple[object, ...]] = {}
            pairs: list[tuple[object, ...]] = []
            for comparison in comparisons:
                referent, key = comparison.referent, comparison.referent.key
                status = GroupStatus(comparison.status).value
                conn.execute(
                    f"INSERT INTO referents ({_columns(_REFERENT_COLUMNS)}) "
                    f"VALUES ({_placeholders(_REFERENT_COLUMNS)})",
                    (referent.id, referent.label, key.story, key.counted_class, key.actor, key.place,
                     key.status, status, comparison.spread, comparison.low, comparison.high,
                     json.dumps(list(comparison.sides)), json.dumps(list(comparison.notes)),
                     json.dumps(sorted({value_key(claim) for claim in referent.claims}))),
                )  # fmt: skip
                for claim in referent.claims if replaced is None else ():
                    fields[_claim_key(claim)] = (referent.id, referent.label, status, *_wire_and_date(claim))
                pairs += [
                    (referent.id, *_claim_key(pair.first), *_claim_key(pair.second), pair.relation.value)
                    for pair in comparison.pairs
                ]
            for claim in claims:  # relayed copies keep their referent though left out of the comparisons
                if claim.referent is not None or claim.carried_by:
                    status = claim.referent_status and GroupStatus(claim.referent_status).value
                    fields[_claim_key(claim)] = (claim.referent, claim.referent_label, status, *_wire_and_date(claim))
            cursor = conn.executemany(
                "UPDATE claims SET referent = ?, referent_label = ?, referent_status = ?, carried_by = ?, "
                'claim_date = ? WHERE article = ? AND start = ? AND "end" = ?',
                [(*values, *key) for key, values in fields.items()],
            )
            if cursor.rowcount != len(fields):
                missing = [k for k in fields if not conn.execute(_CLAIM_EXISTS, k).fetchone()]
                raise StoreError(
                    f"{self.path}: a claim of the referents ({', '.join(':'.join(map(str, k)) for k in missing[:3])}) "
                    "is not stored; save its article before the referents"
                )
            conn.executemany(f"INSERT INTO claim_pairs VALUES ({_placeholders(range(8))})", pairs)
            conn.executemany(
                "INSERT OR REPLACE INTO report_parts (referent, part) VALUES (?, ?)", list((parts or {}).items())
            )
            if changes and run_id is None:
                raise StoreError(f"{self.path}: changes need the run_id they belong to")
            conn.executemany(
                f"INSERT INTO run_changes ({_columns(_CHANGE_COLUMNS)}) VALUES ({_placeholders(_CHANGE_COLUMNS)})",
                [
                    (run_id, position, change.kind, change.referent, change.label, change.detail)
                    for position, change in enumerate(changes)
                ],
            )

    def referent_states(self) -> dict[str, tuple[str, GroupStatus, frozenset[str]]]:
        """Referent id -> (label, status, value keys of its claims) as of the last saved grouping."""
        rows = self._conn.execute("SELECT id, label, group_status, value_keys FROM referents ORDER BY id")
        return {
            referent: (label, GroupStatus(status), frozenset(json.loads(keys)))
            for referent, label, status, keys in rows
        }

    def load_comparisons(self, claims: Sequence[Claim]) -> list[Comparison]:
        """The saved comparisons, rebuilt around ``claims`` (the claims each referent compared)."""
        members: dict[str, list[Claim]] = {}
        by_key = {_claim_key(claim): claim for claim in claims}
        for claim in claims:
            if claim.referent is not None:
                members.setdefault(claim.referent, []).append(claim)
        pairs: dict[str, list[ClaimPair]] = {}
        for referent, *keys, relation in self._conn.execute("SELECT * FROM claim_pairs ORDER BY rowid"):
            first, second = by_key.get(tuple(keys[:3])), by_key.get(tuple(keys[3:]))  # type: ignore[arg-type]
            if first is None or second is None:
                raise StoreError(f"{self.path}: a pair of referent {referent} names a claim not given")
            pairs.setdefault(referent, []).append(ClaimPair(first, second, PairRelation(relation)))
        comparisons = []
        rows = self._conn.execute(f"SELECT {_columns(_REFERENT_COLUMNS)} FROM referents ORDER BY id")
        for row in rows:
            values = dict(zip(_REFERENT_COLUMNS, row, strict=True))
            key = ReferentKey(
                str(values["story"]), str(values["counted_class"]), values["actor"], values["place"],
                values["status_key"],
            )  # type: ignore[arg-type]  # fmt: skip
            referent_id = str(values["id"])
            referent = Referent(referent_id, str(values["label"]), key, tuple(members.get(referent_id, ())))
            comparisons.append(
                Comparison(
                    referent=referent,
                    status=GroupStatus(values["group_status"]),
                    spread=values["spread"],  # type: ignore[arg-type]
                    low=values["low"],  # type: ignore[arg-type]
                    high=values["high"],  # type: ignore[arg-type]
                    sides=tuple(json.loads(str(values["sides"]))),
                    pairs=tuple(pairs.get(referent_id, ())),
                    notes=tuple(json.loads(str(values["notes"]))),
                )
            )
        return comparisons

    def claims_frame(self) -> pandas.DataFrame:
        """The count claims as a table with the export columns, sorted by article and offset."""
        import pandas  # half a second to import: only the export needs it

        from .export import EXPORT_FIELDS

        rows = self._conn.execute(
            f'SELECT {_columns(EXPORT_FIELDS)} FROM claims WHERE kind = ? ORDER BY article, start, "end"',
            (Kind.COUNT.value,),
        ).fetchall()
        return pandas.DataFrame.from_records(rows, columns=list(EXPORT_FIELDS))
