"""Reading the network: feed fetching over httpx and the proxy settings shared with Telegram."""
