"""Every text the bot sends to people, in one place (English), ready for translation."""

from __future__ import annotations

LATEST_DEFAULT = 5
LATEST_MAX = 20

# (command, short description) as registered with setMyCommands.
PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Subscribe to news teasers"),
    ("latest", "Show the latest teasers: /latest [region] [N]"),
    ("region", "Show or set your region filter"),
    ("regions", "List the regions I understand"),
    ("stop", "Unsubscribe"),
    ("help", "How to use this bot"),
)
GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("latest", "Show the latest teasers: /latest [region] [N]"),
    ("help", "How to use this bot"),
)
GROUP_ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Subscribe this chat to news teasers"),
    ("latest", "Show the latest teasers: /latest [region] [N]"),
    ("region", "Show or set this chat's region filter"),
    ("regions", "List the regions I understand"),
    ("stop", "Unsubscribe this chat"),
    ("help", "How to use this bot"),
)

WELCOME = (
    "<b>Welcome!</b> You are subscribed: I will post a teaser here for every new article "
    "from the news sites I follow.\n\n"
    "Only want part of the world? Use /region, e.g. <code>/region europe asia</code> or "
    "<code>/region russia</code>.\n\n"
    "{commands}"
)
ALREADY_SUBSCRIBED = "You are already subscribed. New teasers will keep coming here.\n\n{commands}"
GROUP_WELCOME = (
    "<b>This chat is subscribed.</b> I will post a teaser here for every new article.\n"
    "Admins can narrow it down with /region, e.g. <code>/region latin america</code>."
)
STOPPED = "Unsubscribed: no more teasers will be sent here. Send /start to subscribe again."
NOT_SUBSCRIBED = "This chat is not subscribed. Send /start to subscribe."
HELP = (
    "<b>teaserbot</b> posts the headline, a short summary and a link for every new article "
    "from the news sites it follows.\n\n"
    "{commands}\n\n"
    "<b>Regions</b>: a filter can name continents (<code>europe</code>), UN sub-regions "
    "(<code>eastern europe</code>, <code>south america</code>), groupings "
    "(<code>middle east</code>, <code>latam</code>, <code>eu</code>) and countries "
    "(<code>russia</code>, <code>uk</code>, <code>ru</code>). In groups and channels only "
    "admins can change the settings."
)
LATEST_USAGE = "Usage: /latest [region] [N], where N is a number from 1 to {max}, e.g. /latest 10."
LATEST_EMPTY = "No articles yet. The first ones appear after the next check of the news sites."
LATEST_EMPTY_REGION = "No recent articles about {region}."
LATEST_HEADING = "Latest {count}"
LATEST_HEADING_REGION = "Latest {count}: {region}"
ADMINS_ONLY = "Only this chat's admins can do that."
FORGED_SENDER = "I can't tell who sent that, so I can't change this chat's settings."
ERROR = "Sorry, something went wrong on my side. Please try again in a minute."


def command_list(commands: tuple[tuple[str, str], ...]) -> str:
    """The commands as lines for a help text."""
    return "\n".join(f"/{name} - {description}" for name, description in commands)
