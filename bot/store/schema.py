"""The database schema as an ordered list of migrations (PRAGMA user_version = index + 1).

Append only: a released migration is never edited. Each runs inside one transaction, so a crash
mid-migration leaves the previous schema intact.
"""

MIGRATIONS: tuple[str, ...] = (
    # 1: sources, articles, chats with their subscription, the outbox.
    """
    CREATE TABLE sources (
        id              INTEGER PRIMARY KEY,
        name            TEXT    NOT NULL,
        spec_url        TEXT    NOT NULL UNIQUE,
        url             TEXT    NOT NULL,
        kind            TEXT    NOT NULL DEFAULT 'feed',
        region          TEXT,
        selectors       TEXT,
        origin          TEXT    NOT NULL DEFAULT 'config',
        enabled         INTEGER NOT NULL DEFAULT 1,
        etag            TEXT,
        last_modified   TEXT,
        baseline_done   INTEGER NOT NULL DEFAULT 0,
        failures        INTEGER NOT NULL DEFAULT 0,
        last_error      TEXT,
        last_error_at   REAL,
        last_success_at REAL,
        last_polled_at  REAL,
        next_poll_at    REAL    NOT NULL DEFAULT 0,
        failing_since   REAL
    );
    CREATE TABLE articles (
        id           INTEGER PRIMARY KEY,
        source_id    INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key          TEXT    NOT NULL,
        url          TEXT,
        title        TEXT    NOT NULL,
        summary      TEXT    NOT NULL,
        published_at REAL,
        seen_at      REAL    NOT NULL,
        sort_at      REAL    NOT NULL,
        categories   TEXT    NOT NULL DEFAULT '[]',
        image        TEXT,
        countries    TEXT    NOT NULL DEFAULT '',
        regions      TEXT    NOT NULL DEFAULT '',
        UNIQUE (source_id, key)
    );
    CREATE INDEX articles_url ON articles (url);
    CREATE INDEX articles_sort ON articles (sort_at);
    CREATE TABLE chats (
        id                 INTEGER PRIMARY KEY,
        kind               TEXT    NOT NULL,
        title              TEXT,
        username           TEXT,
        thread_id          INTEGER,
        subscribed         INTEGER NOT NULL DEFAULT 0,
        region_filter      TEXT    NOT NULL DEFAULT '',
        link_previews      INTEGER NOT NULL DEFAULT 1,
        created_at         REAL    NOT NULL,
        updated_at         REAL    NOT NULL,
        deactivated_reason TEXT
    );
    CREATE TABLE outbox (
        id              INTEGER PRIMARY KEY,
        article_id      INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        chat_id         INTEGER NOT NULL REFERENCES chats(id) ON UPDATE CASCADE ON DELETE CASCADE,
        state           TEXT    NOT NULL DEFAULT 'queued',
        attempts        INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL    NOT NULL,
        last_error      TEXT,
        created_at      REAL    NOT NULL,
        sent_at         REAL,
        message_id      INTEGER,
        UNIQUE (article_id, chat_id)
    );
    CREATE INDEX outbox_queued ON outbox (next_attempt_at) WHERE state = 'queued';
    CREATE INDEX outbox_chat ON outbox (chat_id, state);
    """,
    # 2: who added the bot to a chat, whether it may post there, whether it said hello.
    """
    ALTER TABLE chats ADD COLUMN added_by INTEGER;
    ALTER TABLE chats ADD COLUMN bot_can_post INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE chats ADD COLUMN greeted INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: a hash of a source's last document, so an unchanged 200 is not parsed again.
    """
    ALTER TABLE sources ADD COLUMN body_hash TEXT;
    """,
    # 4: operations: paused sources, outage notices, identity keys kept after pruning.
    """
    ALTER TABLE sources ADD COLUMN paused INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sources ADD COLUMN outage_notified_at REAL;
    CREATE TABLE pruned_keys (
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        key_hash  INTEGER NOT NULL,
        PRIMARY KEY (source_id, key_hash)
    ) WITHOUT ROWID;
    CREATE INDEX articles_seen ON articles (seen_at);
    """,
    # 5: the people's side: silent posts, channels whose adder is still to be told how to set
    # them up, and each source's own feed title (shown under teasers instead of a host name).
    """
    ALTER TABLE chats ADD COLUMN silent INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE chats ADD COLUMN setup_pending INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE sources ADD COLUMN feed_title TEXT;
    """,
    # 6: languages: a chat's own choice (NULL: the person's Telegram language, else English)
    # and the language a source's teasers are written in (NULL: the feed's own <language>).
    """
    ALTER TABLE chats ADD COLUMN language TEXT;
    ALTER TABLE sources ADD COLUMN language TEXT;
    """,
    # 7: the due sources by time, so a claim reads the few due rows instead of scanning and
    # sorting every source (PostgreSQL's sources_due).
    """
    CREATE INDEX sources_due ON sources (next_poll_at) WHERE enabled = 1 AND paused = 0;
    """,
    # 8: the language an article is written in (its source's language, else its feed's), so
    # reclassifying reads it in its own language. NULL for older rows: the source's is used.
    """
    ALTER TABLE articles ADD COLUMN language TEXT;
    """,
    # 9: full-text search: every article's title, summary and topics (accents removed), and its
    # places (country codes and region ids as tokens, "none" for no country), kept in step with
    # the articles table by triggers (an insert by apply_poll, a delete by pruning or a removed
    # source, a reclassification), and built here for the articles already stored. Titles weigh
    # most in the ranking (bm25), places not at all. And each chat's share button under teasers
    # (/format share on|off; NULL: the default, off in channels, on elsewhere).
    """
    ALTER TABLE chats ADD COLUMN share_button INTEGER;
    CREATE VIRTUAL TABLE article_search USING fts5(
        title, body, places, tokenize = 'unicode61 remove_diacritics 2'
    );
    INSERT INTO article_search (article_search, rank) VALUES ('rank', 'bm25(10.0, 1.0, 0.0)');
    INSERT INTO article_search (rowid, title, body, places)
        SELECT id, title, summary || ' ' || categories,
               CASE WHEN countries = '' THEN 'none ' ELSE '' END
               || replace(lower(countries || ' ' || regions), '-', '')
        FROM articles;
    CREATE TRIGGER article_search_insert AFTER INSERT ON articles BEGIN
        INSERT INTO article_search (rowid, title, body, places) VALUES (
            new.id, new.title, new.summary || ' ' || new.categories,
            CASE WHEN new.countries = '' THEN 'none ' ELSE '' END
            || replace(lower(new.countries || ' ' || new.regions), '-', '')
        );
    END;
    CREATE TRIGGER article_search_delete AFTER DELETE ON articles BEGIN
        DELETE FROM article_search WHERE rowid = old.id;
    END;
    CREATE TRIGGER article_search_update
    AFTER UPDATE OF title, summary, categories, countries, regions ON articles BEGIN
        UPDATE article_search SET
            title = new.title,
            body = new.summary || ' ' || new.categories,
            places = CASE WHEN new.countries = '' THEN 'none ' ELSE '' END
                     || replace(lower(new.countries || ' ' || new.regions), '-', '')
        WHERE rowid = new.id;
    END;
    """,
    # 10: source leases in the sources table, as on PostgreSQL (its migration 2), so claiming,
    # renewing and ending a lease is one statement text for both backends (the store clears
    # them when it opens the file alone: the one process that could hold them is gone). And the
    # due-sources index under the condition the shared statements write (``enabled AND NOT
    # paused``: SQLite uses a partial index only for the very terms it was made with).
    """
    ALTER TABLE sources ADD COLUMN lease_owner TEXT;
    ALTER TABLE sources ADD COLUMN lease_until REAL;
    DROP INDEX sources_due;
    CREATE INDEX sources_due ON sources (next_poll_at) WHERE enabled AND NOT paused;
    """,
    # 11: what a chat chose beyond its regions (issues 24 and 25; the stored forms are each core
    # module's ``*_to_text``): topics, words, sites (NULL: every site, also those added later),
    # its schedule (NULL: instant), quiet hours (NULL: none), post format ('' : the default) and
    # time zone; and each article's topics, as its places are stored.
    """
    ALTER TABLE chats ADD COLUMN topic_filter TEXT NOT NULL DEFAULT '';
    ALTER TABLE chats ADD COLUMN keywords TEXT NOT NULL DEFAULT '';
    ALTER TABLE chats ADD COLUMN sites TEXT;
    ALTER TABLE chats ADD COLUMN schedule TEXT;
    ALTER TABLE chats ADD COLUMN quiet TEXT;
    ALTER TABLE chats ADD COLUMN post_format TEXT NOT NULL DEFAULT '';
    ALTER TABLE chats ADD COLUMN time_zone TEXT;
    ALTER TABLE articles ADD COLUMN topics TEXT NOT NULL DEFAULT '';
    """,
    # 12: fan-outs under way (PostgreSQL's migration 9): an article whose audience is queued a
    # slice of chats at a time, and the last chat id routed (bot/store/fanouts.py).
    """
    CREATE TABLE fanouts (
        article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
        after_chat INTEGER NOT NULL,
        created_at REAL    NOT NULL
    );
    """,
)

LATEST_VERSION = len(MIGRATIONS)
