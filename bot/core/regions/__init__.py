"""Where stories happen and which parts of the world a chat wants.

Pure: imports nothing from telegram, httpx or aiosqlite. Region ids are ISO alpha-2 codes ("RU"),
M49 numeric codes ("150" Europe, "151" Eastern Europe, "419" Latin America and the Caribbean),
grouping slugs ("middle-east", "latin-america", "north-america", "balkans", "eu", "mena",
"caucasus", "nordic", "gulf") and "none" (no particular country).
"""

from bot.core.regions.classify import classify, region_ids_for, subregion_names
from bot.core.regions.filters import (
    FilterError,
    all_regions,
    display_name,
    edit_filter,
    familiar_region,
    filter_from_text,
    filter_to_text,
    format_filter,
    hashtag,
    matches,
    parse_filter,
    resolve_name,
    subregions_of,
    suggest,
    teaser_hashtags,
    within,
)
from bot.core.regions.tables import NONE_ID, RegionInfo, tables

__all__ = [
    "NONE_ID",
    "FilterError",
    "RegionInfo",
    "all_regions",
    "classify",
    "display_name",
    "edit_filter",
    "familiar_region",
    "filter_from_text",
    "filter_to_text",
    "format_filter",
    "hashtag",
    "matches",
    "parse_filter",
    "region_ids_for",
    "resolve_name",
    "subregion_names",
    "subregions_of",
    "suggest",
    "tables",
    "teaser_hashtags",
    "within",
]
