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
    ("region", "Choose the regions you get"),
    ("regions", "List the regions I understand"),
    ("settings", "Everything about this chat, with buttons"),
    ("channels", "Set up the channels you run"),
    ("stop", "Unsubscribe"),
    ("about", "The news sites I follow"),
    ("help", "How to use this bot"),
)
GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("latest", "Show the latest teasers: /latest [region] [N]"),
    ("regions", "List the regions I understand"),
    ("about", "The news sites I follow"),
    ("help", "How to use this bot"),
)
GROUP_ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", "Subscribe this chat to news teasers"),
    ("latest", "Show the latest teasers: /latest [region] [N]"),
    ("region", "Choose the regions this chat gets"),
    ("regions", "List the regions I understand"),
    ("settings", "This chat's settings, with buttons"),
    ("stop", "Unsubscribe this chat"),
    ("about", "The news sites I follow"),
    ("help", "How to use this bot"),
)

# Longer help for `/help <command>`; every command has an entry (a test checks it).
COMMAND_HELP: dict[str, str] = {
    "start": (
        "/start subscribes this chat: a teaser for every new article (or only the regions you "
        "chose). In groups and channels only admins can use it. Inside a forum topic, teasers go "
        "to that topic. In a private chat, <code>/start @channel</code> subscribes a channel you "
        "administer."
    ),
    "stop": (
        "/stop unsubscribes this chat; <code>/stop @channel</code> a channel you administer. "
        "Your regions are kept: /start brings them back."
    ),
    "latest": (
        "/latest [region] [N] shows the N most recent teasers (default {default}, at most {max}), "
        "of this chat's regions when it has chosen some. <code>/latest all</code> shows "
        "everything, <code>/latest russia</code> or <code>/latest latin america 10</code> one "
        "part of the world."
    ),
    "region": (
        "/region shows this chat's regions with buttons. <code>/region europe asia</code> "
        "subscribes the chat to those regions, <code>/region add russia</code> and "
        "<code>/region remove asia</code> change them, <code>/region all</code> sends "
        "everything. In a private chat, <code>/region @channel europe</code> does the same for a "
        "channel you administer."
    ),
    "regions": (
        "/regions lists the continents and their parts, the groupings and the countries with "
        "articles in the last {days} days. Countries work too: by name, code "
        "(<code>ru</code>, <code>uk</code>) or demonym (<code>russian</code>)."
    ),
    "settings": (
        "/settings shows everything about this chat (subscribed, regions, link previews, silent "
        "posts) with buttons to change it. In a private chat, <code>/settings @channel</code> "
        "shows a channel you administer."
    ),
    "channels": (
        "/channels (in a private chat) lists the channels where I am an admin and you are too, "
        "with buttons to subscribe, unsubscribe and choose regions. To add a channel, make me an "
        "administrator of it with the right to post messages."
    ),
    "about": "/about names the news sites I follow.",
    "help": "/help shows this overview; <code>/help region</code> explains one command.",
}

