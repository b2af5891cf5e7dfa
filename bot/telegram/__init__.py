"""The Telegram side: application wiring, handlers, and the sender. Only here is PTB imported."""

import os

# Opt in to timedelta durations (RetryAfter.retry_after) instead of PTB's deprecated ints.
os.environ.setdefault("PTB_TIMEDELTA", "true")
