"""Every text the bot sends to people, in one place (English), ready for translation.

Texts are Telegram HTML. Placeholders in braces are filled by the handlers; anything that comes
from outside (chat titles, feed text, typed names) is escaped before it is put in.
"""

from __future__ import annotations

from bot.core.i18n import N_, NP_, tr

MAX_KEYWORDS = 30  # a chat's words, included and excluded (bot/core/keywords.py keeps to it)
LATEST_DEFAULT = 5
LATEST_MAX = 20
REGIONS_RECENT_DAYS = 7

# (command, short description) as registered with setMyCommands.
PRIVATE_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Subscribe to news teasers")),
    ("latest", N_("Show the latest teasers: /latest [region] [topic] [N]")),
    ("search", N_("Find stories: /search words")),
    ("format", N_("How teasers look: parts, photo, signature")),
    ("schedule", N_("When teasers come: at once, or as digests")),
    ("quiet", N_("Quiet hours: without a sound, or later")),
    ("region", N_("Choose the regions you get")),
    ("topic", N_("Choose the topics you get")),
    ("keywords", N_("Words to include or exclude: /keywords +strike -football")),
    ("sites", N_("Choose the news sites you get")),
    ("regions", N_("List the regions I understand")),
    ("settings", N_("Everything about this chat, with buttons")),
    ("language", N_("Choose the language I speak here")),
    ("channels", N_("Set up the channels you run")),
    ("stop", N_("Unsubscribe")),
    ("about", N_("The news sites I follow")),
    ("help", N_("How to use this bot")),
)
GROUP_COMMANDS: tuple[tuple[str, str], ...] = (
    ("latest", N_("Show the latest teasers: /latest [region] [topic] [N]")),
    ("search", N_("Find stories: /search words")),
    ("region", N_("See the regions this chat gets")),
    ("regions", N_("List the regions I understand")),
    ("about", N_("The news sites I follow")),
    ("help", N_("How to use this bot")),
)
GROUP_ADMIN_COMMANDS: tuple[tuple[str, str], ...] = (
    ("start", N_("Subscribe this chat to news teasers")),
    ("latest", N_("Show the latest teasers: /latest [region] [topic] [N]")),
    ("search", N_("Find stories: /search words")),
    ("format", N_("How teasers look: parts, photo, signature")),
    ("schedule", N_("When teasers come: at once, or as digests")),
    ("quiet", N_("Quiet hours: without a sound, or later")),
    ("region", N_("Choose the regions this chat gets")),
    ("topic", N_("Choose the topics this chat gets")),
    ("keywords", N_("Words to include or exclude: /keywords +strike -football")),
    ("sites", N_("Choose the news sites this chat gets")),
    ("regions", N_("List the regions I understand")),
    ("settings", N_("This chat's settings, with buttons")),
    ("language", N_("Choose the language I speak here")),
    ("stop", N_("Unsubscribe this chat")),
    ("about", N_("The news sites I follow")),
    ("help", N_("How to use this bot")),
)

# The bot's profile: the "What can this bot do?" page (512 characters at most) and the short
# description on its profile and in shared links (120 at most).
BOT_DESCRIPTION = N_(
    "I post a short teaser (headline, summary and link) for every new article from the news "
    "sites I follow: here, in your group or in your channel. Choose the parts of the world you "
    "care about, from continents to single countries, or get everything.\n\n"
    "Tap Start to subscribe."
)
BOT_SHORT_DESCRIPTION = N_(
    "News teasers from the sites I follow, for the parts of the world you choose."
)