WELCOME = (
    "<b>Welcome!</b> You are subscribed: I will post a teaser here for every new article "
    "from the news sites I follow.\n\n"
    "Only want part of the world? Tap <b>Choose regions</b> below, or type e.g. "
    "<code>/region europe asia</code> or <code>/region russia</code>. /help lists everything."
)
WELCOME_BACK = (
    "<b>Welcome back!</b> You are subscribed again. Your regions are still set: "
    "<b>{regions}</b>.\n"
    "Tap <b>Choose regions</b> to change them, or send <code>/region all</code> for everything."
)
ALREADY_SUBSCRIBED = (
    "You are already subscribed. Regions: <b>{regions}</b>.\n"
    "Tap <b>Choose regions</b> to change them, or /stop to unsubscribe."
)
GROUP_WELCOME = (
    "<b>This chat is subscribed.</b> I will post a teaser here for every new article.\n"
    "Admins can narrow it down with /region, e.g. <code>/region latin america</code>."
)
GROUP_WELCOME_BACK = (
    "<b>This chat is subscribed again.</b> Its regions are still set: <b>{regions}</b>.\n"
    "Admins can change them with /region."
)
GROUP_HELLO = (
    "<b>Hello!</b> I post a short teaser for every new article from the news sites I follow.\n\n"
    "An admin of this chat can send /start to subscribe it, or /region to subscribe it to parts "
    "of the world (e.g. <code>/region europe middle east</code>), and /settings for the rest. "
    "Anyone can use /latest. /help lists everything."
)
STOPPED = (
    "Unsubscribed: no more teasers will be sent here. Your regions are kept: send /start to "
    "subscribe again."
)
STOPPED_REMOTE = (
    "{chat} is unsubscribed: no more teasers will be sent there. "
    "<code>/start {ref}</code> subscribes it again."
)
NOT_SUBSCRIBED = "This chat is not subscribed. Send /start to subscribe."
NOT_SUBSCRIBED_REMOTE = "{chat} is not subscribed. <code>/start {ref}</code> subscribes it."
HELP = (
    "<b>teaserbot</b> posts the headline, a short summary and a link for every new article "
    "from the news sites it follows.\n\n"
    "{commands}\n\n"
    "<b>Regions</b>: choosing regions subscribes a chat to them. Name continents "
    "(<code>europe</code>), their parts (<code>eastern europe</code>, "
    "<code>southeast asia</code>), groupings (<code>middle east</code>, "
    "<code>latin america</code>, <code>eu</code>), countries (<code>russia</code>, "
    "<code>uk</code>, <code>ru</code>) or "
    "<code>international</code> (stories about no particular country). In groups and channels "
    "only admins can change the settings. <code>/help region</code> explains one command."
    "{sites}"
)
SITES = "\n\n<b>News sites I follow</b>\n{lines}"
SITE_LINE = "• {name} ({host})"
SITES_MORE = "• … and {count} more"
SITES_NONE = "\n\nI follow no news sites yet."
ABOUT = (
    "<b>teaserbot</b> posts the headline, a short summary and a link for every new article "
    "from the news sites it follows. /help lists the commands.{sites}"
)
HELP_UNKNOWN = "I have no command called /{name}. /help lists them all."

# Private messages that are not commands the bot knows: never left without an answer.
UNKNOWN_COMMAND_GUESS = "I don't know /{typed}. Did you mean /{guess}?"
UNKNOWN_COMMAND = "I don't know /{typed}. /help lists what I can do."
TEXT_HINT = (
    "I answer commands. The main ones:\n"
    "/latest - the newest teasers\n"
    "/region - choose parts of the world, e.g. <code>/region europe</code>\n"
    "/settings - this chat's settings\n"
    "/help - everything else"
)
URL_HINT = (
    "I can't follow a link you send me: I post teasers from a fixed list of news sites.{sites}\n\n"
    "/latest shows their newest stories."
)
URL_HINT_OPERATOR = (
    "\n\nYou operate this bot: <code>/addsource {url}</code> adds that site to the list."
)

LATEST_USAGE = "Usage: /latest [region] [N], where N is a number from 1 to {max}, e.g. /latest 10."
LATEST_EMPTY = "No articles yet. The first ones appear after the next check of the news sites."
LATEST_EMPTY_REGION = "No recent articles about {region}."
LATEST_EMPTY_CHAT = (
    "No recent articles about this chat's regions ({region}). <code>/latest all</code> shows "
    "everything."
)
LATEST_HEADING = "Latest {count}"
LATEST_HEADING_REGION = "Latest {count}: {region}"
LATEST_CHAT_NOTE = "This chat's regions. /latest all shows everything."
LATEST_CAPPED = "You asked for {asked}; I show at most {max} at a time."

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

