"""The pure delivery plan and outcome decisions, without HTTP, a database or an event loop."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.core.delivery_outcome import (
    BackedOff,
    Change,
    Deactivate,
    Delivered,
    DeliveryStats,
    Failed,
    Migrate,
    Outage,
    Replain,
    RetryPolicy,
    Throttled,
    decide,
)
from bot.core.delivery_plan import PER_CHAT, DeliveryPlan, Unit
from bot.core.models import (
    ChatGone,
    ChatKind,
    ChatMoved,
    Delivery,
    MessageRejected,
    RateLimited,
    SendOutcome,
    Sent,
    TransientFailure,
)
from bot.core.pacing import Pacer
from tests.delivery_model import FINAL, OUTCOMES, Sending, World, make_article, make_chat, world_of

PRIVATE = make_chat(7, ChatKind.PRIVATE)
GROUP = make_chat(-9, ChatKind.GROUP)


def row(row_id: int, chat_id: int = 7, *, created_at: float = 0.0, attempts: int = 0) -> Delivery:
    chat = PRIVATE if chat_id == 7 else make_chat(chat_id, ChatKind.PRIVATE)
    return Delivery(row_id, chat, make_article(row_id, row_id), attempts, created_at, row_id)


def decided(outcome: SendOutcome, unit: Unit, pacer: Pacer | None = None) -> Change:
    """What ``outcome`` changes for ``unit`` at wall time 100 (monotonic 10)."""
    return decide(
        unit.rows[0].chat,
        unit,
        outcome,
        wall=100.0,
        mono=10.0,
        pacer=pacer or Pacer(),
        policy=RetryPolicy(give_up_after=60.0, backoff_base=4.0),
        rng=random.Random(1),
    )


# ---------------------------------------------------------------------- what an outcome changes


def test_a_sent_message_is_delivered_with_its_id_and_time() -> None:
    """Telegram's acceptance becomes Delivered: final, with the message id and the wall time."""
    unit = Unit((row(1),), 0)
    change = decided(Sent(42), unit)
    assert change == Delivered(unit, 42, 100.0)
    assert change.done


def test_a_429_the_chats_own_limit_explains_holds_only_that_chat() -> None:
    """After a send to the chat within its window, a 429 blocks that chat for retry_after."""
    pacer = Pacer()
    pacer.record(7, True, 9.0)
    pacer.record(7, True, 9.5)
    change = decided(RateLimited(3.0), Unit((row(1),), 0), pacer)
    assert isinstance(change, Throttled)
    assert (change.whole_bot, change.next_at, change.block_until) == (False, 103.0, 13.0)
    assert change.error == "429: retry after 3 s"
    assert not change.done


def test_a_429_no_chat_limit_explains_pauses_the_whole_bot() -> None:
    """A 429 for a chat with no recent send (or one Telegram says is global) blocks every chat."""
    quiet = decided(RateLimited(1.0), Unit((row(1),), 0))
    assert isinstance(quiet, Throttled)
    assert quiet.whole_bot
    pacer = Pacer()
    pacer.record(7, True, 9.0)
    pacer.record(7, True, 9.5)
    change = decided(RateLimited(1.0, whole_bot=True), Unit((row(1),), 0), pacer)
    assert isinstance(change, Throttled)
    assert change.whole_bot


def test_a_network_error_backs_off_with_jitter_then_gives_up() -> None:
    """A 5xx is retried after half to all of base x 2^attempts; past the give-up time it fails."""
    young = decided(TransientFailure("502"), Unit((row(1, created_at=90.0),), 2))
    assert isinstance(young, BackedOff)
    assert 8.0 <= young.delay <= 16.0
    assert young.next_at == 100.0 + young.delay
    assert young.block_until == 10.0 + young.delay
    old = decided(TransientFailure("502"), Unit((row(1, created_at=40.0),), 2))
    assert old == Failed(Unit((row(1, created_at=40.0),), 2), "gave up after 3 attempts: 502", True)


def test_a_refused_message_is_sent_again_as_plain_text_then_dropped() -> None:
    """Refused HTML becomes a plain-text retry; refused again, it fails with both reasons."""
    unit = Unit((row(1),), 0)
    again = decided(MessageRejected("can't parse"), unit)
    assert isinstance(again, Replain)
    assert again.unit.as_plain
    assert again.unit.first_reason == "can't parse"
    dropped = decided(MessageRejected("too long"), again.unit)
    assert isinstance(dropped, Failed)
    assert dropped.reason == "rejected: can't parse; as plain text: too long"
    assert not dropped.gave_up