# Longer help for `/help <command>`; every command has an entry (a test checks it).
COMMAND_HELP: dict[str, str] = {
    "start": N_(
        "/start subscribes this chat: a teaser for every new article (or only the regions you "
        "chose). In groups and channels only admins can use it. Inside a forum topic, teasers go "
        "to that topic. In a private chat, <code>/start @channel</code> subscribes a channel you "
        "administer."
    ),
    "stop": N_(
        "/stop unsubscribes this chat; <code>/stop @channel</code> a channel you administer. "
        "Your regions are kept: /start brings them back."
    ),
    "latest": N_(
        "/latest [region] [topic] [N] shows the N most recent teasers (default {default}, at "
        "most {max}) that this chat would get: its regions, topics, words and sites. "
        "<code>/latest all</code> shows everything; <code>/latest russia</code>, "
        "<code>/latest labour</code> or <code>/latest latin america labour 10</code> show what "
        "you name instead."
    ),
    "region": N_(
        "/region shows this chat's regions with buttons. <code>/region europe asia</code> "
        "subscribes the chat to those regions, <code>/region add russia</code> and "
        "<code>/region remove asia</code> change them, <code>/region all</code> sends "
        "everything. In a private chat, <code>/region @channel europe</code> does the same for a "
        "channel you administer."
    ),
    "regions": N_(
        "/regions lists the continents and their parts, the groupings and the countries with "
        "articles in the last {days} days. Countries work too: by name, code "
        "(<code>ru</code>, <code>uk</code>) or demonym (<code>russian</code>)."
    ),
    "topic": N_(
        "/topic shows this chat's topics with buttons: labour, politics, war, economy, "
        "environment, rights, theory and culture. <code>/topic labour war</code> chooses them, "
        "<code>/topic add economy</code> and <code>/topic remove war</code> change them, "
        "<code>/topic all</code> brings every topic back. Topics and regions combine: "
        "<code>/region latin america</code> with <code>/topic labour</code> gets only labour "
        "stories from Latin America. In a private chat, <code>/topic @channel labour</code> does "
        "the same for a channel you administer."
    ),
    "keywords": N_(
        "/keywords lists this chat's words with a button to remove each. "
        "<code>/keywords +strike +huelga -football</code> adds words: a story with an excluded "
        "word (-) never comes; with included words (+), only stories with one of them come. Words "
        "match whole, in any case, with or without accents and in any form (strike, strikes, "
        "striking); at most {keywords} per chat. <code>/keywords remove strike</code> forgets "
        "one, <code>/keywords clear</code> all. In a private chat, "
        "<code>/keywords @channel -football</code> does the same for a channel you administer."
    ),
    "sites": N_(
        "/sites lists the news sites I follow with buttons. By default a chat gets every site, "
        "also the ones added later; once it picks some, it keeps its pick. "
        "<code>/sites marxist</code> chooses the sites with that word in their name, "
        "<code>/sites add …</code> and <code>/sites remove …</code> change the pick, "
        "<code>/sites all</code> brings every site back. In a private chat, "
        "<code>/sites @channel …</code> does the same for a channel you administer."
    ),
    "settings": N_(
        "/settings shows everything about this chat (subscribed, regions, topics, keywords, "
        "sites, link previews, silent posts, share button, language) with buttons to change it. "
        "In a private chat, <code>/settings @channel</code> shows a channel you administer."
    ),
    "channels": N_(
        "/channels (in a private chat) lists the channels where I am an admin and you are too, "
        "with buttons to subscribe, unsubscribe and choose regions. To add a channel, make me an "
        "administrator of it with the right to post messages."
    ),
    "about": N_("/about names the news sites I follow."),
    "schedule": N_(
        "/schedule shows when this chat gets its teasers, with buttons. "
        "<code>/schedule instant</code>: each one as soon as I find it (the default); "
        "<code>/schedule every 3 h</code>: one digest every 1 to 24 hours; "
        "<code>/schedule daily 07:30 Madrid</code>: one digest a day, on the clock of a time zone "
        "(a city, a country or a name like Europe/Madrid; UTC until you name one). A digest "
        "holds every teaser found since the one before; when nothing is new, nothing is sent. "
        "In a private chat, <code>/schedule @channel daily 08:00</code> sets a channel you "
        "administer."
    ),
    "quiet": N_(
        "/quiet shows this chat's quiet hours, with buttons. <code>/quiet 22:00-07:00</code> "
        "sends teasers without a sound at night; <code>/quiet 22:00-07:00 hold</code> keeps them "
        "until 07:00 instead. A time zone may follow (<code>/quiet 23:00-06:30 Berlin</code>); "
        "<code>/quiet off</code> ends them. In a private chat, <code>/quiet @channel …</code> "
        "sets a channel you administer."
    ),
    "format": N_(
        "/format shows how this chat's teasers look, with the latest story, and buttons to "
        "switch each part. Typed: <code>/format summary off</code>, <code>hashtags off</code>, "
        "<code>source off</code>, <code>photo on</code> (a story with an image comes as a "
        "photo), <code>button on</code> (a Read button instead of the linked title), "
        "<code>share off</code>, <code>signature Our paper</code> (a last line of your own) or "
        "<code>signature off</code>. In a private chat, <code>/format @channel …</code> sets a "
        "channel you administer."
    ),
    "language": N_(
        "/language shows the languages I speak, with buttons; <code>/language es</code> switches "
        "this chat to Spanish. In groups and channels only admins can change it."
    ),
    "help": N_("/help shows this overview; <code>/help region</code> explains one command."),
}

WELCOME = N_(
    "<b>Welcome!</b> You are subscribed: I will post a teaser here for every new article "
    "from the news sites I follow.\n\n"
    "Only want part of the world? Tap <b>Choose regions</b> below, or type e.g. "
    "<code>/region europe asia</code> or <code>/region russia</code>. /help lists everything."
)
WELCOME_BACK = N_(
    "<b>Welcome back!</b> You are subscribed again. Your regions are still set: "
    "<b>{regions}</b>.\n"
    "Tap <b>Choose regions</b> to change them, or send <code>/region all</code> for everything."
)
WELCOME_CHANNELS_NOTE = NP_(
    "\n\nYou also added me to a channel. Once it is subscribed, you would read every story "
    "twice, here and there: tap <b>Only the channel</b> to get teasers there only.",
    "\n\nYou also added me to {count} channels. Once they are subscribed, you would read every "
    "story twice, here and there: tap <b>Only the channels</b> to get teasers there only.",
)
BUTTON_ONLY_CHANNELS = NP_("📢 Only the channel", "📢 Only the channels")
ONLY_CHANNELS_DONE = N_(
    "Done: this chat is unsubscribed, and teasers go to your channels only. /start here "
    "subscribes it again."
)
ALREADY_SUBSCRIBED = N_(
    "You are already subscribed. Regions: <b>{regions}</b>.\n"
    "Tap <b>Choose regions</b> to change them, or /stop to unsubscribe."
)
GROUP_WELCOME = N_(
    "<b>This chat is subscribed.</b> I will post a teaser here for every new article.\n"
    "Admins can narrow it down with /region, e.g. <code>/region latin america</code>."
)
GROUP_WELCOME_BACK = N_(
    "<b>This chat is subscribed again.</b> Its regions are still set: <b>{regions}</b>.\n"
    "Admins can change them with /region."
)
GROUP_HELLO = N_(
    "<b>Hello!</b> I post a short teaser for every new article from the news sites I follow.\n\n"
    "An admin of this chat can send /start to subscribe it, or /region to subscribe it to parts "
    "of the world (e.g. <code>/region europe middle east</code>), and /settings for the rest. "
    "Anyone can use /latest. /help lists everything."
)
STOPPED = N_(
    "Unsubscribed: no more teasers will be sent here. Your regions are kept: send /start to "
    "subscribe again."
)
STOPPED_REMOTE = N_(
    "{chat} is unsubscribed: no more teasers will be sent there. "
    "<code>/start {ref}</code> subscribes it again."
)
STOPPED_CHAT = N_(
    "Unsubscribed: no more teasers will be sent here. This chat's regions are kept: send /start "
    "to subscribe it again."
)
NOT_SUBSCRIBED = N_("This chat is not subscribed. Send /start to subscribe.")
NOT_SUBSCRIBED_REMOTE = N_("{chat} is not subscribed. <code>/start {ref}</code> subscribes it.")
HELP = N_(
    "<b>teaserbot</b> posts the headline, a short summary and a link for every new article "
    "from the news sites it follows.\n\n"
    "{commands}\n\n"
    "<b>Regions</b>: choosing regions subscribes a chat to them. Name continents "
    "(<code>europe</code>), their parts (<code>eastern europe</code>, "
    "<code>southeast asia</code>), groupings (<code>middle east</code>, "
    "<code>latin america</code>, <code>eu</code>), countries (<code>russia</code>, "
    "<code>uk</code>, <code>ru</code>) or "
    "<code>international</code> (stories about no particular country). In groups and channels "
    "only admins can change the settings.\n\n"
    "<b>Topics, words and sites</b> narrow it further: <code>/topic labour</code>, "
    "<code>/keywords +strike -football</code>, <code>/sites</code>. A story comes when it fits "
    "all of them. <code>/help keywords</code> explains one command."
    "{sites}"
)
SITES = N_("\n\n<b>News sites I follow</b>\n{lines}")
SITE_LINE = N_("• {name} ({host})")
SITES_MORE = NP_("• … and {count} more", "• … and {count} more")
SITES_NONE = N_("\n\nI follow no news sites yet.")
ABOUT = N_(
    "<b>teaserbot</b> posts the headline, a short summary and a link for every new article "
    "from the news sites it follows. /help lists the commands.{sites}"
)
HELP_UNKNOWN = N_("I have no command called /{name}. /help lists them all.")

