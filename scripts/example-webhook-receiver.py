#!/usr/bin/env python3
"""A minimal receiver of padan webhooks, using only Python 3's standard library.

It verifies X-Padan-Signature (t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">
keyed with the 32 bytes the hex after "whsec_" encodes), refuses timestamps
more than five minutes away, acknowledges duplicates without processing them
again (deduplicating on X-Padan-Event-Id), and prints each event.  See
docs/INTEGRATION.md.

    PADAN_WEBHOOK_SECRET=whsec_... python3 example-webhook-receiver.py --port 8099

A real receiver keeps the seen ids in durable storage and hands events to a
queue before answering, so that it answers within padan's 10 seconds.
"""
import argparse
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_S = 300
SEEN = set()


def verify(secret: bytes, header: str, body: bytes, now: float) -> bool:
    """True when header signs body under secret at a time near now."""
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        t = int(parts["t"])
        given = parts["v1"]
    except (KeyError, ValueError):
        return False
    if abs(now - t) > TOLERANCE_S:
        return False
    want = hmac.new(secret, str(t).encode() + b"." + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(want, given)


class Handler(BaseHTTPRequestHandler):
    secret = b""

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if not verify(self.secret, self.headers.get("X-Padan-Signature", ""), body, time.time()):
            self.send_response(401)
            self.end_headers()
            return
        event_id = self.headers.get("X-Padan-Event-Id", "")
        if event_id in SEEN:  # a retry or replay we already processed
            self.send_response(200)
            self.end_headers()
            return
        event = json.loads(body)
        SEEN.add(event_id)
        print(f"{event['created_at']} {event['type']} {event_id}: "
              f"{json.dumps(event['data'], ensure_ascii=False)}", flush=True)
        self.send_response(204)
        self.end_headers()

    def log_message(self, fmt, *args):  # quiet: one line per event above
        pass


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=8099)
    ap.add_argument("--bind", default="127.0.0.1")
    args = ap.parse_args()
    text = os.environ.get("PADAN_WEBHOOK_SECRET", "")
    if not text.startswith("whsec_") or len(text) != 70:
        print("set PADAN_WEBHOOK_SECRET to the whsec_... secret padan showed", file=sys.stderr)
        return 2
    Handler.secret = bytes.fromhex(text[6:])
    ThreadingHTTPServer((args.bind, args.port), Handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
