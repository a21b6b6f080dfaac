"""The stream engine: live monitoring, each event re-judging only the rules it can change."""