# Private messages that are not commands the bot knows: never left without an answer.
UNKNOWN_COMMAND_GUESS = N_("I don't know /{typed}. Did you mean /{guess}?")
UNKNOWN_COMMAND = N_("I don't know /{typed}. /help lists what I can do.")
TEXT_HINT = N_(
    "I answer commands. The main ones:\n"
    "/latest - the newest teasers\n"
    "/region - choose parts of the world, e.g. <code>/region europe</code>\n"
    "/settings - this chat's settings\n"
    "/help - everything else"
)
URL_HINT = N_(
    "I can't follow a link you send me: I post teasers from a fixed list of news sites.{sites}\n\n"
    "/latest shows their newest stories."
)
URL_HINT_OPERATOR = N_(
    "\n\nYou operate this bot: <code>/addsource {url}</code> adds that site to the list."
)

LATEST_USAGE = N_(
    "Usage: /latest [region] [topic] [N], where N is a number from 1 to {max}, e.g. /latest 10 "
    "or /latest chile labour 10."
)
LATEST_EMPTY = N_("No articles yet. The first ones appear after the next check of the news sites.")
LATEST_EMPTY_REGION = N_("No recent articles about {region}.")
LATEST_EMPTY_CHAT = N_(
    "No recent articles about this chat's regions ({region}). <code>/latest all</code> shows "
    "everything."
)
LATEST_HEADING = NP_("The latest story", "Latest {count}")
LATEST_HEADING_REGION = NP_("The latest story: {region}", "Latest {count}: {region}")
LATEST_CHAT_NOTE = N_("This chat's regions. /latest all shows everything.")
LATEST_CHAT_FILTERS_NOTE = N_("What this chat gets. /latest all shows everything.")
LATEST_EMPTY_CHAT_FILTERS = N_(
    "No recent articles of the kind this chat gets ({what}). <code>/latest all</code> shows "
    "everything."
)
LATEST_TOPICS_HINT = N_("You can also name a topic: {topics}.")
LATEST_CAPPED = N_("You asked for {asked}; I show at most {max} at a time.")

# /search and inline mode (bot/telegram/search.py).
SEARCH_USAGE = N_(
    "Send /search and a few words, e.g. <code>/search strike chile</code>. Words and places "
    "can be mixed."
)
SEARCH_HEADING = N_("Found for “{query}”: {first}-{last}")
SEARCH_NONE = N_("Nothing found for “{query}”. /latest shows the newest stories.")
SEARCH_NO_MORE = N_("No more stories found for “{query}”.")
SEARCH_MORE = N_("Next 10")
SEARCH_EXPIRED = N_("This search is too old. Please send /search again.")
SHARE_BUTTON = N_("↗️ Share")
READ_BUTTON = N_("📖 Read")  # the button under a teaser that opens the article (/format button on)
FORMAT_SHARE_ON = N_("Teasers here now carry a share button.")
FORMAT_SHARE_OFF = N_("Teasers here no longer carry a share button.")
FORMAT_ON = N_("on")
FORMAT_OFF = N_("off")

# Permissions: each refusal says why.
ADMINS_ONLY = N_("Only this chat's admins can do that.")
FORGED_SENDER = N_("I can't tell who sent that, so I can't change this chat's settings.")
ADMIN_CHECK_FAILED = N_("I couldn't check with Telegram who the admins are. Please try again.")
NOT_ADMIN_OF = N_("You are not an administrator of {chat}, so you can't change its settings.")
NOT_YOUR_CHAT = N_("You can only change your own private chat with me.")
BOT_NOT_THERE = N_("I am not a member of {chat} (or it doesn't exist), so I can't set it up.")
BOT_CANNOT_POST = N_(
    "I can't post in {chat}: make me an administrator there with the right to post messages, "
    "then try again."
)
PRIVATE_ONLY = N_("Please send that to me in a private chat.")
UNKNOWN_TARGET = N_("I can't find {target}. Use the channel's @username or its numeric id.")
CHANNEL_CANNOT_POST = N_(
    "I can't post in {chat}, so I did not subscribe it. Make me an administrator there with the "
    "right to post messages, then send /start in the channel again."
)
BUTTON_REFUSED = N_("You can't change this.")
BUTTON_EXPIRED = N_("This button is no longer valid. Send the command again.")

