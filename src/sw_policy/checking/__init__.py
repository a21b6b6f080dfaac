"""The Rulebook and file checks: rules, readers and engines put together as the library's calls."""
