"""The HTTP service (`sw-policy serve`, the [server] extra): the library over HTTP.

Above checking/ and drafting/, below cli/. Only app.py imports FastAPI; the
package itself imports nothing, so `import sw_policy` and `sw-policy check`
never load the web stack. See docs/service.md.
"""