# Regions. Choosing regions means "send me these": it subscribes the chat.
SUBSCRIBED_YOU = N_("You are subscribed: <b>{regions}</b>.")
SUBSCRIBED_CHAT = N_("{chat} is subscribed: <b>{regions}</b>.")
SUBSCRIBED_STOP_HINT = N_(" <code>/stop{ref}</code> unsubscribes.")
NOT_SUBSCRIBED_SUMMARY = N_("{chat} is not subscribed. Regions kept: <b>{regions}</b>.")
NOT_SUBSCRIBED_YOU = N_("You are not subscribed. Regions kept: <b>{regions}</b>.")
REGION_VIEW = N_(
    "<b>Regions for {chat}</b>: {regions}\n{state}\n\n"
    "☑ chosen, ☐ not; ◐ some of its parts are chosen; ▸ opens a continent's parts. "
    "Choosing a region subscribes the chat. <b>International</b> means stories about no "
    "particular country. Type countries: <code>/region add russia</code>."
)
REGION_VIEW_PAGE = N_(
    "<b>Regions for {chat}</b>: {regions}\n{state}\n\nParts of <b>{page}</b>: tap to choose."
)
NO_REGIONS_LEFT_YOU = N_(
    "You have no regions left, so I send you nothing now. Tap <b>Everything</b> for every "
    "article, or <b>Choose regions</b> to pick some."
)
NO_REGIONS_LEFT = N_(
    "{chat} has no regions left, so I send nothing there now. Tap <b>Everything</b> for every "
    "article, or <b>Choose regions</b> to pick some."
)
NO_REGIONS = N_("none")
REGION_STATE_ON = N_("Subscribed.")
REGION_STATE_OFF = N_("Not subscribed yet: choosing a region subscribes.")
REGIONS_HEADING = N_(
    "<b>Regions I understand</b>\nA number after a name: its articles in the last {days} days."
)
REGIONS_GROUPINGS = N_("<b>Groupings</b>: {items}")
REGIONS_NONE = N_("<b>International</b> (stories about no particular country){count}")
REGIONS_COUNTRIES = N_("<b>Countries with recent articles</b>: {items}")
REGIONS_FOOTER = N_(
    "Parts like <code>west africa</code> or <code>caribbean</code> work too, and any country "
    "by name, code or demonym: <code>ru</code>, <code>uk</code>, <code>russian</code>. Use them "
    "with /region or /latest."
)
REGION_UNKNOWN_GUESS = N_("I don't know '{typed}'. Did you mean {ideas}?")
REGION_UNKNOWN = N_("I don't know '{typed}'. Send /regions for the names I know.")
REGION_AMBIGUOUS = N_("{typed}: did you mean {ideas}?")
OR = N_("or")
REGION_ADD_ALONE = N_(
    "Add which regions? Name them after <code>add</code>, e.g. <code>/region add russia</code> "
    "or <code>/region add latin america</code>; /regions lists the names. This chat gets: "
    "<b>{current}</b>."
)
REGION_REMOVE_ALONE = N_(
    "Remove which regions? Name them after <code>remove</code>, e.g. "
    "<code>/region remove asia</code>. This chat gets: <b>{current}</b>."
)
REGION_ALL_ALONE = N_("'all' means every region; send it on its own.")
REGION_NONE_NAMED = N_("Name a region, e.g. /region europe asia (send /regions for the list).")
REGION_NOT_IN = N_("{named} is not in the filter ({current}).")
THIS_CHAT = N_("this chat")
EVERYTHING = N_("everything")

# Topics (bot/core/topics) and keywords (bot/core/keywords.py). Errors are plain text.
TOPIC_NAMES: dict[str, str] = {
    "labour": N_("Labour"),
    "politics": N_("Politics"),
    "war": N_("War"),
    "economy": N_("Economy"),
    "environment": N_("Environment"),
    "rights": N_("Rights"),
    "theory": N_("Theory"),
    "culture": N_("Culture"),
}
EVERY_TOPIC = N_("every topic")
TOPIC_UNKNOWN = N_("I don't know the topic '{typed}'. The topics are: {topics}.")
TOPIC_AMBIGUOUS = N_("{typed}: did you mean {ideas}?")
TOPIC_ALL_ALONE = N_("'all' means every topic; send it on its own.")
TOPIC_NONE_NAMED = N_("Name a topic, e.g. /topic labour war. The topics are: {topics}.")
TOPIC_NOT_IN = N_("{named} is not among the chosen topics ({current}).")
TOPIC_LAST_REMOVED = N_(
    "That would leave no topic at all. Send /topic all to get every topic, or name the ones "
    "you want."
)
KEYWORDS_TOO_MANY = N_(
    "A chat can have at most {limit} keywords, and this would make {count}. Remove some first "
    "(/keywords lists them)."
)
KEYWORD_ONE_WORD = N_(
    "'{typed}' is more than one word. Keywords are single words: /keywords +strike +huelga "
    "-football."
)
KEYWORD_TOO_LONG = N_("'{typed}' is too long for a keyword (at most {limit} letters).")
KEYWORD_NO_LETTERS = N_("'{typed}' has no letters or digits to look for.")
KEYWORD_NONE_NAMED = N_(
    "Name words to include with + or to exclude with -, e.g. /keywords +strike +huelga "
    "-football. /keywords clear removes them all."
)
KEYWORD_NOT_IN = N_("'{typed}' is not among this chat's keywords.")
KEYWORD_CLEAR_ALONE = N_("'clear' removes every keyword; send it on its own.")
TOPIC_VERB_ALONE = N_(
    "Name the topics after '{verb}', e.g. /topic {verb} economy. The topics are: {topics}."
)

