"""CSL engines: what turns CSL items and a style into formatted entries and citations."""