def test_a_gone_chat_is_deactivated_and_a_moved_one_migrated() -> None:
    """403 or chat not found deactivates the chat; a migration moves it to its new id."""
    unit = Unit((row(1),), 0)
    assert decided(ChatGone("blocked"), unit) == Deactivate(unit, 7, "blocked")
    assert decided(ChatMoved(-1007), unit) == Migrate(unit, 7, -1007)


def test_counters_are_named_fields_counted_per_change() -> None:
    """A delivered digest counts its rows and one digest; a 429 counts a retry and a 429."""
    stats = DeliveryStats()
    digest = Unit((row(1), row(2), row(3)), 0)
    stats.count(Delivered(digest, 5, 0.0))
    stats.count(Throttled(Unit((row(4),), 0), 1.0, 1.0, 1.0, whole_bot=False))
    stats.count(Deactivate(Unit((row(5),), 0), 7, "blocked"))
    assert stats == DeliveryStats(sent=3, retried=1, digests=1, rate_limited=1, gone=1)


def test_five_failures_in_a_row_pause_everything_doubling_until_an_answer() -> None:
    """Four failures are single-chat trouble; the fifth pauses every send for 2 s, the next
    failed probe for 4 s; failures inside a pause do not count; any answer ends the outage."""
    outage = Outage()
    assert [outage.failed(float(t)) for t in range(4)] == [None] * 4
    first = outage.failed(4.0)
    assert first is not None
    assert (first.until, first.failures) == (6.0, 5)
    assert outage.failed(5.0) is None  # started before the pause
    second = outage.failed(6.5)
    assert second is not None
    assert second.pause == 4.0
    assert outage.answered() == 6
    assert outage.answered() is None


# ---------------------------------------------------------------------- which chat sends next


def test_a_busy_chat_is_not_handed_out_until_its_outcome_is_settled() -> None:
    """Two rows of one chat: the second goes only after the first is settled, a second later."""
    plan = DeliveryPlan(Pacer())
    plan.read([row(1), row(2)], 0.0, since=0)
    first = plan.next_send(0.0)
    assert first is not None
    assert first.unit.rows[0].id == 1
    assert plan.next_send(5.0) is None  # in flight: nothing more to this chat
    plan.settle(first, first.unit, done=True, now=0.2)
    assert plan.next_send(0.5) is None  # its own limit: one per 1.1 s
    second = plan.next_send(1.2)
    assert second is not None
    assert second.unit.rows[0].id == 2


def test_a_row_settled_while_a_read_was_under_way_is_not_taken_from_its_answer() -> None:
    """A read that began before a send's outcome was committed may still list the row: the plan
    does not hold it again (it would be sent twice), while a read begun after it would."""
    plan = DeliveryPlan(Pacer())
    with plan.reading() as since:
        plan.read([row(1)], 0.0, since)
    first = plan.next_send(0.0)
    assert first is not None
    with plan.reading() as since:  # the store answers from before the commit ...
        plan.settle(first, first.unit, done=True, now=0.2)  # ... which the writer then settles
        plan.restart_reading()
        plan.read([row(1), row(2)], 0.3, since)
    assert plan.in_memory == 1
    second = plan.next_send(1.5)
    assert second is not None
    assert [r.id for r in second.unit.rows] == [2]
    with plan.reading() as since:  # no read under way any more: nothing is remembered
        plan.read([row(3)], 2.0, since)
    assert plan.in_memory == 2


def test_a_retried_message_goes_first_again_with_one_attempt_more() -> None:
    """A message settled as not done is the chat's next one, its attempts counted."""
    plan = DeliveryPlan(Pacer())
    plan.read([row(1), row(2)], 0.0, since=0)
    first = plan.next_send(0.0)
    assert first is not None
    plan.settle(first, first.unit, done=False, now=0.1)
    again = plan.next_send(2.0)
    assert again is not None
    assert (again.unit.rows[0].id, again.unit.attempts) == (1, 1)


def test_only_a_few_rows_per_chat_are_held_and_the_rest_read_on_demand() -> None:
    """Of a chat's long backlog only PER_CHAT rows are held; settling one asks for more."""
    plan = DeliveryPlan(Pacer())
    plan.read([row(n) for n in range(1, 11)], 0.0, since=0)
    assert plan.in_memory == PER_CHAT
    send = plan.next_send(0.0)
    assert send is not None
    plan.settle(send, send.unit, done=True, now=0.1)
    assert plan.chats_to_continue() == [7]