# Sites (bot/core/site_choice.py). Errors are plain text.
EVERY_SITE = N_("every site")
NO_SITES = N_("no site")
SITE_UNKNOWN = N_("I don't follow a site called '{typed}'. The sites are: {sites}.")
SITE_AMBIGUOUS = N_("'{typed}' could be several sites: {sites}. Type more of the name.")
SITE_NONE_NAMED = N_("Name a site, e.g. /sites and a word of its name. The sites are: {sites}.")
SITE_NOT_IN = N_("{named} is not among the chosen sites ({current}).")
SITE_LAST_REMOVED = N_(
    "That would leave no site at all. Send /sites all to get every site, or name the ones you want."
)
SITES_NONE_FOLLOWED = N_("I follow no news sites yet, so there is nothing to choose.")

# /topic, /keywords and /sites: the views and their answers.
TOPIC_VIEW = N_(
    "<b>Topics for {chat}</b>: {topics}\n\n"
    "☑ chosen, ☐ not. With <b>Every topic</b>, stories on any topic come. Topics combine with "
    "the regions: both must fit. Type them too: <code>/topic labour war</code>."
)
TOPICS_SAVED = N_("Topics for {chat}: <b>{topics}</b>.")
KEYWORDS_VIEW = N_(
    "<b>Keywords for {chat}</b>\n{lines}\n\n"
    "Tap a word to remove it. Add words with <code>/keywords +strike -football</code>: a story "
    "with an excluded word (-) never comes; with included words (+), only stories with one of "
    "them come. Words match whole, in any form: strike, strikes, striking."
)
KEYWORDS_INCLUDED = N_("Included: <b>{words}</b>")
KEYWORDS_EXCLUDED = N_("Excluded: <b>{words}</b>")
KEYWORDS_NONE = N_("No keywords: every story passes.")
KEYWORDS_SAVED = N_("Keywords for {chat}: <b>{words}</b>.")
KEYWORDS_CLEARED = N_("Keywords for {chat}: none. Words no longer filter anything.")
NO_KEYWORDS = N_("none")
SITES_VIEW = N_(
    "<b>Sites for {chat}</b>: {sites}\n\n"
    "☑ chosen, ☐ not. <b>Every site</b> also brings the sites added later; a chat that picks "
    "sites keeps its pick. Type a name or a word of it: <code>/sites {example}</code>."
)
SITES_VIEW_MORE = NP_(
    "\n\n{count} more site has no button here: type its name.",
    "\n\n{count} more sites have no button here: type their names.",
)
SITES_SAVED = N_("Sites for {chat}: <b>{sites}</b>.")
FILTER_NOT_SUBSCRIBED = N_("\nNot subscribed yet: <code>/start{ref}</code> subscribes.")

# Settings.
SETTINGS_HEADING = N_("<b>Settings for {chat}</b>")
SETTINGS_SUBSCRIBED = N_("Subscribed: <b>{subscribed}</b>")
SETTINGS_REGIONS = N_("Regions: <b>{regions}</b>")
SETTINGS_TOPICS = N_("Topics: <b>{topics}</b>")
SETTINGS_KEYWORDS = N_("Keywords: <b>{keywords}</b>")
SETTINGS_SITES = N_("Sites: <b>{sites}</b>")
SETTINGS_PREVIEWS = N_("Link previews: <b>{previews}</b>")
SETTINGS_SILENT = N_("Silent posts: <b>{silent}</b>")
PREVIEWS_ON = N_("on (for teasers with an image)")
PREVIEWS_OFF = N_("off (text only)")
SILENT_ON = N_("on (teasers arrive without a sound)")
SILENT_OFF = N_("off (teasers notify as usual)")
YES = N_("yes")
NO = N_("no")

# Toasts: the short answer to every tap.
TOAST_ADDED = N_("{name} added")
TOAST_REMOVED = N_("{name} removed")
TOAST_NO_REGIONS = N_("{name} removed: no regions left, nothing is sent")
TOAST_ADDED_SUBSCRIBED = N_("{name} added; subscribed")
TOAST_EVERYTHING = N_("Everything: no region filter")
TOAST_SUBSCRIBED = N_("Subscribed")
TOAST_UNSUBSCRIBED = N_("Unsubscribed")
TOAST_PREVIEWS_ON = N_("Link previews on")
TOAST_PREVIEWS_OFF = N_("Link previews off")
TOAST_SILENT_ON = N_("Silent posts on")
TOAST_SILENT_OFF = N_("Silent posts off")
TOAST_DONE = N_("Saved")
TOAST_PAGE = N_("{name}: tap a part to choose it")
TOAST_ROOT = N_("All regions")
TOAST_OPENED_BELOW = N_("Opened below")
TOAST_SETTINGS = N_("Settings")
TOAST_LANGUAGES = N_("Languages")
TOAST_CHANNELS = N_("Your channels")
TOAST_TOPIC_ADDED = N_("Topic added: {name}")
TOAST_TOPIC_REMOVED = N_("Topic removed: {name}")
TOAST_SITE_ADDED = N_("Site added: {name}")
TOAST_SITE_REMOVED = N_("Site removed: {name}")
TOAST_KEYWORD_REMOVED = N_("Keyword removed: {word}")
TOAST_EVERY_TOPIC = N_("Every topic")
TOAST_TOPIC_LAST = N_("{name} is the only topic chosen: tap Every topic for all of them.")
TOAST_TOPICS = N_("Topics")
TOAST_KEYWORDS = N_("Keywords")
TOAST_KEYWORDS_CLEARED = N_("Every keyword removed")
TOAST_EVERY_SITE = N_("Every site, also new ones")
TOAST_SITE_LAST = N_("{name} is the only site chosen: tap Every site for all of them.")
TOAST_SITES = N_("Sites")

