"""
Writes what mitmproxy 10.1+ writes with `--set hardump=FILE` (its savehar addon), from mitmproxy 8,
so the lab can record both shapes with the Debian mitmdump:

- creator {"name": "mitmproxy exporthar", "version": "0.1", "comment": "mitmproxy version …"};
- a WebSocket flow as one entry with `_resourceType: "websocket"` and Chrome's `_webSocketMessages`
  (type send/receive, epoch `time`, `opcode` 1 text / 2 binary, binary data base64);
- a flow that got no response (the proxy could not reach the server) as `status: 0` with the proxy's
  own error text in `response._error`, e.g. "[Errno 111] Connect call failed ('127.0.0.1', 9)".

Usage: mitmdump -s har10.py --set har10dump=capture.har
(its own option name, so Debian's contrib har_dump.py can run beside it with `hardump`).
"""
import base64
import json
from datetime import datetime, timezone

from mitmproxy import ctx, http, version
from mitmproxy.utils import strutils


class Har10:
    def __init__(self):
        self.flows = []
        self.seen = set()

    def load(self, loader):
        loader.add_option("har10dump", str, "", "Where to write the mitmproxy 10 shaped HAR.")

    # A flow is kept once, when it gets its response (a WebSocket's 101: its messages keep arriving
    # on the same flow until the file is written at shutdown, open sockets included) or fails.
    def _keep(self, flow):
        if flow.id not in self.seen:
            self.seen.add(flow.id)
            self.flows.append(flow)

    def response(self, flow: http.HTTPFlow):
        self._keep(flow)

    def error(self, flow: http.HTTPFlow):
        self._keep(flow)

    def done(self):
        path = ctx.options.har10dump
        if not path:
            return
        servers = set()
        har = {
            "log": {
                "version": "1.2",
                "creator": {"name": "mitmproxy exporthar", "version": "0.1", "comment": f"mitmproxy version {version.VERSION}"},
                "pages": [],
                "entries": [entry(f, servers) for f in sorted(self.flows, key=lambda f: f.request.timestamp_start)],
            }
        }
        with open(path, "w") as out:
            json.dump(har, out, indent=2)


def pairs(multidict):
    return [{"name": k, "value": v} for k, v in multidict.items(multi=True)]


def ms(a, b):
    return 1000 * (b - a) if a is not None and b is not None else None


def entry(flow: http.HTTPFlow, servers: set) -> dict:
    server = flow.server_conn
    connect = ssl = None
    if server in servers:
        connect = ssl = -1.0
    elif server.timestamp_tcp_setup:
        connect = ms(server.timestamp_start, server.timestamp_tcp_setup)
        ssl = ms(server.timestamp_tcp_setup, server.timestamp_tls_setup)
        servers.add(server)
    request, response = flow.request, flow.response
    timings = {
        "connect": connect,
        "ssl": ssl,
        "send": ms(request.timestamp_start, request.timestamp_end) or 0,
        "wait": ms(request.timestamp_end, response.timestamp_start) if response else 0,
        "receive": ms(response.timestamp_start, response.timestamp_end) if response and response.timestamp_end else 0,
    }
    if response:
        body = response.content or b""
        res = {
            "status": response.status_code,
            "statusText": response.reason,
            "httpVersion": response.http_version,
            "cookies": [],
            "headers": pairs(response.headers),
            "content": {"size": len(response.raw_content or b""), "compression": 0, "mimeType": response.headers.get("Content-Type", "")},
            "redirectURL": response.headers.get("Location", ""),
            "headersSize": len(str(response.headers)),
            "bodySize": len(response.raw_content or b""),
        }
        if body and strutils.is_mostly_bin(body):
            res["content"]["text"] = base64.b64encode(body).decode()
            res["content"]["encoding"] = "base64"
        else:
            res["content"]["text"] = response.get_text(strict=False)
    else:
        res = {
            "status": 0, "statusText": "", "httpVersion": "", "headers": [], "cookies": [], "content": {},
            "redirectURL": "", "headersSize": -1, "bodySize": -1, "_transferSize": 0,
            "_error": flow.error.msg if flow.error else None,
        }
    out = {
        "startedDateTime": datetime.fromtimestamp(request.timestamp_start, timezone.utc).isoformat(),
        "time": sum(v for v in timings.values() if v is not None and v >= 0),
        "request": {
            "method": request.method,
            "url": request.pretty_url,
            "httpVersion": request.http_version,
            "cookies": pairs(request.cookies),
            "headers": pairs(request.headers),
            "queryString": pairs(request.query),
            "headersSize": len(str(request.headers)),
            "bodySize": len(request.content or b""),
        },
        "response": res,
        "cache": {},
        "timings": timings,
    }
    if server.peername:
        out["serverIPAddress"] = str(server.peername[0])
    if flow.websocket is not None:
        out["_resourceType"] = "websocket"
        out["_webSocketMessages"] = [
            {
                "type": "send" if m.from_client else "receive",
                "time": m.timestamp,
                "opcode": m.type.value,
                "data": m.text if m.is_text else base64.b64encode(m.content).decode(),
            }
            for m in flow.websocket.messages
        ]
    return out


addons = [Har10()]
