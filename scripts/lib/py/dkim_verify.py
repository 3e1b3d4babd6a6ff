"""Verifies the DKIM signature of the message on stdin with dkimpy, an independent verifier,
looking the key up at the DNS server given by POSTKAMER_TEST_DNS (host:port) over UDP.

Prints "pass" and exits 0, or prints "fail: <reason>" and exits 1.
"""

import os
import sys

import dkim
import dns.message
import dns.query
import dns.rdatatype


def txt_from_test_dns(name, timeout=5):
    host, port = os.environ["POSTKAMER_TEST_DNS"].rsplit(":", 1)
    if isinstance(name, bytes):
        name = name.decode()
    query = dns.message.make_query(name, dns.rdatatype.TXT)
    answer = dns.query.udp(query, host, port=int(port), timeout=timeout)
    for rrset in answer.answer:
        for rdata in rrset:
            if rdata.rdtype == dns.rdatatype.TXT:
                return b"".join(rdata.strings)
    return None


def main():
    message = sys.stdin.buffer.read()
    verifier = dkim.DKIM(message)
    try:
        ok = verifier.verify(dnsfunc=txt_from_test_dns)
    except dkim.DKIMException as e:
        print(f"fail: {e}")
        return 1
    if ok:
        print("pass")
        return 0
    print("fail: signature does not verify")
    return 1


if __name__ == "__main__":
    sys.exit(main())
