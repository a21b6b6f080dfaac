"""The HTTP service (`sw-policy serve`, the [server] extra): the library over HTTP.

Above checking/ and drafting/, below cli/. app.py (the factory), service.py
(shared state), endpoints.py and openapi.py import FastAPI; the package itself
imports nothing, and nothing outside it imports them except `sw-policy serve`,
so `import sw_policy` and `sw-policy check` never load the web stack. See
docs/service.md.
"""
