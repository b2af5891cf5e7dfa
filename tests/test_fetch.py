"""The source fetcher against a real local HTTP server: caching, limits, redirects, politeness."""

from __future__ import annotations

import asyncio
import socket
import time
import tracemalloc
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.core.errors import FetchError
from bot.net.http import (
    CacheState,
    Fetcher,
    FetchFailed,
    FetchResult,
    parse_max_age,
    parse_retry_after,
)
from tests.support.deadlines import deadline
from tests.support.feed_server import FeedServer, http_date, rss

UA = "teaserbot/0.1 (+https://github.com/example/teaserbot)"
FEED = rss(
    [
        {
            "title": "Strike & <lockout>",
            "link": "https://example.org/a",
            "guid": "a",
            "description": "Workers walk out",
            "pubDate": datetime(2024, 5, 1, 12, tzinfo=UTC),
        }
    ]
)


@pytest.fixture
def server() -> Iterator[FeedServer]:
    with FeedServer() as feed_server:
        yield feed_server


@pytest.fixture
async def fetcher() -> AsyncIterator[Fetcher]:
    async with Fetcher(
        user_agent=UA,
        allow_private=True,
        connect_timeout=deadline(1),  # limits only a failing test: a busy machine is slow
        read_timeout=deadline(1),
        total_timeout=deadline(1.5),
        max_bytes=100_000,
    ) as client:
        yield client


async def fail(fetcher: Fetcher, url: str, cache: CacheState | None = None) -> FetchFailed:
    """Fetch and return the FetchFailed that must be raised."""
    with pytest.raises(FetchFailed) as info:
        await fetcher.fetch(url, cache or CacheState())
    return info.value


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# conditional GET and caching headers ------------------------------------------------------------


