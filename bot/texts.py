"""Every text the bot sends to people, in one place (English), ready for translation.

Texts are Telegram HTML. Placeholders in braces are filled by the handlers; anything that comes
from outside (chat titles, feed text, typed names) is escaped before it is put in.
"""

from __future__ import annotations

LATEST_DEFAULT = 5
LATEST_MAX = 20
REGIONS_RECENT_DAYS = 7

# (command, short description) as registered with setMyCommands.
PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Subscribe to news teasers"),
    ("latest", "Show the latest teasers: /latest [region] [N]"),
    ("region", "Show or set your region filter"),
    ("regions", "List the regions I understand"),
    ("settings", "Everything about this chat, with buttons"),
    ("channels", "Set up the channels you run"),
    ("stop", "Unsubscribe"),
    ("help", "How to use this bot"),
)
GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("latest", "Show the latest teasers: /latest [region] [N]"),
    ("regions", "List the regions I understand"),
    ("help", "How to use this bot"),
)
GROUP_ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Subscribe this chat to news teasers"),
    ("latest", "Show the latest teasers: /latest [region] [N]"),
    ("region", "Show or set this chat's region filter"),
    ("regions", "List the regions I understand"),
    ("settings", "This chat's settings, with buttons"),
    ("stop", "Unsubscribe this chat"),
    ("help", "How to use this bot"),
)

# Longer help for `/help <command>`; every command has an entry (a test checks it).
COMMAND_HELP: dict[str, str] = {
    "start": (
        "/start subscribes this chat: a teaser for every new article. In groups and channels "
        "only admins can use it. Inside a forum topic, teasers go to that topic."
    ),
    "stop": "/stop unsubscribes this chat. Send /start to come back at any time.",
    "latest": (
        "/latest [region] [N] shows the N most recent teasers (default {default}, at most {max}), "
        "e.g. <code>/latest</code>, <code>/latest 10</code>, <code>/latest russia</code>, "
        "<code>/latest latin america 10</code>."
    ),
    "region": (
        "/region shows this chat's region filter with buttons. <code>/region europe asia</code> "
        "sets it, <code>/region add ru</code> and <code>/region remove asia</code> change it, "
        "<code>/region all</code> (or <code>clear</code>) lets everything through. In a private "
        "chat, <code>/region @channel europe</code> or <code>/region -100123 europe</code> sets "
        "the filter of a channel you administer."
    ),
    "regions": (
        "/regions lists the continents, sub-regions and groupings I understand, with the number "
        "of articles about each in the last {days} days. Countries work too: by name, code "
        "(<code>ru</code>, <code>uk</code>) or demonym (<code>russian</code>)."
    ),
    "settings": (
        "/settings shows everything about this chat (subscribed, regions, link previews) with "
        "buttons to change it. In a private chat, <code>/settings @channel</code> shows a "
        "channel you administer."
    ),
    "channels": (
        "/channels (in a private chat) lists the channels where I am an admin and you are too, "
        "with buttons to subscribe, unsubscribe and choose regions. To add a channel, make me an "
        "administrator of it with the right to post messages."
    ),
    "help": "/help shows this overview; <code>/help region</code> explains one command.",
}

WELCOME = (
    "<b>Welcome!</b> You are subscribed: I will post a teaser here for every new article "
    "from the news sites I follow.\n\n"
    "Only want part of the world? Tap <b>Choose regions</b> below, or type e.g. "
    "<code>/region europe asia</code> or <code>/region russia</code>. /help lists everything."
)
ALREADY_SUBSCRIBED = (
    "You are already subscribed. Regions: <b>{regions}</b>.\n"
    "Tap <b>Choose regions</b> to change them, or /stop to unsubscribe."
)
GROUP_WELCOME = (
    "<b>This chat is subscribed.</b> I will post a teaser here for every new article.\n"
    "Admins can narrow it down with /region, e.g. <code>/region latin america</code>."
)
GROUP_HELLO = (
    "<b>Hello!</b> I post a short teaser for every new article from the news sites I follow.\n\n"
    "An admin of this chat can send /start to subscribe it, then /region to choose parts of "
    "the world (e.g. <code>/region europe middle east</code>) and /settings for the rest. "
    "Anyone can use /latest. /help lists everything."
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
    "admins can change the settings. <code>/help region</code> explains one command."
)
HELP_UNKNOWN = "I have no command called /{name}. /help lists them all."
LATEST_USAGE = "Usage: /latest [region] [N], where N is a number from 1 to {max}, e.g. /latest 10."
LATEST_EMPTY = "No articles yet. The first ones appear after the next check of the news sites."
LATEST_EMPTY_REGION = "No recent articles about {region}."
LATEST_HEADING = "Latest {count}"
LATEST_HEADING_REGION = "Latest {count}: {region}"