# Regions. Choosing regions means "send me these": it subscribes the chat.
SUBSCRIBED_YOU = "You are subscribed: <b>{regions}</b>."
SUBSCRIBED_CHAT = "{chat} is subscribed: <b>{regions}</b>."
SUBSCRIBED_STOP_HINT = " <code>/stop{ref}</code> unsubscribes."
NOT_SUBSCRIBED_SUMMARY = "{chat} is not subscribed. Regions kept: <b>{regions}</b>."
NOT_SUBSCRIBED_YOU = "You are not subscribed. Regions kept: <b>{regions}</b>."
REGION_VIEW = (
    "<b>Regions for {chat}</b>: {regions}\n{state}\n\n"
    "☑ chosen, ☐ not; ◐ some of its parts are chosen; ▸ opens a continent's parts. "
    "Choosing a region subscribes the chat. <b>International</b> means stories about no "
    "particular country. Type countries: <code>/region add russia</code>."
)
REGION_VIEW_PAGE = (
    "<b>Regions for {chat}</b>: {regions}\n{state}\n\nParts of <b>{page}</b>: tap to choose."
)
REGION_STATE_ON = "Subscribed."
REGION_STATE_OFF = "Not subscribed yet: choosing a region subscribes."
REGIONS_HEADING = (
    "<b>Regions I understand</b>\nNumbers: articles in the last {days} days (none, no number)."
)
REGIONS_GROUPINGS = "<b>Groupings</b>: {items}"
REGIONS_NONE = "<b>International</b> (stories about no particular country){count}"
REGIONS_COUNTRIES = "<b>Countries with recent articles</b>: {items}"
REGIONS_FOOTER = (
    "Parts like <code>west africa</code> or <code>caribbean</code> work too, and any country "
    "by name, code or demonym: <code>ru</code>, <code>uk</code>, <code>russian</code>. Use them "
    "with /region or /latest."
)
THIS_CHAT = "this chat"
EVERYTHING = "everything"

# Settings.
SETTINGS = (
    "<b>Settings for {chat}</b>\n"
    "Subscribed: <b>{subscribed}</b>\n"
    "Regions: <b>{regions}</b>\n"
    "Link previews: <b>{previews}</b>\n"
    "Silent posts: <b>{silent}</b>"
)
PREVIEWS_ON = "on (for teasers with an image)"
YES = "yes"
NO = "no"
ON = "on"
OFF = "off"

# Toasts: the short answer to every tap.
TOAST_ADDED = "{name} added"
TOAST_REMOVED = "{name} removed"
TOAST_ADDED_SUBSCRIBED = "{name} added; subscribed"
TOAST_EVERYTHING = "Everything: no region filter"
TOAST_SUBSCRIBED = "Subscribed"
TOAST_UNSUBSCRIBED = "Unsubscribed"
TOAST_PREVIEWS = "Link previews {state}"
TOAST_SILENT = "Silent posts {state}"
TOAST_DONE = "Saved"
TOAST_PAGE = "{name}: tap a part to choose it"
TOAST_ROOT = "All regions"
TOAST_OPENED_BELOW = "Opened below"
TOAST_SETTINGS = "Settings"
TOAST_CHANNELS = "Your channels"

# Buttons.
BUTTON_CHOOSE_REGIONS = "🌍 Choose regions"
BUTTON_SETTINGS = "⚙️ Settings"
BUTTON_EVERYTHING = "🌐 Everything"
BUTTON_BACK = "⬅️ Back"
BUTTON_DONE = "✅ Done"
BUTTON_SUBSCRIBE = "🔔 Subscribe"
BUTTON_UNSUBSCRIBE = "🔕 Unsubscribe"
BUTTON_PREVIEWS_ON = "🔗 Link previews: on"
BUTTON_PREVIEWS_OFF = "🔗 Link previews: off"
BUTTON_SILENT_ON = "🔇 Silent posts: on"
BUTTON_SILENT_OFF = "🔊 Silent posts: off"
BUTTON_REGIONS = "🌍 Regions: {regions}"
BUTTON_CHANNELS = "⬅️ Channels"
CHECKED = "☑ "
UNCHECKED = "☐ "
PARTLY = "◐ "
PARTLY_COUNT = " · {count} chosen"

# Channels.
CHANNELS_NONE = (
    "I don't know any channel that you administer. To add one, make me an administrator of "
    "your channel with the right to post messages; I will write to you here."
)
CHANNELS_HEADING = (
    "<b>Your channels</b>\n{lines}\n\nTap a channel's button to subscribe or unsubscribe it, or "
    "🌍 to choose its regions (that subscribes it too)."
)
CHANNEL_LINE = "• {title}: {state}, regions: {regions}"
CHANNEL_SUBSCRIBED = "subscribed"
CHANNEL_NOT_SUBSCRIBED = "not subscribed"
CHANNEL_ADDED = (
    "Thanks for adding me to <b>{chat}</b>. It gets nothing yet. Tap 🌍 to choose its regions, "
    "or <b>Subscribe</b> for every new article. You can also type "
    "<code>/region {ref} europe asia</code>. /channels lists every channel you run with me."
)
CHANNELS_WAITING = "While you were away, you added me to {count} channel(s). Let's set them up:"
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
