"""The Grafana dashboard and the Prometheus alert rules in deploy/ name only metrics the bot's
/metrics exports, cover what an operator watches, and (with promtool) fire when they should."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bot.service.healthcheck import Health
from bot.service.metrics import Metrics, MetricsServer
from bot.store import Store
from tests.support.deadlines import deadline

REPO = Path(__file__).resolve().parents[1]
DASHBOARD = REPO / "deploy" / "grafana" / "teaserbot.json"
ALERTS = REPO / "deploy" / "prometheus" / "alerts.yml"
ALERT_TESTS = REPO / "tests" / "prometheus" / "alerts_test.yml"

_SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
}
_KEYWORDS = {
    "by",
    "without",
    "on",
    "ignoring",
    "group_left",
    "group_right",
    "bool",
    "and",
    "or",
    "unless",
    "offset",
    "inf",
    "nan",
}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads (not its functions, labels or keywords)."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)  # label values and strings
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # range selectors
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    expr = re.sub(r"\$\w+", "", expr)  # Grafana's variables
    found = set()
    for match in re.finditer(r"(?<![\w.$])[A-Za-z_:][A-Za-z0-9_:]*", expr):
        rest = expr[match.end() :]
        if rest.lstrip().startswith("(") or match.group().lower() in _KEYWORDS:
            continue  # a function call or a keyword
        found.add(match.group())
    return found


@pytest.fixture
async def exported(tmp_path: Path) -> set[str]:
    """Every sample name GET /metrics of a real metrics server can hold."""
    store = await Store.open(tmp_path / "bot.sqlite3")
    server = MetricsServer(store, Metrics(), Health(stall_after=300))
    try:
        port = await server.start("127.0.0.1", 0)
        async with httpx.AsyncClient() as client:
            text = (await client.get(f"http://127.0.0.1:{port}/metrics")).text
    finally:
        await server.stop()
        await store.close()
    names = set()
    for family in text_string_to_metric_families(text):
        names.update(family.name + suffix for suffix in _SUFFIXES.get(family.type, ("",)))
        names.update(sample.name for sample in family.samples)
    return names


def dashboard_exprs() -> list[tuple[str, str]]:
    """(panel title, query) for every query of every panel."""
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [
        (panel["title"], target["expr"])
        for panel in dashboard["panels"]
        for target in panel.get("targets", [])
    ]


def alert_exprs() -> list[tuple[str, str]]:
    """(alert name, expression) for every rule."""
    rules = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))
    return [
        (rule["alert"], str(rule["expr"])) for group in rules["groups"] for rule in group["rules"]
    ]


def unknown(exprs: list[tuple[str, str]], exported: set[str]) -> list[str]:
    return [
        f"{where}: {name}"
        for where, expr in exprs
        for name in sorted(metric_names(expr) - exported)
    ]


def test_every_dashboard_query_names_an_exported_metric(exported: set[str]) -> None:
    """No panel of the dashboard queries a metric that /metrics does not export."""
    exprs = dashboard_exprs()
    assert len(exprs) >= 10
    assert unknown(exprs, exported) == []


def test_the_dashboard_shows_what_an_operator_watches() -> None:
    """Sent per second against the limit, 429s, the outbox and its oldest row, polls and errors
    per source, articles, health and the leader each have a panel; it names its data source."""
    read = set().union(*(metric_names(expr) for _, expr in dashboard_exprs()))
    assert {
        "teaserbot_messages_sent_total",
        "teaserbot_broadcast_rate_limit",
        "teaserbot_telegram_429_total",
        "teaserbot_outbox_depth",
        "teaserbot_outbox_oldest_due_age_seconds",
        "teaserbot_polls_total",
        "teaserbot_poll_errors_total",
        "teaserbot_articles_recorded_total",
        "teaserbot_healthy",
        "teaserbot_leader",
    } <= read
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert [v["type"] for v in dashboard["templating"]["list"]] == ["datasource"]
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))


def test_every_alert_names_an_exported_metric(exported: set[str]) -> None:
    """No alert rule reads a metric /metrics does not export; each asked-for alert is there."""
    exprs = alert_exprs()
    assert unknown(exprs, exported) == []
    assert {
        "TeaserbotUnhealthy",
        "TeaserbotDeliveryStalled",
        "TeaserbotSourceFailing",
        "TeaserbotTelegram429",
        "TeaserbotNoLeader",
    } <= {name for name, _ in exprs}


def test_the_check_catches_a_metric_that_is_not_exported(exported: set[str]) -> None:
    """A misspelt or foreign metric is reported; functions, labels and durations are not."""
    exprs = [
        ("typo", "sum(rate(teaserbot_message_sent_total[5m]))"),
        ("foreign", 'up{job="teaserbot"} == 0'),
        ("fine", 'sum by (source) (increase(teaserbot_polls_total{status="error"}[1h])) > 1e3'),
    ]
    assert unknown(exprs, exported) == ["typo: teaserbot_message_sent_total", "foreign: up"]


def _promtool() -> str:
    tool = shutil.which("promtool")
    if tool is None:
        pytest.skip("promtool is not installed (Debian: apt-get install prometheus)")
    return tool


def test_promtool_accepts_the_rules_and_the_prometheus_config() -> None:
    """`promtool check config` finds the shipped prometheus.yml valid, with its rules file."""
    run = subprocess.run(
        [_promtool(), "check", "config", str(ALERTS.with_name("prometheus.yml"))],
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "rules found" in run.stdout


def test_the_alerts_fire_when_they_should() -> None:
    """promtool's rule unit tests: each alert fires on its series after its delay, not before."""
    run = subprocess.run(
        [_promtool(), "test", "rules", str(ALERT_TESTS)],
        capture_output=True,
        text=True,
        timeout=deadline(60),
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "SUCCESS" in run.stdout