def test_a_dropped_chats_late_outcome_is_ignored() -> None:
    """A chat dropped while its message was in flight forgets it; settling it changes nothing."""
    plan = DeliveryPlan(Pacer())
    plan.read([row(1), row(2)], 0.0, since=0)
    send = plan.next_send(0.0)
    assert send is not None
    plan.drop_chat(7)
    plan.settle(send, send.unit, done=False, now=0.1)
    assert plan.in_memory == 0
    assert plan.next_send(10.0) is None


def test_a_long_backlog_becomes_digest_parts_holding_every_row_once() -> None:
    """A chat's due rows become digest units, in order, each row in exactly one of them."""
    plan = DeliveryPlan(Pacer())
    rows = [row(n) for n in range(1, 41)]
    plan.read(rows[:2], 0.0, since=0)
    made = plan.digest(7, rows, 0.0, since=0)
    assert made is not None
    assert made.stories == 40
    assert plan.in_memory == 40
    ids: list[int] = []
    now = 0.0
    while (send := plan.next_send(now)) is not None or now < 100:
        if send is not None:
            ids.extend(r.id for r in send.unit.rows)
            plan.settle(send, send.unit, done=True, now=now)
        now += 0.5
    assert ids == list(range(1, 41))


# ---------------------------------------------------------------------- invariants (Hypothesis)

KINDS = st.sampled_from([ChatKind.PRIVATE, ChatKind.GROUP, ChatKind.SUPERGROUP, ChatKind.CHANNEL])
CHATS = st.lists(
    st.tuples(KINDS, st.lists(st.sampled_from([0.0, 1.0, 2.0, 5.0, 9.0]), max_size=7)),
    min_size=1,
    max_size=8,
)
ANSWERS = st.lists(
    st.tuples(st.sampled_from(sorted(OUTCOMES)), st.sampled_from([0.0, 0.01, 0.05, 0.3, 1.5, 4.0])),
    max_size=40,
)


def assert_within_limits(sends: list[Sending]) -> None:
    """Telegram's limits: 30 per second overall, 1 per second per chat, 20 a minute per group."""
    times = sorted(s.at for s in sends)
    for earlier, later in zip(times, times[30:], strict=False):
        assert later - earlier >= 1.0, "more than 30 messages within one second"
    by_chat: dict[int, list[Sending]] = defaultdict(list)
    for send in sends:
        by_chat[send.chat_id].append(send)
    for chat_sends in by_chat.values():
        chat_times = [s.at for s in chat_sends]
        assert all(b - a >= 1.0 for a, b in itertools.pairwise(chat_times))
        if not chat_sends[0].private:
            assert all(b - a >= 60.0 for a, b in zip(chat_times, chat_times[20:], strict=False))


def assert_invariants(world: World) -> None:
    """Every row final exactly once, each chat's deliveries in order, the limits kept."""
    for model in world.outbox.rows.values():
        assert model.state in FINAL
        assert model.finals == 1
    for keys in world.delivered.values():
        assert keys == sorted(keys)
        assert len(set(keys)) == len(keys)
    assert_within_limits(world.sends)


@settings(max_examples=300, deadline=None)
@given(CHATS, ANSWERS, st.sampled_from([1e9, 3.0]))
def test_any_mix_of_answers_keeps_every_promise(
    chats: list[tuple[ChatKind, list[float]]],
    answers: list[tuple[str, float]],
    digest_after: float,
) -> None:
    """Whatever Telegram answers and however slowly, and though reads are overtaken by commits:
    never two messages in flight to one chat, each chat's stories in order, every row sent,
    failed or cancelled exactly once, and the limits (30/s overall, 1/s per chat, 20/min per
    group or channel) never exceeded."""
    world = world_of(chats, answers, digest_after=digest_after)
    world.run()  # asserts one message in flight per chat as it goes
    assert_invariants(world)


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=31, max_value=120), st.integers(min_value=0, max_value=3))
def test_a_fan_out_fills_the_overall_limit_without_exceeding_it(chats: int, groups: int) -> None:
    """Many chats with one story each: the sends come at the overall limit, never above it."""
    layout = [(ChatKind.PRIVATE, [0.0]) for _ in range(chats)]
    layout += [(ChatKind.CHANNEL, [float(n) for n in range(25)]) for _ in range(groups)]
    world = world_of(layout, [])
    world.run()
    assert_invariants(world)
    first_second = [s for s in world.sends if s.at < world.sends[0].at + 1.0]
    assert len(first_second) >= 29  # paced at the limit, not below it
    assert all(m.state == "sent" for m in world.outbox.rows.values())