# Buttons.
BUTTON_CHOOSE_REGIONS = N_("🌍 Choose regions")
BUTTON_SETTINGS = N_("⚙️ Settings")
BUTTON_EVERYTHING = N_("🌐 Everything")
BUTTON_BACK = N_("⬅️ Back")
BUTTON_DONE = N_("✅ Done")
BUTTON_SUBSCRIBE = N_("🔔 Subscribe")
BUTTON_UNSUBSCRIBE = N_("🔕 Unsubscribe")
BUTTON_PREVIEWS_ON = N_("🔗 Link previews: on")
BUTTON_PREVIEWS_OFF = N_("🔗 Link previews: off")
BUTTON_SILENT_ON = N_("🔇 Silent posts: on")
BUTTON_SILENT_OFF = N_("🔊 Silent posts: off")
BUTTON_REGIONS = N_("🌍 Regions: {regions}")
BUTTON_CHANNELS = N_("⬅️ Channels")
BUTTON_TOPICS = N_("🏷 Topics: {topics}")
BUTTON_KEYWORDS = N_("🔑 Keywords: {keywords}")
BUTTON_SITES = N_("📰 Sites: {sites}")
BUTTON_EVERY_TOPIC = N_("🌐 Every topic")
BUTTON_EVERY_SITE = N_("🌐 Every site")
BUTTON_CLEAR_KEYWORDS = N_("🧹 Remove every keyword")
KEYWORD_COUNT = NP_("{count} word", "{count} words")
BUTTON_ADD_GROUP = N_("👥 Add to a group")
BUTTON_ADD_CHANNEL = N_("📢 Add to a channel")
CHECKED = "☑ "
UNCHECKED = "☐ "
PARTLY = "◐ "
PARTLY_COUNT = NP_(" · {count} part chosen", " · {count} parts chosen")

# Channels.
CHANNELS_NONE = N_(
    "I don't know any channel that you administer. To add one, make me an administrator of "
    "your channel with the right to post messages; I will write to you here."
)
CHANNELS_HEADING = N_(
    "<b>Your channels</b>\n{lines}\n\nTap a channel's button to subscribe or unsubscribe it, or "
    "🌍 to choose its regions (that subscribes it too)."
)
CHANNEL_LINE = N_("• {title}: {state}, regions: {regions}")
CHANNEL_SUBSCRIBED = N_("subscribed")
CHANNEL_NOT_SUBSCRIBED = N_("not subscribed")
CHANNEL_ADDED = N_(
    "Thanks for adding me to <b>{chat}</b>. It gets nothing yet. Tap 🌍 to choose its regions, "
    "or <b>Subscribe</b> for every new article. You can also type "
    "<code>/region {ref} europe asia</code>. /channels lists every channel you run with me."
)
CHANNEL_NEEDS_POST_RIGHT = N_(
    "I am an administrator of {chat} now, but without the right to post messages, so I can't "
    "send anything there. Please turn on <b>Post messages</b> for me in the channel's "
    "administrator settings; I will write to you here as soon as I can post."
)
CHANNEL_WAITING_LINE = N_("• {title}: waiting for the right to post messages")
CHANNEL_WAITING_HEADING = N_(
    "<b>Waiting for the right to post</b> (turn on <b>Post messages</b> for me there)\n{lines}"
)
FORWARD_NOT_THERE = N_(
    "I am not an administrator of {chat} yet. Tap <b>Add to a channel</b> and choose it: I ask "
    "for the right to post messages, then help you set it up."
)
CHANNELS_WAITING = NP_(
    "While you were away, you added me to a channel. Let's set it up:",
    "While you were away, you added me to {count} channels. Let's set them up:",
)
# Languages.
LANGUAGE_VIEW = N_(
    "<b>Language for {chat}</b>: {language}\n\nTap a language, or send e.g. "
    "<code>/language en</code>."
)
LANGUAGE_SET = N_("From now on I speak English here.")
LANGUAGE_SET_REMOTE = N_("From now on I speak {language} in {chat}.")
LANGUAGE_UNKNOWN = N_("I don't speak '{typed}' yet. I speak: {languages}.")
BUTTON_LANGUAGE = N_("🗣 Language: {language}")
TOAST_LANGUAGE = N_("Language: {language}")
# Each language's name in English, translated: "/language spanish", "/language espagnol".
LANGUAGE_NAMES: dict[str, str] = {
    "en": N_("English"),
    "es": N_("Spanish"),
    "pt": N_("Portuguese"),
    "fr": N_("French"),
    "de": N_("German"),
    "ru": N_("Russian"),
}

MEMBERS_HELP_NOTE = N_(
    "Admins can also subscribe this chat (/start), choose its regions and change its /settings."
)
MEMBERS_READ_ONLY = N_("Only this chat's admins can change it.")
GROUP_MENTION = N_(
    "Hello! I post news teasers here. Anyone can ask for /latest or see this chat's /region; "
    "/help lists everything."
)

ERROR = N_("Sorry, something went wrong on my side. Please try again in a minute.")
# When Telegram refuses an answer: said in a form that does go through.
REPLY_TOO_LONG = N_("My answer came out too long for one Telegram message. Please ask for less.")
REPLY_REFUSED = N_(
    "I couldn't answer in {chat}: Telegram did not let me post there. Please check that I'm "
    "still a member and allowed to send messages."
)
OTHER_BOT_COMMAND = N_("That command is for @{bot}, not for me. /help lists my commands.")


def command_list(commands: tuple[tuple[str, str], ...]) -> str:
    """The commands as lines for a help text."""
    return "\n".join(f"/{name} - {tr(description)}" for name, description in commands)


def command_help(name: str) -> str:
    """The long help text of one command."""
    return tr(COMMAND_HELP[name]).format(
        default=LATEST_DEFAULT, max=LATEST_MAX, days=REGIONS_RECENT_DAYS, keywords=MAX_KEYWORDS
    )


# --- operators (ADMIN_USER_IDS) -----------------------------------------------------------------

