"""A throw-away SMTP server for Postkamer's sending tests (aiosmtpd), on 127.0.0.1 only.

Three listeners, all requiring AUTH (PLAIN or LOGIN) with the given login and password:
  --port        plain SMTP that offers STARTTLS and requires it before AUTH (submission, 587)
  --tls-port    implicit TLS from the first byte (465)
  --plain-port  no TLS at all (allowed by Postkamer for loopback only), AUTH without TLS

Every message taken is written to SPOOL as <n>.eml (the bytes after DATA, exactly) with
<n>.json beside it ({"mail_from", "rcpt_tos", "listener", "login"}); the .json appears last, by
rename, so a reader never sees half a message.

Recipients steer faults, as a real server's policy would:
  refuse-…@…    RCPT answered 550 5.1.1 (that recipient only)
  busy-…@…      RCPT answered 451 4.3.0 (try later)
  reject-…@…    accepted at RCPT, the message refused at DATA with 554 5.7.1
  defer-…@…     accepted at RCPT, the message deferred at DATA with 451 4.3.0

Prints "ready" on stdout once all listeners accept connections.
"""

import argparse
import asyncio
import itertools
import json
import os
import signal
import ssl
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

COUNTER = itertools.count(1)


class Handler:
    def __init__(self, spool, listener):
        self.spool = spool
        self.listener = listener

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        local = address.split("@", 1)[0].lower()
        if local.startswith("refuse-"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if local.startswith("busy-"):
            return f"451 4.3.0 <{address}>: Temporary lookup failure"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        locals_ = [a.split("@", 1)[0].lower() for a in envelope.rcpt_tos]
        if any(l.startswith("reject-") for l in locals_):
            return "554 5.7.1 Message refused by policy"
        if any(l.startswith("defer-") for l in locals_):
            return "451 4.3.0 Please try again later"
        n = next(COUNTER)
        base = os.path.join(self.spool, f"{os.getpid()}-{n:06d}")
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "listener": self.listener,
            "login": session.auth_data.login.decode() if session.auth_data else None,
        }
        with open(base + ".tmp", "w") as f:
            json.dump(meta, f)
        os.rename(base + ".tmp", base + ".json")
        return "250 2.0.0 OK: queued"


def authenticator(login, password):
    def check(server, session, envelope, mechanism, auth_data):
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        ok = auth_data.login == login.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--tls-port", type=int, required=True)
    p.add_argument("--plain-port", type=int, required=True)
    p.add_argument("--spool", required=True)
    p.add_argument("--cert", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--login", required=True)
    p.add_argument("--password", required=True)
    a = p.parse_args()

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(a.cert, a.key)
    auth = authenticator(a.login, a.password)
    common = dict(hostname="127.0.0.1", authenticator=auth, auth_required=True,
                  server_hostname="smtp.postkamer.test", ident="Postkamer test SMTP")
    controllers = [
        Controller(Handler(a.spool, "starttls"), port=a.port, tls_context=context,
                   require_starttls=True, auth_require_tls=True, **common),
        Controller(Handler(a.spool, "tls"), port=a.tls_port, ssl_context=context,
                   auth_require_tls=False, **common),
        Controller(Handler(a.spool, "plain"), port=a.plain_port,
                   auth_require_tls=False, **common),
    ]
    for c in controllers:
        c.start()
    print("ready", flush=True)
    stop = asyncio.new_event_loop()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        signal.pause()
    finally:
        for c in controllers:
            c.stop()
        stop.close()


if __name__ == "__main__":
    main()