# Permissions: each refusal says why.
ADMINS_ONLY = "Only this chat's admins can do that."
FORGED_SENDER = "I can't tell who sent that, so I can't change this chat's settings."
ADMIN_CHECK_FAILED = "I couldn't check with Telegram who the admins are. Please try again."
NOT_ADMIN_OF = "You are not an administrator of {chat}, so you can't change its settings."
NOT_YOUR_CHAT = "You can only change your own private chat with me."
BOT_NOT_THERE = "I am not a member of {chat} (or it doesn't exist), so I can't set it up."
BOT_CANNOT_POST = (
    "I can't post in {chat}: make me an administrator there with the right to post messages, "
    "then try again."
)
PRIVATE_ONLY = "Please send that to me in a private chat."
UNKNOWN_TARGET = "I can't find {target}. Use the channel's @username or its numeric id."
BUTTON_REFUSED = "You can't change this."
BUTTON_EXPIRED = "This button is no longer valid. Send the command again."

# Regions.
REGION_SET = "Regions for {chat} set: <b>{regions}</b>."
REGION_VIEW = (
    "Regions for {chat}: <b>{regions}</b>.\n\n"
    "Tap a region to add or remove it; ▸ shows its sub-regions. Countries can be typed: "
    "<code>/region add russia</code>."
)
REGION_VIEW_PAGE = "Regions for {chat}: <b>{regions}</b>.\n\nSub-regions of <b>{page}</b>:"
REGIONS_HEADING = "<b>Regions I understand</b> (articles in the last {days} days)"
REGIONS_COUNTRIES = "<b>Countries with recent articles</b>"
REGIONS_FOOTER = (
    "Any country works too, by name, code or demonym: <code>ru</code>, <code>uk</code>, "
    "<code>russian</code>. Use them with /region or /latest."
)
THIS_CHAT = "this chat"
NO_COUNTRY = "No particular country"

# Settings.
SETTINGS = (
    "<b>Settings for {chat}</b>\n"
    "Subscribed: <b>{subscribed}</b>\n"
    "Regions: <b>{regions}</b>\n"
    "Link previews: <b>{previews}</b>"
)
YES = "yes"
NO = "no"
ON = "on"
OFF = "off"

# Buttons.
BUTTON_CHOOSE_REGIONS = "🌍 Choose regions"
BUTTON_SETTINGS = "⚙️ Settings"
BUTTON_EVERYTHING = "🌐 Everything"
BUTTON_BACK = "⬅️ Back"
BUTTON_DONE = "Done"
BUTTON_SUBSCRIBE = "🔔 Subscribe"
BUTTON_UNSUBSCRIBE = "🔕 Unsubscribe"
BUTTON_PREVIEWS_ON = "🔗 Link previews: on"
BUTTON_PREVIEWS_OFF = "🔗 Link previews: off"
BUTTON_REGIONS = "🌍 Regions: {regions}"
BUTTON_CHANNELS = "⬅️ Channels"
CHECKED = "✅ "

# Channels.
CHANNELS_NONE = (
    "I don't know any channel that you administer. To add one, make me an administrator of "
    "your channel with the right to post messages; I will write to you here."
)
CHANNELS_HEADING = (
    "<b>Your channels</b>\n{lines}\n\nTap a channel's button to subscribe or unsubscribe it, or "
    "🌍 to choose its regions."
)
CHANNEL_LINE = "• {title}: {state}, regions: {regions}"
CHANNEL_SUBSCRIBED = "subscribed"
CHANNEL_NOT_SUBSCRIBED = "not subscribed"
CHANNEL_ADDED = (
    "Thanks for adding me to <b>{chat}</b>. It is not subscribed yet: tap <b>Subscribe</b> "
    "below, and choose its regions with 🌍 (or type <code>/region {ref} europe asia</code>). "
    "/channels lists every channel you run with me."
)
ERROR = "Sorry, something went wrong on my side. Please try again in a minute."


