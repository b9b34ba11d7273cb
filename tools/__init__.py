"""Developer tools that are not part of the bot: the OneBot simulator used by tests, bench and demo."""
