"""The widget chc.lt embeds: the framed page, its snippet and the help page."""