OPERATOR_COMMANDS: tuple[tuple[str, str], ...] = (
    ("sources", N_("Operators: every source and its status")),
    ("addsource", N_("Operators: /addsource URL [name]")),
    ("removesource", N_("Operators: /removesource ID")),
    ("pausesource", N_("Operators: /pausesource ID")),
    ("resumesource", N_("Operators: /resumesource ID")),
    ("stats", N_("Operators: chats, subscriptions, messages today, queue")),
)
OPERATORS_ONLY = N_("That command is for the bot's operators.")
OPERATOR_ANSWERED_PRIVATELY = N_("I sent you the answer in our private chat.")
OPERATOR_START_PRIVATE = N_(
    "I answer operator commands in a private chat only: open a chat with me, press Start, "
    "and ask there."
)
SOURCES_HEADING = N_("<b>Sources</b> ({count})")
STATUS_DISABLED = N_("disabled")
STATUS_PAUSED = N_("paused")
STATUS_FAILING = N_("failing x{failures} for {duration}: {error}")
STATUS_NEW = N_("new")
STATUS_OK = N_("ok {duration} ago")
BY_AN_OPERATOR = N_(" · added by an operator")
NO_ITEMS_YET = N_("(no items yet)")
OPERATOR_HELP = N_("\n\n<b>For operators</b>\n{commands}")
SOURCES_EMPTY = N_("No sources yet. Add one with /addsource URL [name].")
SOURCE_LINE = N_("#{id} <b>{name}</b> · {status}{origin}\n{url}")
ADDSOURCE_USAGE = N_(
    "Usage: /addsource URL [name], e.g. /addsource https://example.org/feed/ Example"
)
ADDSOURCE_BAD_URL = N_("That is not a web address I can fetch: {problem}.")
ADDSOURCE_FAILED = N_("I could not read {url}: {reason}. Nothing was added.")
ADDSOURCE_ADDED = NP_(
    "Added source #{id} <b>{name}</b> ({format}, {items} item). It is polled from now on; the "
    "items it has now count as already seen.\n\nLatest:\n{preview}",
    "Added source #{id} <b>{name}</b> ({format}, {items} items). It is polled from now on; the "
    "items it has now count as already seen.\n\nLatest:\n{preview}",
)
ADDSOURCE_EXISTS = N_("Source #{id} <b>{name}</b> already exists; it is enabled and polled again.")
ADDSOURCE_OPML_HINT = N_(
    "To add many feeds at once, send me an OPML file (.opml, as feed readers export) with the "
    "caption /addsource."
)
OPML_TOO_LARGE = N_("{file} is too large: send an OPML file of up to {limit} KB.")
OPML_UNREADABLE = N_("I could not read {file} as a list of feeds: {reason}. Nothing was added.")
OPML_EMPTY = N_("{file} lists no feeds (no outline with an xmlUrl). Nothing was added.")
OPML_READING = N_("Reading {file}, feeds listed: {count}. I will tell you when it is done.")
OPML_DONE = N_(
    "Done with {file}. Added: {added}. Already there: {existing}. Could not add: {failed}."
)
OPML_ADDED = N_("✅ #{id} <b>{name}</b> added")
OPML_EXISTS = N_("▫️ #{id} <b>{name}</b> was already there")
OPML_FAILED = N_("⚠️ {url}: {reason}")
OPML_MORE = N_("… and {count} more (see the log).")
SOURCE_ID_USAGE = N_("Usage: /{command} ID (the number /sources shows).")
SOURCE_UNKNOWN = N_("There is no source #{id}.")
SOURCE_REMOVED = N_("Removed source #{id} <b>{name}</b> with its stored articles.")
SOURCE_FROM_CONFIG = N_(
    "Source #{id} <b>{name}</b> comes from the sources file: remove it there, or "
    "/pausesource {id} to stop polling it."
)
SOURCE_PAUSED = N_("Paused source #{id} <b>{name}</b>. /resumesource {id} starts it again.")
SOURCE_RESUMED = N_("Resumed source #{id} <b>{name}</b>; it is polled now.")
STATS = N_(
    "<b>Chats subscribed</b>: {chats}\n"
    "<b>Subscriptions by region</b>: {regions}\n"
    "<b>Messages sent today</b> (UTC): {sent_today}\n"
    "<b>Queue</b>: {queued}\n"
    "<b>Articles stored</b>: {articles} from {sources} sources"
)
OUTAGE_NOTICE = NP_(
    "⚠️ Source #{id} <b>{name}</b> has been failing for {duration} ({failures} failed poll): "
    "{error}\n{url}",
    "⚠️ Source #{id} <b>{name}</b> has been failing for {duration} ({failures} failed polls): "
    "{error}\n{url}",
)
RECOVERY_NOTICE = N_(
    "✅ Source #{id} <b>{name}</b> works again (the outage was reported {ago} ago)."
)

# Digest headings (plain text: the delivery loop escapes and bolds them). A chat with a long
# backlog gets several teasers per message; {part}/{parts} numbers the messages of one digest.
DIGEST_HEADING = NP_("🗞 News digest: {count} story", "🗞 News digest: {count} stories")
DIGEST_HEADING_PART = NP_(
    "🗞 News digest: {count} story (part {part} of {parts})",
    "🗞 News digest: {count} stories (part {part} of {parts})",
)

# Schedules, quiet hours and time zones (plain text: {typed} is what the person typed).
SCHEDULE_UNKNOWN = N_(
    "I can't read '{typed}' as a schedule. Try /schedule instant, /schedule every 3 h or "
    "/schedule daily 07:30 Europe/Madrid."
)
SCHEDULE_BAD_TIME = N_("'{typed}': give the time as HH:MM, from 00:00 to 23:59.")
SCHEDULE_BAD_HOURS = N_("'{typed}': a digest can come every 1 to 24 hours.")
QUIET_UNKNOWN = N_("I can't read '{typed}' as quiet hours. Try /quiet 22:00-07:00, or /quiet off.")
QUIET_EMPTY = N_("'{typed}': quiet hours must start and end at different times.")
ZONE_UNKNOWN = N_(
    "I don't know the time zone '{typed}'. Name a city (Madrid), a zone (Europe/Madrid) or UTC."
)
ZONE_SEVERAL = N_("'{typed}' has several time zones. Name one: {zones}, …")