async def test_first_fetch_returns_body_type_and_validators(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """A 200 gives the body, the content type and the ETag/Last-Modified to store."""
    modified = http_date(datetime(2024, 5, 1, tzinfo=UTC))
    server.set("/feed", FEED, etag='"v1"', last_modified=modified)
    result = await fetcher.fetch(server.url("/feed"))
    assert result.status == 200
    assert result.body == FEED.encode()
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert result.cache == CacheState(etag='"v1"', last_modified=modified)
    assert result.url == server.url("/feed")
    assert result.permanent_url is None
    assert result.elapsed_ms > 0


async def test_second_fetch_sends_validators_and_gets_304(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """Stored validators go out as If-None-Match/If-Modified-Since and a 304 has an empty body."""
    modified = http_date(datetime(2024, 5, 1, tzinfo=UTC))
    server.set("/feed", FEED, etag='"v1"', last_modified=modified)
    first = await fetcher.fetch(server.url("/feed"))
    second = await fetcher.fetch(server.url("/feed"), first.cache)
    assert second.status == 304
    assert second.body == b""
    assert second.cache == first.cache
    headers = server.requests("/feed")[1].headers
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == modified


async def test_changed_etag_gives_full_body_again(server: FeedServer, fetcher: Fetcher) -> None:
    """When the feed changes its ETag, the old validator no longer matches and a 200 comes back."""
    server.set("/feed", FEED, etag='"v1"')
    first = await fetcher.fetch(server.url("/feed"))
    server.set("/feed", FEED + "<!-- more -->", etag='"v2"')
    second = await fetcher.fetch(server.url("/feed"), first.cache)
    assert second.status == 200
    assert second.cache.etag == '"v2"'
    assert second.body.endswith(b"<!-- more -->")


async def test_last_modified_alone_gives_304(server: FeedServer, fetcher: Fetcher) -> None:
    """A server with only Last-Modified answers 304 and the stored date is kept."""
    modified = http_date(datetime(2024, 5, 1, tzinfo=UTC))
    server.set("/feed", FEED, last_modified=modified)
    first = await fetcher.fetch(server.url("/feed"))
    assert first.cache == CacheState(etag=None, last_modified=modified)
    second = await fetcher.fetch(server.url("/feed"), first.cache)
    assert second.status == 304
    assert second.cache == first.cache
    assert "if-none-match" not in server.requests("/feed")[1].headers


async def test_no_validators_means_plain_get(server: FeedServer, fetcher: Fetcher) -> None:
    """Without stored validators the request is unconditional and nothing is stored."""
    server.set("/feed", FEED)
    result = await fetcher.fetch(server.url("/feed"))
    assert result.cache == CacheState()
    headers = server.requests("/feed")[0].headers
    assert "if-none-match" not in headers
    assert "if-modified-since" not in headers


async def test_max_age_is_read(server: FeedServer, fetcher: Fetcher) -> None:
    """Cache-Control max-age is reported in seconds, on a 200 and on a 304."""
    server.set("/feed", FEED, etag='"x"', headers={"Cache-Control": "public, max-age=600"})
    first = await fetcher.fetch(server.url("/feed"))
    second = await fetcher.fetch(server.url("/feed"), first.cache)
    assert (first.max_age, second.max_age) == (600.0, 600.0)
    server.set("/plain", FEED)
    assert (await fetcher.fetch(server.url("/plain"))).max_age is None


def test_parse_max_age_cases() -> None:
    """max-age is found among directives; no-store, no-cache or junk give None."""
    assert parse_max_age("max-age=60") == 60.0
    assert parse_max_age('public, MAX-AGE="30", must-revalidate') == 30.0
    assert parse_max_age("no-store, max-age=60") is None
    assert parse_max_age("max-age=soon") is None
    assert parse_max_age("public") is None
    assert parse_max_age(None) is None


async def test_connection_is_reused_after_bodiless_answers(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """A 304, a redirect and a small error page leave the connection open for the next fetch."""
    server.set("/feed", FEED, etag='"v1"')
    server.redirect("/moved", "/feed", status=302)
    await fetcher.fetch(server.url("/feed"))
    await fetcher.fetch(server.url("/feed"), CacheState(etag='"v1"'))
    await fetcher.fetch(server.url("/moved"), CacheState(etag='"v1"'))
    await fail(fetcher, server.url("/missing"))
    await fetcher.fetch(server.url("/feed"))
    assert len({r.client_port for r in server.requests()}) == 1


# request headers ----------------------------------------------------------------------------------


async def test_request_names_the_bot_and_prefers_feeds(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """The User-Agent is the bot's own, Accept puts feed types first, gzip is offered."""
    server.set("/feed", FEED)
    await fetcher.fetch(server.url("/feed"))
    headers = server.requests("/feed")[0].headers
    assert headers["user-agent"] == UA
    assert headers["accept"].startswith("application/rss+xml, application/atom+xml")
    assert "gzip" in headers["accept-encoding"]


# content encodings --------------------------------------------------------------------------------


async def test_gzip_body_is_decoded(server: FeedServer, fetcher: Fetcher) -> None:
    """A gzip-encoded body comes back decoded."""
    server.set("/feed", FEED, gzip=True)
    result = await fetcher.fetch(server.url("/feed"))
    assert result.body == FEED.encode()


@pytest.mark.parametrize("wbits", [zlib.MAX_WBITS, -zlib.MAX_WBITS], ids=["zlib", "raw"])
async def test_deflate_body_is_decoded(server: FeedServer, fetcher: Fetcher, wbits: int) -> None:
    """Deflate is decoded whether the server wraps it in zlib framing or sends it raw."""
    packer = zlib.compressobj(wbits=wbits)
    packed = packer.compress(FEED.encode()) + packer.flush()
    server.set("/feed", packed, headers={"Content-Encoding": "deflate"})
    result = await fetcher.fetch(server.url("/feed"))
    assert result.body == FEED.encode()


async def test_gzip_bomb_hits_the_size_cap(server: FeedServer, fetcher: Fetcher) -> None:
    """A small gzip body that inflates past the cap is refused, not inflated in full."""
    server.set("/bomb", b"\0" * 20_000_000, gzip=True)
    tracemalloc.start()
    try:
        error = await fail(fetcher, server.url("/bomb"))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert error.reason == "response larger than 100 kB"
    assert peak < 2_000_000


async def test_corrupt_gzip_is_a_fetch_failure(server: FeedServer, fetcher: Fetcher) -> None:
    """A body labelled gzip that is not gzip fails with a clear reason."""
    server.set("/feed", b"definitely not gzip", headers={"Content-Encoding": "gzip"})
    error = await fail(fetcher, server.url("/feed"))
    assert error.reason == "could not decode gzip body"
    assert error.status == 200


async def test_unknown_encoding_is_refused(server: FeedServer, fetcher: Fetcher) -> None:
    """An encoding that was not offered (e.g. br) fails instead of returning gibberish."""
    server.set("/feed", b"\x8b\x00", headers={"Content-Encoding": "br"})
    error = await fail(fetcher, server.url("/feed"))
    assert error.reason == "unsupported content encoding br"


# error statuses -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_seconds(server: FeedServer, fetcher: Fetcher, status: int) -> None:
    """429 and 503 carry their Retry-After in seconds."""
    server.set("/feed", "busy", status=status, headers={"Retry-After": "120"})
    error = await fail(fetcher, server.url("/feed"))
    assert (error.status, error.retry_after, error.gone) == (status, 120.0, False)
    assert error.reason == f"HTTP {status}"


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_http_date(server: FeedServer, fetcher: Fetcher, status: int) -> None:
    """A Retry-After HTTP-date becomes the number of seconds until that moment."""
    when = datetime.now(UTC) + timedelta(seconds=90)
    server.set("/feed", "busy", status=status, headers={"Retry-After": http_date(when)})
    error = await fail(fetcher, server.url("/feed"))
    assert error.retry_after is not None
    assert 87 <= error.retry_after <= 90


async def test_retry_after_ignored_on_other_statuses(server: FeedServer, fetcher: Fetcher) -> None:
    """A 500 with Retry-After still fails, without a retry hint."""
    server.set("/feed", "oops", status=500, headers={"Retry-After": "60"})
    error = await fail(fetcher, server.url("/feed"))
    assert (error.status, error.retry_after) == (500, None)


def test_parse_retry_after_forms() -> None:
    """Seconds, future and past dates, and junk are each read sensibly."""
    now = datetime(2024, 5, 1, 12, tzinfo=UTC)
    assert parse_retry_after(" 30 ", now) == 30.0
    assert parse_retry_after("Wed, 01 May 2024 12:02:00 GMT", now) == 120.0
    assert parse_retry_after("Wed, 01 May 2024 11:00:00 GMT", now) == 0.0
    assert parse_retry_after("-5", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after("nan", now) is None
    assert parse_retry_after("", now) is None
    assert parse_retry_after(None, now) is None


async def test_410_marks_the_source_gone(server: FeedServer, fetcher: Fetcher) -> None:
    """410 Gone fails with gone=True so the source can be disabled."""
    server.set("/feed", "gone", status=410)
    error = await fail(fetcher, server.url("/feed"))
    assert (error.status, error.gone, error.reason) == (410, True, "HTTP 410 Gone")


async def test_404_is_a_failure_with_status(server: FeedServer, fetcher: Fetcher) -> None:
    """A 404 fails with its status and is not 'gone'."""
    error = await fail(fetcher, server.url("/nowhere"))
    assert (error.status, error.gone, error.reason) == (404, False, "HTTP 404")
    assert isinstance(error, FetchError)


# redirects ----------------------------------------------------------------------------------------


async def test_permanent_chain_updates_the_url(server: FeedServer, fetcher: Fetcher) -> None:
    """A chain of 301 and 308 reports the final URL as the source's new permanent URL."""
    server.redirect("/old", "/older-still", status=301)
    server.redirect("/older-still", server.url("/feed"), status=308)
    server.set("/feed", FEED)
    result = await fetcher.fetch(server.url("/old"))
    assert result.status == 200
    assert result.url == server.url("/feed")
    assert result.permanent_url == server.url("/feed")


async def test_temporary_redirect_keeps_the_url(server: FeedServer, fetcher: Fetcher) -> None:
    """A 302 is followed but gives no permanent URL."""
    server.redirect("/feed", "/today", status=302)
    server.set("/today", FEED)
    result = await fetcher.fetch(server.url("/feed"))
    assert result.url == server.url("/today")
    assert result.permanent_url is None


async def test_permanent_then_temporary_stops_at_the_permanent_hop(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """After 301 then 302, only the 301's target is permanent."""
    server.redirect("/old", "/new", status=301)
    server.redirect("/new", "/today", status=302)
    server.set("/today", FEED)
    result = await fetcher.fetch(server.url("/old"))
    assert result.url == server.url("/today")
    assert result.permanent_url == server.url("/new")


async def test_relative_location_is_resolved(server: FeedServer, fetcher: Fetcher) -> None:
    """A relative Location is resolved against the URL that sent it."""
    server.redirect("/blog/old", "feed.xml", status=301)
    server.set("/blog/feed.xml", FEED)
    result = await fetcher.fetch(server.url("/blog/old"))
    assert result.url == server.url("/blog/feed.xml")


async def test_conditional_headers_reach_the_redirect_target(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """Stored validators are sent to the final URL too, so a moved feed still answers 304."""
    server.redirect("/old", "/feed", status=301)
    server.set("/feed", FEED, etag='"v1"')
    result = await fetcher.fetch(server.url("/old"), CacheState(etag='"v1"'))
    assert result.status == 304
    assert result.permanent_url == server.url("/feed")


async def test_redirect_loop_hits_the_limit(server: FeedServer) -> None:
    """A redirect loop fails after max_redirects hops, with exactly that many follow-ups sent."""
    server.redirect("/loop", "/loop", status=302)
    async with Fetcher(allow_private=True, user_agent=UA, max_redirects=3) as fetcher:
        error = await fail(fetcher, server.url("/loop"))
    assert error.reason == "too many redirects"
    assert len(server.requests("/loop")) == 4


async def test_redirect_without_location_fails(server: FeedServer, fetcher: Fetcher) -> None:
    """A redirect status with no Location header is a failure, not a crash."""
    server.set("/feed", "", status=301)
    error = await fail(fetcher, server.url("/feed"))
    assert error.reason == "HTTP 301 without Location"


async def test_redirect_to_another_scheme_fails(server: FeedServer, fetcher: Fetcher) -> None:
    """A redirect to a non-HTTP URL (file:, ftp:) is refused."""
    server.redirect("/feed", "file:///etc/passwd", status=302)
    error = await fail(fetcher, server.url("/feed"))
    assert error.reason == "redirect to a non-HTTP URL"


# size cap -----------------------------------------------------------------------------------------


async def test_announced_oversize_fails_before_the_body(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """A Content-Length above the cap fails at once and the server cannot send it all."""
    server.set("/big", size=50_000_000)
    error = await fail(fetcher, server.url("/big"))
    assert error.reason == "response larger than 100 kB"
    assert error.status == 200
    server.stop()
    assert sum(server.bytes_sent("/big")) < 20_000_000


async def test_unannounced_oversize_stops_while_streaming(
    server: FeedServer, fetcher: Fetcher
) -> None:
    """A chunked body without Content-Length is cut off once it passes the cap."""
    server.set("/big", size=50_000_000, chunked=True)
    error = await fail(fetcher, server.url("/big"))
    assert error.reason == "response larger than 100 kB"
    server.stop()
    assert sum(server.bytes_sent("/big")) < 20_000_000


async def test_body_at_the_cap_is_accepted(server: FeedServer, fetcher: Fetcher) -> None:
    """A body of exactly max_bytes is still accepted, chunked or not."""
    server.set("/exact", size=100_000, chunked=True)
    result = await fetcher.fetch(server.url("/exact"))
    assert len(result.body) == 100_000


async def test_default_cap_is_five_megabytes(server: FeedServer) -> None:
    """The default cap reads as 5 MB in the reason."""
    server.set("/big", size=6_000_000)
    async with Fetcher(allow_private=True, user_agent=UA) as fetcher:
        error = await fail(fetcher, server.url("/big"))
    assert error.reason == "response larger than 5 MB"


# timeouts and connections -------------------------------------------------------------------------


async def test_trickling_server_hits_the_total_deadline(server: FeedServer) -> None:
    """A server sending a few bytes a second is abandoned at the total deadline."""
    server.set("/slow", "x" * 10_000, trickle=50)
    async with Fetcher(
        allow_private=True, user_agent=UA, read_timeout=5, total_timeout=0.5
    ) as fetcher:
        started = time.monotonic()
        error = await fail(fetcher, server.url("/slow"))
        took = time.monotonic() - started
    assert error.reason == "timed out after 0.5 s"
    assert isinstance(error.__cause__, TimeoutError)
    assert took < 1.5


async def test_silent_server_hits_the_read_timeout(server: FeedServer) -> None:
    """A server that never answers fails on the read timeout."""
    server.set("/silent", FEED, delay=3)
    async with Fetcher(
        allow_private=True, user_agent=UA, read_timeout=0.3, total_timeout=5
    ) as fetcher:
        error = await fail(fetcher, server.url("/silent"))
    assert error.reason == "read timed out after 0.3 s"
    assert isinstance(error.__cause__, httpx.ReadTimeout)


async def test_closed_port_is_connection_refused(fetcher: Fetcher) -> None:
    """Nothing listening gives 'connection refused', raised from the httpx error."""
    error = await fail(fetcher, f"http://127.0.0.1:{free_port()}/feed")
    assert error.reason == "connection refused"
    assert error.status is None
    assert isinstance(error.__cause__, httpx.ConnectError)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.org/feed", "unsupported URL scheme"),
        ("not a url", "unsupported URL scheme"),
        ("http://[::1/feed", "invalid URL"),
    ],
)
async def test_bad_urls_fail_cleanly(fetcher: Fetcher, url: str, reason: str) -> None:
    """Malformed or non-HTTP URLs fail with a reason and never reach the network."""
    error = await fail(fetcher, url)
    assert error.reason == reason


# politeness ---------------------------------------------------------------------------------------


async def test_at_most_per_host_requests_at_once(server: FeedServer) -> None:
    """With per_host=2, six simultaneous fetches of one host never overlap more than two."""
    server.set("/feed", FEED, delay=0.2)
    async with Fetcher(allow_private=True, user_agent=UA, per_host=2) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url("/feed")) for _ in range(6)))
    assert all(isinstance(r, FetchResult) and r.status == 200 for r in results)
    assert server.max_concurrency == 2


async def test_waiting_for_the_host_does_not_eat_the_deadline(server: FeedServer) -> None:
    """Queued fetches of a busy host each get their own full deadline."""
    server.set("/feed", FEED, delay=0.2)
    async with Fetcher(allow_private=True, user_agent=UA, per_host=1, total_timeout=0.4) as fetcher:
        results = await asyncio.gather(*(fetcher.fetch(server.url("/feed")) for _ in range(4)))
    assert [r.status for r in results] == [200] * 4
    assert server.max_concurrency == 1


async def test_other_hosts_are_not_held_back() -> None:
    """The limit is per host: a busy host does not delay a request to another host."""
    try:
        other = FeedServer(host="127.0.0.2").start()
    except OSError:
        pytest.skip("127.0.0.2 is not available on this machine")
    with FeedServer() as first, other:
        first.set("/feed", FEED, delay=0.4)
        other.set("/feed", FEED, delay=0.4)
        async with Fetcher(allow_private=True, user_agent=UA, per_host=1) as fetcher:
            await asyncio.gather(
                fetcher.fetch(first.url("/feed")), fetcher.fetch(other.url("/feed"))
            )
        gap = abs(first.requests("/feed")[0].at - other.requests("/feed")[0].at)
    assert gap < 0.3


async def test_each_host_keeps_at_most_per_host_connections(server: FeedServer) -> None:
    """Rounds of fetches to two hosts reuse at most per_host connections on each host."""
    with FeedServer(host="127.0.0.2") as other:
        for feed_server in (server, other):
            feed_server.set("/feed", FEED, delay=0.02)
        async with Fetcher(allow_private=True, user_agent=UA, per_host=2) as fetcher:
            for _ in range(3):
                await asyncio.gather(
                    *(
                        fetcher.fetch(s.url(f"/feed?n={n}"))
                        for s in (server, other)
                        for n in range(4)
                    )
                )
        for feed_server in (server, other):
            assert len(feed_server.requests()) == 12
            assert len({r.client_port for r in feed_server.requests()}) <= 2
