"""Answers any request for a host off this machine with 403 from the proxy itself.

A browser recorded through the proxy still asks for its own background services; with the lazy
connection strategy the proxy then opens no connection and looks up no name for them, so the lab
only ever talks to loopback.
"""
from mitmproxy import http

LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def request(flow: http.HTTPFlow) -> None:
    if flow.request.host not in LOOPBACK:
        flow.response = http.Response.make(403, b"loopback only", {"content-type": "text/plain"})