# /schedule, /quiet and /format's views and answers (bot/telegram/timing.py, format.py);
# {ref} is "" in the chat itself, "@channel " when set up from a private chat.
SCHEDULE_INSTANT = N_("every teaser as soon as I find it")
SCHEDULE_EVERY = NP_("one digest every hour", "one digest every {count} hours")
SCHEDULE_DAILY = N_("one digest a day at {clock} ({zone})")
SCHEDULE_SHORT_INSTANT = N_("instant")
SCHEDULE_SHORT_EVERY = NP_("every hour", "every {count} h")
SCHEDULE_SHORT_DAILY = N_("daily at {clock}")
SCHEDULE_STATE = N_("<b>Schedule for {chat}</b>: {schedule}.")
SCHEDULE_NEXT = N_("The next digest comes {when} ({zone}), if there is news by then.")
WHEN_TODAY = N_("today at {clock}")
WHEN_TOMORROW = N_("tomorrow at {clock}")
WHEN_DATE = N_("on {date} at {clock}")
SCHEDULE_HINT = N_(
    "A digest holds every teaser found since the one before; when nothing is new, nothing is "
    "sent. Tap a schedule (the daily times are in {zone}), or type e.g. "
    "<code>/schedule {ref}every 3 h</code> or <code>/schedule {ref}daily 07:30 Madrid</code>."
)
BUTTON_SCHEDULE = N_("⏰ Schedule: {schedule}")
BUTTON_SCHEDULE_INSTANT = N_("⚡ Instant")
BUTTON_EVERY_HOURS = NP_("Every hour", "Every {count} h")
BUTTON_DAILY_AT = N_("Daily {clock}")
TOAST_SCHEDULE = N_("Schedule: {schedule}")
QUIET_NONE = N_("none")
QUIET_SILENT = N_("{start}-{end} ({zone}), teasers arrive without a sound")
QUIET_HOLD = N_("{start}-{end} ({zone}), teasers wait until {end}")
QUIET_STATE = N_("<b>Quiet hours for {chat}</b>: {quiet}.")
QUIET_NOW = N_("They are on now, until {end}.")
QUIET_HINT = N_(
    "During quiet hours teasers arrive without a sound, or wait until the quiet hours end. Tap "
    "a choice (the times are in {zone}), or type e.g. "
    "<code>/quiet {ref}22:00-07:00 hold Madrid</code>; <code>/quiet {ref}off</code> ends them."
)
BUTTON_QUIET = N_("🌙 Quiet hours: {quiet}")
BUTTON_QUIET_SILENT = N_("🔕 Without a sound")
BUTTON_QUIET_HOLD = N_("⏸ Wait until they end")
BUTTON_QUIET_OFF = N_("No quiet hours")
TOAST_QUIET = N_("Quiet hours: {quiet}")
FORMAT_PART_SUMMARY = N_("Summary")
FORMAT_PART_HASHTAGS = N_("Hashtags")
FORMAT_PART_SOURCE = N_("Source")
FORMAT_PART_PHOTO = N_("Photo")
FORMAT_PART_BUTTON = N_("Read button")
FORMAT_PART_SHARE = N_("Share button")
FORMAT_PART_SIGNATURE = N_("Signature")
FORMAT_TITLE_ONLY = N_("the title only")
FORMAT_VIEW = N_("<b>How teasers look in {chat}</b>, with the latest story:")
FORMAT_VIEW_SAMPLE = N_("<b>How teasers look in {chat}</b>, with a made-up story:")
FORMAT_PHOTO_NOTE = N_("📷 A story with an image comes as a photo, with this text as its caption.")
FORMAT_SHARE_STATE = N_("Share button: <b>{share}</b>.")
FORMAT_HINT = N_(
    "Tap a part to switch it on or off, or type e.g. <code>/format {ref}hashtags off</code>, "
    "<code>/format {ref}photo on</code> or <code>/format {ref}signature Our paper</code> "
    "(a last line of at most {limit} characters; <code>signature off</code> removes it)."
)
FORMAT_CHANGED_ON = N_("✅ {part}: <b>on</b>")
FORMAT_CHANGED_OFF = N_("✅ {part}: <b>off</b>")
FORMAT_SIGNATURE_SET = N_("✅ Signature: <b>{signature}</b>")
BUTTON_FORMAT = N_("🎨 Format: {parts}")
BUTTON_SIGNATURE_OFF = N_("✖ Remove the signature")
TOAST_FORMAT_ON = N_("{part}: on")
TOAST_FORMAT_OFF = N_("{part}: off")
SETTINGS_TIMING = N_(
    "Schedule: <b>{schedule}</b>\nQuiet hours: <b>{quiet}</b>\nFormat: <b>{format}</b>"
)
SAMPLE_TITLE = N_("Dock workers in Valencia strike for a shorter week")
SAMPLE_SUMMARY = N_(
    "Thousands walked out at dawn; the union says the port will stay closed until the talks resume."
)
SAMPLE_SOURCE = N_("Example News")

# /format's parts of a teaser (plain text: {typed} is what the person typed).
FORMAT_UNKNOWN = N_(
    "I can't read '{typed}'. Try /format summary off, /format photo on, /format button on or "
    "/format signature Your text."
)
FORMAT_SIGNATURE_EMPTY = N_(
    "Write the signature after the word: /format signature Your text. "
    "/format signature off removes it."
)
FORMAT_SIGNATURE_LONG = N_("A signature can be at most {limit} characters long.")