def command_list(commands: tuple[tuple[str, str], ...]) -> str:
    """The commands as lines for a help text."""
    return "\n".join(f"/{name} - {description}" for name, description in commands)


def command_help(name: str) -> str:
    """The long help text of one command."""
    return COMMAND_HELP[name].format(
        default=LATEST_DEFAULT, max=LATEST_MAX, days=REGIONS_RECENT_DAYS
    )


# --- operators (ADMIN_USER_IDS) -----------------------------------------------------------------

OPERATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("sources", "Operators: every source and its status"),
    ("addsource", "Operators: /addsource URL [name]"),
    ("removesource", "Operators: /removesource ID"),
    ("pausesource", "Operators: /pausesource ID"),
    ("resumesource", "Operators: /resumesource ID"),
    ("stats", "Operators: chats, subscriptions, messages today, queue"),
)
OPERATORS_ONLY = "That command is for the bot's operators."
OPERATOR_ANSWERED_PRIVATELY = "I sent you the answer in our private chat."
OPERATOR_START_PRIVATE = (
    "I answer operator commands in a private chat only: open a chat with me, press Start, "
    "and ask there."
)
SOURCES_HEADING = "<b>Sources</b> ({count})"
SOURCES_EMPTY = "No sources yet. Add one with /addsource URL [name]."
SOURCE_LINE = "#{id} <b>{name}</b> · {status}{origin}\n{url}"
ADDSOURCE_USAGE = "Usage: /addsource URL [name], e.g. /addsource https://example.org/feed/ Example"
ADDSOURCE_BAD_URL = "That is not a web address I can fetch: {problem}."
ADDSOURCE_FAILED = "I could not read {url}: {reason}. Nothing was added."
ADDSOURCE_ADDED = (
    "Added source #{id} <b>{name}</b> ({format}, {items} items). It is polled from now on; the "
    "items it has now count as already seen.\n\nLatest:\n{preview}"
)
ADDSOURCE_EXISTS = "Source #{id} <b>{name}</b> already exists; it is enabled and polled again."
SOURCE_ID_USAGE = "Usage: /{command} ID (the number /sources shows)."
SOURCE_UNKNOWN = "There is no source #{id}."
SOURCE_REMOVED = "Removed source #{id} <b>{name}</b> with its stored articles."
SOURCE_FROM_CONFIG = (
    "Source #{id} <b>{name}</b> comes from the sources file: remove it there, or "
    "/pausesource {id} to stop polling it."
)
SOURCE_PAUSED = "Paused source #{id} <b>{name}</b>. /resumesource {id} starts it again."
SOURCE_RESUMED = "Resumed source #{id} <b>{name}</b>; it is polled now."
STATS = (
    "<b>Chats subscribed</b>: {chats}\n"
    "<b>Subscriptions by region</b>: {regions}\n"
    "<b>Messages sent today</b> (UTC): {sent_today}\n"
    "<b>Queue</b>: {queued}\n"
    "<b>Articles stored</b>: {articles} from {sources} sources"
)
OUTAGE_NOTICE = (
    "⚠️ Source #{id} <b>{name}</b> has been failing for {duration} ({failures} failed polls): "
    "{error}\n{url}"
)
RECOVERY_NOTICE = "✅ Source #{id} <b>{name}</b> works again (the outage was reported {ago} ago)."

# Digest headings (plain text: the delivery loop escapes and bolds them). A chat with a long
# backlog gets several teasers per message; {part}/{parts} numbers the messages of one digest.
DIGEST_HEADING = "🗞 News digest: {count} stories"
DIGEST_HEADING_PART = "🗞 News digest: {count} stories (part {part} of {parts})"
