#!/usr/bin/env python3
"""Request-integrity probe: Edgeway vs nginx vs HAProxy, on 127.0.0.1 only.

Standard library only. See loadtest/integrity/README.md for what it measures and how to read
the table. In short: a raw recording upstream records every byte each proxy sends it; a raw
socket client sends broken, truncated, stalled, oversized and pipelined requests through each
proxy; for every case we report what the client got, what the upstream received (nothing /
partial / COMPLETE), what happened to the upstream connection, and a SAFE/UNSAFE verdict.

UNSAFE means the upstream received a COMPLETE request the client did not completely send, or a
request pipelined behind one the proxy refused, or bytes of one request inside another's.
"""

import argparse
import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))

LIMIT = 1024 * 1024          # body limit configured on every proxy (1 MiB)
BODY_IDLE = 2                # seconds: client-body stall / read timeout
RESPONSE_TIMEOUT = 5         # seconds: wait for the upstream's response
CLIENT_WAIT = 8.0            # seconds the client waits for an answer (> every proxy timeout)
SETTLE = 4.0                 # seconds we wait for the upstream side to settle after the client
HOST = "127.0.0.1"


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def free_port():
    s = socket.socket()
    s.bind((HOST, 0))
    p = s.getsockname()[1]
    s.close()
    return p


# --------------------------------------------------------------------------------------------
# HTTP/1.1 message framing (requests on the upstream side, responses on the client side)
# --------------------------------------------------------------------------------------------

class Framing(Exception):
    pass


def parse_chunked(buf, i):
    """Strict chunked parser. Returns (end_offset, body_len) or None if incomplete.
    Raises Framing on a malformed body."""
    body = 0
    while True:
        eol = buf.find(b"\r\n", i)
        if eol < 0:
            if len(buf) - i > 4096:
                raise Framing("chunk-size line too long")
            if b"\n" in buf[i:]:
                raise Framing("bare LF in chunk-size line")
            return None
        line = bytes(buf[i:eol])
        if b"\n" in line or b"\r" in line:
            raise Framing("bare CR/LF in chunk-size line")
        size_s = line.split(b";", 1)[0]
        if not re.fullmatch(rb"[0-9A-Fa-f]{1,16}", size_s):
            raise Framing("bad chunk size %r" % size_s[:40])
        size = int(size_s, 16)
        i = eol + 2
        if size == 0:
            # trailers until an empty line
            while True:
                eol = buf.find(b"\r\n", i)
                if eol < 0:
                    return None
                if eol == i:
                    return eol + 2, body
                i = eol + 2
        if len(buf) < i + size + 2:
            return None
        if buf[i + size:i + size + 2] != b"\r\n":
            raise Framing("chunk data not followed by CRLF")
        body += size
        i += size + 2


def parse_head(buf, i):
    """Returns (head_end, start_line, headers[list of (lower name, value)]) or None."""
    end = buf.find(b"\r\n\r\n", i)
    if end < 0:
        return None
    lines = bytes(buf[i:end]).split(b"\r\n")
    headers = []
    for ln in lines[1:]:
        if b":" in ln:
            k, v = ln.split(b":", 1)
            headers.append((k.strip().lower().decode("latin-1"), v.strip().decode("latin-1")))
    return end + 4, lines[0].decode("latin-1"), headers


def hget(headers, name):
    return [v for k, v in headers if k == name]


class Req:
    def __init__(self, conn, start):
        self.conn = conn
        self.start = start
        self.line = ""
        self.target = ""
        self.head_end = None
        self.end = None
        self.body_len = 0
        self.complete = False
        self.error = None
        self.headers = []
        self.t_head = None
        self.t_done = None
        self.sent_100 = False

    def kind(self, tok):
        if tok not in self.target:
            return None
        if "follow" in self.target:
            return "follow"
        if "warm" in self.target:
            return "warm"
        if "tunnel" in self.target:
            return "tunnel"
        if "/r4" in self.target:
            return "r4"
        return "main"


class UpConn:
    def __init__(self, cid, sock):
        self.id = cid
        self.sock = sock
        self.buf = bytearray()
        self.t_open = time.monotonic()
        self.t_closed = None
        self.close_kind = None
        self.reqs = []
        self.pos = 0
        self.upgraded_at = None   # offset after which bytes are "switched protocol" bytes
        self.broken = None        # framing error: we stopped parsing here


class RawUpstream:
    """Records every byte per connection; answers each COMPLETE request with 200 ok (or, when
    the request target asks for it, with `HTTP/1.1 99999 Weird` / `101 Switching Protocols`)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.conns = []
        self.srv = socket.socket()
        self.srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.srv.bind((HOST, 0))
        self.srv.listen(128)
        self.port = self.srv.getsockname()[1]
        self.stopping = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while not self.stopping:
            try:
                s, _ = self.srv.accept()
            except OSError:
                return
            with self.lock:
                c = UpConn(len(self.conns) + 1, s)
                self.conns.append(c)
            threading.Thread(target=self._serve, args=(c,), daemon=True).start()

    def _serve(self, c):
        s = c.sock
        while True:
            try:
                data = s.recv(65536)
            except ConnectionResetError:
                data, kind = b"", "reset"
            except OSError:
                data, kind = b"", "error"
            else:
                kind = "fin"
            now = time.monotonic()
            if not data:
                with self.lock:
                    c.t_closed = now
                    c.close_kind = kind
                try:
                    s.close()
                except OSError:
                    pass
                return
            with self.lock:
                c.buf += data
                replies = self._parse(c, now)
            for r in replies:
                try:
                    s.sendall(r)
                except OSError:
                    pass

    def _parse(self, c, now):
        replies = []
        while c.upgraded_at is None and c.broken is None:
            i = c.pos
            while c.buf[i:i + 2] == b"\r\n":   # tolerate CRLF between requests
                i += 2
            if i >= len(c.buf):
                return replies
            if c.reqs and not c.reqs[-1].complete and c.reqs[-1].start == c.pos:
                r = c.reqs[-1]
            else:
                r = Req(c, i)
                c.reqs.append(r)
            head = parse_head(c.buf, r.start)
            if head is None:
                r.line = bytes(c.buf[r.start:r.start + 200]).split(b"\r\n")[0].decode("latin-1")
                r.target = r.line
                return replies
            r.head_end, r.line, r.headers = head
            if r.t_head is None:
                r.t_head = now
            parts = r.line.split(" ")
            r.target = parts[1] if len(parts) > 1 else r.line
            if (not r.sent_100 and "100-continue" in ",".join(hget(r.headers, "expect")).lower()
                    and len(c.buf) == r.head_end):
                # RFC 9110 10.1.1: an origin server answers 100 (or a final status) to a
                # 100-continue expectation whose body has not started
                r.sent_100 = True
                replies.append(b"HTTP/1.1 100 Continue\r\n\r\n")
            te = ",".join(hget(r.headers, "transfer-encoding")).lower()
            cl = hget(r.headers, "content-length")
            try:
                if "chunked" in te:
                    res = parse_chunked(c.buf, r.head_end)
                    if res is None:
                        r.body_len = len(c.buf) - r.head_end
                        return replies
                    r.end, r.body_len = res
                elif cl:
                    n = int(cl[0])
                    if len(c.buf) < r.head_end + n:
                        r.body_len = len(c.buf) - r.head_end
                        return replies
                    r.end, r.body_len = r.head_end + n, n
                else:
                    r.end, r.body_len = r.head_end, 0
            except (Framing, ValueError) as e:
                r.error = str(e)
                c.broken = r.head_end
                return replies
            r.complete = True
            r.t_done = now
            c.pos = r.end
            if "resp=99999" in r.target:
                replies.append(b"HTTP/1.1 99999 Weird\r\nContent-Length: 2\r\n\r\nok")
            elif "resp=101" in r.target:
                replies.append(b"HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                               b"Upgrade: probe-proto\r\n\r\n")
                c.upgraded_at = r.end
            else:
                replies.append(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        return replies

    def snapshot(self):
        with self.lock:
            return list(self.conns)

    def stop(self):
        self.stopping = True
        try:
            self.srv.close()
        except OSError:
            pass
        for c in self.snapshot():
            try:
                c.sock.close()
            except OSError:
                pass


def parse_responses(buf, closed):
    """Responses in a client's byte stream: list of dicts {status, reason, complete, start}."""
    out = []
    i = 0
    while i < len(buf):
        head = parse_head(buf, i)
        if head is None:
            if buf[i:i + 5] == b"HTTP/":
                line = bytes(buf[i:i + 100]).split(b"\r\n")[0].decode("latin-1")
                out.append({"status": line.split(" ")[1] if " " in line else "?", "line": line,
                            "complete": False, "start": i})
            elif i < len(buf):
                out.append({"status": "garbage", "line": "", "complete": False, "start": i})
            return out
        end, line, headers = head
        parts = line.split(" ", 2)
        status = parts[1] if len(parts) > 1 else "?"
        resp = {"status": status, "line": line, "complete": False, "start": i}
        out.append(resp)
        if not line.startswith("HTTP/"):
            resp["status"] = "garbage"
            return out
        if status == "101":
            resp["complete"] = True
            resp["tunnel_at"] = end
            return out
        if status.startswith("1") and len(status) == 3:
            resp["complete"] = True
            i = end
            continue
        te = ",".join(hget(headers, "transfer-encoding")).lower()
        cl = hget(headers, "content-length")
        try:
            if "chunked" in te:
                res = parse_chunked(buf, end)
                if res is None:
                    return out
                i = res[0]
            elif cl:
                n = int(cl[0])
                if len(buf) < end + n:
                    return out
                i = end + n
            elif status in ("204", "304"):
                i = end
            else:
                resp["complete"] = closed
                return out
        except (Framing, ValueError):
            resp["status"] += "(bad framing)"
            return out
        resp["complete"] = True
    return out


class RawClient:
    def __init__(self, port):
        self.sock = socket.create_connection((HOST, port), timeout=5)
        self.sock.settimeout(None)
        self.buf = bytearray()
        self.closed = False
        self.close_kind = None
        self.t_closed = None
        self.t_first = None
        self.cv = threading.Condition()
        self.send_error = None
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while True:
            try:
                d = self.sock.recv(65536)
                kind = "fin"
            except ConnectionResetError:
                d, kind = b"", "reset"
            except OSError:
                d, kind = b"", "local"
            with self.cv:
                if not d:
                    self.closed = True
                    self.close_kind = kind
                    self.t_closed = time.monotonic()
                    self.cv.notify_all()
                    return
                if self.t_first is None:
                    self.t_first = time.monotonic()
                self.buf += d
                self.cv.notify_all()

    def send(self, data):
        try:
            self.sock.sendall(data)
            return True
        except OSError as e:
            self.send_error = e.__class__.__name__
            return False

    def send_async(self, gen):
        """Send the byte strings of `gen` in a thread (large bodies), stop at the first error."""
        def run():
            for piece in gen:
                if self.closed or not self.send(piece):
                    return
        t = threading.Thread(target=run, daemon=True)
        t.start()
        return t

    def responses(self):
        with self.cv:
            return parse_responses(self.buf, self.closed)

    def finals(self):
        return [r for r in self.responses()
                if r["complete"] and not (r["status"].startswith("1") and r["status"] != "101")]

    def wait(self, pred, timeout):
        deadline = time.monotonic() + timeout
        with self.cv:
            while True:
                if pred():
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.cv.wait(left)

    def wait_finals(self, n, timeout=CLIENT_WAIT, linger=0.5):
        """Until n final responses (or a close); then up to `linger` s more to see a close."""
        self.wait(lambda: self.closed or len(parse_responses(self.buf, self.closed)) and
                  len([r for r in parse_responses(self.buf, self.closed) if r["complete"] and
                       not (r["status"].startswith("1") and r["status"] != "101")]) >= n, timeout)
        t = time.monotonic()
        if not self.closed and linger:
            self.wait(lambda: self.closed, linger)
        return t

    def close(self):
        # shutdown first: a plain close() while the reader thread sits in recv() on the same
        # socket does not send the FIN until that recv returns (Linux keeps the file alive)
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        try:
            self.sock.close()
        except OSError:
            pass

    def summary(self):
        rs = self.responses()
        sts = [r["status"] + ("" if r["complete"] else "(partial)") for r in rs]
        s = " ".join(sts) if sts else "none"
        if self.closed:
            s += ", closed" if self.close_kind == "fin" else ", reset"
        return s


# --------------------------------------------------------------------------------------------
# Proxies under test
# --------------------------------------------------------------------------------------------

def nginx_conf(d, port, up, buffering):
    return f"""# generated by loadtest/integrity/probe.py
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log info;
events {{ worker_connections 256; }}
http {{
  access_log {d}/access.log;
  client_body_temp_path {d}/tmp/body;
  proxy_temp_path {d}/tmp/proxy;
  fastcgi_temp_path {d}/tmp/fastcgi;
  uwsgi_temp_path {d}/tmp/uwsgi;
  scgi_temp_path {d}/tmp/scgi;
  client_max_body_size 1m;          # the 1 MiB body limit (413)
  client_body_timeout {BODY_IDLE}s;          # stall between two reads of the client body (408)
  client_header_timeout 5s;
  keepalive_timeout 10s;
  upstream raw {{
    server 127.0.0.1:{up};
    keepalive 8;                     # upstream keep-alive ...
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://raw;
      proxy_http_version 1.1;        # ... needs HTTP/1.1
      proxy_set_header Connection "";  # ... and no "Connection: close" upstream
      proxy_connect_timeout 1s;
      proxy_send_timeout {RESPONSE_TIMEOUT}s;
      proxy_read_timeout {RESPONSE_TIMEOUT}s;        # the response timeout
      proxy_request_buffering {"on" if buffering else "off"};   # on: nginx's default (whole body first); off: streaming
    }}
  }}
}}
"""


def haproxy_conf(d, port, up, buffer_request):
    opt = ("option http-buffer-request" if buffer_request else
           "no option http-buffer-request")
    return f"""# generated by loadtest/integrity/probe.py
# HAProxy 2.6 has no body-size directive. req.body_size is the advertised Content-Length, or,
# for a chunked body, only the part already in the buffer (at most tune.bufsize, 16 KiB by
# default): the deny rule below enforces the 1 MiB limit for Content-Length bodies only; a
# chunked body over 1 MiB is not limited by this configuration (no HAProxy 2.6 setting does it
# without buffering the whole body, which tune.bufsize > 1 MiB would do for every request).
# "option http-buffer-request" (haproxy variant) makes HAProxy wait for the body (up to a full
# buffer) before connecting to the server; with it, "timeout http-request" also covers that
# part of the body, which makes it the nearest equivalent of a body timeout. The
# haproxy-streaming variant leaves it off (the default), like Edgeway and nginx-streaming;
# then "timeout client" (inactivity) is the only bound on a stalled body.
global
  log stderr format raw local0 info
  pidfile {d}/haproxy.pid
defaults
  mode http
  log global
  option httplog
  timeout connect 1s
  timeout client {BODY_IDLE}s            # client inactivity, including a stalled body
  timeout http-request {BODY_IDLE}s      # complete request headers (and buffered body) in time
  timeout http-keep-alive 10s
  timeout server {RESPONSE_TIMEOUT}s            # the response timeout
  http-reuse safe                 # upstream keep-alive, the default reuse policy
  {opt}
frontend fe
  bind 127.0.0.1:{port}
  http-request deny deny_status 413 if {{ req.body_size gt {LIMIT} }}
  default_backend be
backend be
  server raw 127.0.0.1:{up}
"""


def edgeway_conf(d, port, up):
    return f"""# generated by loadtest/integrity/probe.py
server:
  host: 127.0.0.1
  port: {port}
  instances: 1
  limits:
    max-body-size: 1MiB
    body-idle-timeout: {BODY_IDLE}s
    header-read-timeout: 5s
    idle-timeout: 10s
admin:
  enabled: false
routes:
  - id: all
    match: {{ path: /** }}
    upstream:
      targets: [ {{ url: "http://127.0.0.1:{up}" }} ]
      timeouts: {{ connect: 1s, response: {RESPONSE_TIMEOUT}s, idle: 30s, request-body: 10s }}
"""


class Proxy:
    def __init__(self, name, work, up_port, jar):
        self.name = name
        self.dir = os.path.join(work, name)
        os.makedirs(os.path.join(self.dir, "tmp"), exist_ok=True)
        # nginx workers run as an unprivileged user when the master is root: they must be able
        # to reach and write the client-body temp files (a 0700 dir turned 413s into 500s)
        os.chmod(work, 0o755)
        os.chmod(self.dir, 0o755)
        os.chmod(os.path.join(self.dir, "tmp"), 0o777)
        self.port = free_port()
        self.up = up_port
        self.jar = jar
        self.proc = None
        self.logf = None

    def config(self):
        d, p, u = self.dir, self.port, self.up
        if self.name == "edgeway":
            return "edgeway.yaml", edgeway_conf(d, p, u)
        if self.name in ("nginx", "nginx-streaming"):
            return "nginx.conf", nginx_conf(d, p, u, self.name == "nginx")
        if self.name in ("haproxy", "haproxy-streaming"):
            return "haproxy.cfg", haproxy_conf(d, p, u, self.name == "haproxy")
        raise SystemExit("unknown proxy " + self.name)

    def command(self, path):
        if self.name == "edgeway":
            plugins = os.path.join(self.dir, "plugins")
            os.makedirs(plugins, exist_ok=True)
            return ["java", "-Xms64m", "-Xmx256m", "-jar", self.jar, "--config", path,
                    "--plugins", plugins]
        if self.name.startswith("nginx"):
            return ["nginx", "-p", self.dir, "-c", path, "-g", "daemon off;"]
        return ["haproxy", "-f", path, "-db"]

    def start(self):
        fname, text = self.config()
        path = os.path.join(self.dir, fname)
        with open(path, "w") as f:
            f.write(text)
        self.logf = open(os.path.join(self.dir, "stdout.log"), "wb")
        self.proc = subprocess.Popen(self.command(path), stdout=self.logf, stderr=subprocess.STDOUT,
                                     cwd=self.dir, start_new_session=True)
        deadline = time.monotonic() + (60 if self.name == "edgeway" else 10)
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start-up, see {self.dir}/stdout.log")
            try:
                c = RawClient(self.port)
                c.send(b"GET /ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                c.wait_finals(1, timeout=3, linger=0)
                ok = [r for r in c.finals() if r["status"] == "200"]
                c.close()
                if ok:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} not ready on port {self.port}, see {self.dir}/stdout.log")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)   # the group of this one child
                except OSError:
                    pass
                self.proc.wait(5)
        if self.logf:
            self.logf.close()

    def version(self):
        try:
            if self.name.startswith("nginx"):
                return subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
            if self.name.startswith("haproxy"):
                return subprocess.run(["haproxy", "-v"], capture_output=True,
                                      text=True).stdout.splitlines()[0].strip()
        except OSError:
            return "?"
        try:
            rev = subprocess.run(["git", "-C", REPO, "rev-parse", "--short", "HEAD"],
                                 capture_output=True, text=True).stdout.strip()
            dirty = subprocess.run(["git", "-C", REPO, "status", "--porcelain", "--", "src"],
                                   capture_output=True, text=True).stdout.strip()
            return f"Edgeway {rev}{' (src modified)' if dirty else ''}, {os.path.relpath(self.jar, REPO)}"
        except OSError:
            return "Edgeway ?"


# --------------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------------

def H(tok, extra=b"", method=b"POST", target=None):
    target = target if target is not None else b"/p/" + tok + b"/main"
    return method + b" " + target + b" HTTP/1.1\r\nHost: localhost\r\n" + extra + b"\r\n"


def R4(tok):
    return b"POST /r4?" + tok + b" HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc"


class Case:
    def __init__(self, name, kind, run, desc, lenient_body=None, full_body=None):
        self.name, self.kind, self.run, self.desc = name, kind, run, desc
        self.lenient_body = lenient_body   # body length a lenient (but consistent) parser forwards
        self.full_body = full_body         # body length the client completely sent (limit cases)


def broken_chunk(second):
    def run(port, tok):
        c = RawClient(port)
        c.send(H(tok, b"Transfer-Encoding: chunked\r\n") + b"5\r\nhello\r\n")
        time.sleep(0.3)
        c.send(second)
        t = time.monotonic()
        c.wait_finals(1)
        return c, t
    return run


def aborted(chunked):
    def run(port, tok):
        c = RawClient(port)
        if chunked:
            c.send(H(tok, b"Transfer-Encoding: chunked\r\n") + b"4000\r\n" + b"a" * 8000)
        else:
            c.send(H(tok, b"Content-Length: 16384\r\n") + b"a" * 8000)
        time.sleep(0.2)
        c.close()
        return c, time.monotonic()
    return run


def over_limit(chunked):
    total = 2 * LIMIT

    def gen(tok):
        piece = 64 * 1024
        if chunked:
            yield H(tok, b"Transfer-Encoding: chunked\r\n")
            for _ in range(total // piece):
                yield b"%x\r\n" % piece + b"b" * piece + b"\r\n"
            yield b"0\r\n\r\n"
        else:
            yield H(tok, b"Content-Length: %d\r\n" % total)
            for _ in range(total // piece):
                yield b"b" * piece

    def run(port, tok):
        c = RawClient(port)
        th = c.send_async(gen(tok))
        th.join(CLIENT_WAIT)
        t = time.monotonic()
        c.wait_finals(1)
        return c, t
    return run


def stalled(kind):
    def run(port, tok):
        c = RawClient(port)
        if kind == "chunked":
            c.send(H(tok, b"Transfer-Encoding: chunked\r\n") + b"5\r\nhello\r\n")
        elif kind == "cl":
            c.send(H(tok, b"Content-Length: 16384\r\n") + b"a" * 8192)
        else:
            c.send(H(tok, b"Content-Length: 10\r\n"))
        t = time.monotonic()
        c.wait_finals(1)
        return c, t
    return run


def pipelined(first):
    def run(port, tok):
        c = RawClient(port)
        c.send(first(tok) + R4(tok))
        t = time.monotonic()
        c.wait_finals(2)
        return c, t
    return run


def expect_100(port, tok):
    c = RawClient(port)
    t0 = time.monotonic()
    c.send(H(tok, b"Content-Length: 10\r\nExpect: 100-continue\r\n"))
    got = c.wait(lambda: len(c.buf) > 0 or c.closed, 2.0)
    c.note = ("100 after %.0f ms" % ((c.t_first - t0) * 1000)
              if got and c.buf.startswith(b"HTTP/1.1 100") else
              "no 100 in 2 s" if not got else "no 100")
    if not c.closed and not c.finals():
        c.send(b"0123456789")
    t = time.monotonic()
    c.wait_finals(1)
    return c, t


def upstream_status(which):
    def run(port, tok):
        c = RawClient(port)
        c.send(H(tok, method=b"GET", target=b"/p/" + tok + b"/main?resp=" + which))
        t = time.monotonic()
        c.wait_finals(1)
        if which == b"101" and c.finals() and c.finals()[0]["status"] == "101" and not c.closed:
            # the proxy switched protocols for a request that never asked to: is it a tunnel?
            c.tunnel_tried = True
            c.send(H(tok, method=b"GET", target=b"/p/" + tok + b"/tunnel"))
            c.wait(lambda: c.closed, 1.0)
        return c, t
    return run


def P(extra, method=b"GET", target=None):
    return lambda tok: H(tok, extra, method, target if target is None else target(tok))


CASES = [
    Case("chunk-ZZ", "body", broken_chunk(b"ZZ\r\nhello\r\n0\r\n\r\n"),
         "chunk size `ZZ` after a good chunk (second write, +300 ms)"),
    Case("chunk-0x1", "body", broken_chunk(b"0x1\r\na\r\n0\r\n\r\n"),
         "chunk size `0x1`", lenient_body=6),
    Case("chunk-18hex", "body", broken_chunk(b"100000000000000001\r\na\r\n0\r\n\r\n"),
         "chunk size of 18 hex digits (2^68+1; wraps to 1 in 64 bits)"),
    Case("chunk-space", "body", broken_chunk(b"1 \r\na\r\n0\r\n\r\n"),
         "chunk size `1 ` (trailing space)", lenient_body=6),
    Case("chunk-ext-LF", "body", broken_chunk(b"1;ext=x\nyy\r\na\r\n0\r\n\r\n"),
         "bare LF inside a chunk extension", lenient_body=6),
    Case("chunk-no-CRLF", "body", broken_chunk(b"3\r\nabcXX0\r\n\r\n"),
         "chunk data not followed by CRLF (`abcXX`)"),
    Case("abort-chunked", "body", aborted(True),
         "chunked `4000` + 8,000 of 16,384 bytes, then the client closes"),
    Case("abort-CL", "body", aborted(False),
         "Content-Length 16384, 8,000 bytes, then the client closes"),
    Case("limit-chunked", "limit", over_limit(True),
         "chunked body of 2 MiB (limit 1 MiB), sent completely", full_body=2 * LIMIT),
    Case("limit-CL", "limit", over_limit(False),
         "Content-Length 2 MiB (limit 1 MiB), sent completely", full_body=2 * LIMIT),
    Case("stall-chunked", "body", stalled("chunked"),
         "one chunk, then the client stalls (connection kept open)"),
    Case("stall-CL", "body", stalled("cl"),
         "Content-Length 16384, 8,192 bytes, then stall"),
    Case("stall-no-body", "body", stalled("none"),
         "Content-Length 10, no body byte ever"),
    Case("pipe-2Host", "pipe", pipelined(P(b"Host: other.example\r\n")),
         "two Host headers, then a pipelined `POST /r4`"),
    Case("pipe-lc-method", "pipe", pipelined(P(b"", method=b"get")),
         "method `get`, then `POST /r4`"),
    Case("pipe-h2c", "pipe", pipelined(P(b"Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\n"
                                         b"HTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n")),
         "`Upgrade: h2c`, then `POST /r4`"),
    Case("pipe-abs-URI", "pipe",
         pipelined(P(b"", target=lambda tok: b"http://other.example/p/" + tok + b"/main")),
         "absolute-form URI whose host is not the Host header, then `POST /r4`"),
    Case("pipe-%2F", "pipe", pipelined(P(b"", target=lambda tok: b"/p/" + tok + b"%2Fmain")),
         "`%2F` in the path, then `POST /r4`"),
    Case("pipe-expect", "pipe", pipelined(P(b"Expect: bogus\r\n")),
         "`Expect: bogus`, then `POST /r4`"),
    Case("pipe-CL+TE", "pipe",
         pipelined(P(b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n", method=b"POST")),
         "Content-Length and Transfer-Encoding: chunked (body `0\\r\\n\\r\\n`), then `POST /r4`"),
    Case("expect-100", "info", expect_100,
         "`Expect: 100-continue`, Content-Length 10: is `100 Continue` sent within 2 s?"),
    Case("up-99999", "info", upstream_status(b"99999"),
         "the upstream answers `HTTP/1.1 99999 Weird`"),
    Case("up-101", "info", upstream_status(b"101"),
         "the upstream answers `101 Switching Protocols` to a plain GET"),
]
# the CL+TE first request carries a chunked body
_cl_te = [c for c in CASES if c.name == "pipe-CL+TE"][0]
_cl_te.run = pipelined(lambda tok: H(tok, b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n")
                       + b"0\r\n\r\n")


# --------------------------------------------------------------------------------------------
# Running and judging
# --------------------------------------------------------------------------------------------

def tok_reqs(up, tok):
    out = []
    for c in up.snapshot():
        for r in c.reqs:
            k = r.kind(tok)
            if k:
                out.append((k, r))
    return out


def embedded(up, tok):
    """Occurrences of the case token that are not at the head of a parsed request."""
    found = []
    btok = tok.encode()
    for c in up.snapshot():
        with up.lock:
            buf = bytes(c.buf)
            heads = [(r.start, r.head_end or len(buf)) for r in c.reqs]
            bodies = [(r.head_end, r.end or len(buf)) for r in c.reqs if r.head_end]
        i = buf.find(btok)
        while i >= 0:
            if any(a <= i < b for a, b in heads):
                pass
            elif c.upgraded_at is not None and i >= c.upgraded_at:
                found.append(("after-101", c.id))
            elif any(a <= i < b for a, b in bodies):
                found.append(("in-body", c.id))
            else:
                found.append(("unparsed", c.id))
            i = buf.find(btok, i + 1)
    return found


def settle(up, tok, limit):
    """Wait until every upstream connection that saw the main request is closed or idle."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        busy = False
        for k, r in tok_reqs(up, tok):
            if k == "main" and r.conn.t_closed is None and not r.complete and r.conn.upgraded_at is None:
                busy = True
        if not busy:
            return
        time.sleep(0.05)


def run_case(proxy, case, up):
    tok = "t" + uuid.uuid4().hex[:8]
    t0 = time.monotonic()
    try:
        c, t_last = case.run(proxy.port, tok.encode())
    except OSError as e:
        return {"cell": f"probe error: {e}", "verdict": "?", "detail": repr(e)}
    client = c.summary() if case.kind != "body" or not case.name.startswith("abort") \
        else "(client aborted)"
    fin = c.finals()
    t_res = None
    if fin:
        # time of the first final response's first byte is not tracked per response; use the
        # moment the client had it: first byte time if it came after the last write
        t_res = max(c.t_first or t_last, t_last)
    elif c.closed:
        t_res = c.t_closed
    settle(up, tok, SETTLE)
    if case.name.startswith("abort"):
        # no client view: resolution is when the upstream connection was closed (if ever)
        closes = [r.conn.t_closed for k, r in tok_reqs(up, tok) if k == "main" and r.conn.t_closed]
        t_res = max(closes) if closes else None
    note = getattr(c, "note", None)
    c.close()
    # follow-up from a new client connection: which upstream connection carries it? It is the
    # second request on that connection: HAProxy's "http-reuse safe" never sends the first
    # request of a client connection over an idle upstream connection.
    f = RawClient(proxy.port)
    f.send(b"GET /p/" + tok.encode() + b"/warm HTTP/1.1\r\nHost: localhost\r\n\r\n")
    f.wait_finals(1, timeout=CLIENT_WAIT, linger=0)
    f.send(b"GET /p/" + tok.encode() + b"/follow HTTP/1.1\r\nHost: localhost\r\n\r\n")
    f.wait_finals(2, timeout=CLIENT_WAIT, linger=0)
    fstat = [r["status"] for r in f.finals()]
    f.close()
    time.sleep(0.1)
    reqs = tok_reqs(up, tok)
    emb = embedded(up, tok)
    main = [r for k, r in reqs if k == "main"]
    r4 = [r for k, r in reqs if k == "r4"]
    follow = [r for k, r in reqs if k == "follow"]
    main_conns = {r.conn.id for r in main}

    def up_desc(rs, label=""):
        if not rs:
            return label + "nothing"
        parts = []
        for r in rs:
            if r.error:
                s = f"malformed ({r.error})"
            elif r.complete:
                s = f"COMPLETE ({r.body_len} B)" if r.body_len or "POST" in r.line else "COMPLETE"
            elif r.head_end is None:
                s = "partial head"
            else:
                s = f"partial ({r.body_len} B)"
            cc = r.conn
            if not r.complete:
                if cc.t_closed:
                    s += "+closed" if cc.close_kind == "fin" else "+reset"
                else:
                    s += "+open"
            parts.append(label + s)
        return ", ".join(parts)

    up_s = up_desc(main)
    if case.kind == "pipe":
        up_s += "; r4: " + ("forwarded" if r4 else "not forwarded")
    # connection fate
    fate = ""
    if main:
        if follow and follow[0].conn.id in main_conns:
            fate = "conn reused"
        elif all(r.conn.t_closed for r in main):
            fate = "conn closed"
        elif follow:
            fate = "conn kept, not reused"
        if case.name == "up-101" and any(r.conn.upgraded_at is not None and r.conn.t_closed is None
                                         for r in main):
            fate = "switched conn kept open" if fate != "conn reused" else fate
    if not follow:
        fate += (", " if fate else "") + "follow-up not received"
    if fstat and fstat != ["200", "200"]:
        fate += f" (follow-up got {' '.join(fstat)})"
    elif not fstat:
        fate += " (follow-up got no answer)"

    # verdict
    reasons = []
    for where, cid in emb:
        if where == "in-body":
            reasons.append(f"request bytes inside another request's body (upstream conn {cid})")
        elif where == "after-101":
            # the client's own bytes after a 101 it received are a tunnel (reported below);
            # another client's request on a switched connection is a finding
            if follow_after_101(up, tok):
                reasons.append(f"another client's request sent on a switched (101) upstream conn {cid}")
        else:
            reasons.append(f"unparsable request bytes (upstream conn {cid})")
    lenient = False
    if case.kind == "body":
        for r in main:
            if r.complete:
                if case.lenient_body is not None and r.body_len == case.lenient_body:
                    lenient = True
                else:
                    reasons.append(f"upstream got a COMPLETE request ({r.body_len} B) the client never finished")
    elif case.kind == "limit":
        for r in main:
            if r.complete and r.body_len != case.full_body:
                reasons.append(f"upstream got a COMPLETE, truncated body ({r.body_len} B)")
    elif case.kind == "pipe":
        first_ok = any(r.complete for r in main)
        if not first_ok and r4:
            reasons.append("the request pipelined behind a refused one reached the upstream")
    verdict = "UNSAFE" if reasons else "SAFE"
    extras = []
    if lenient:
        extras.append("accepted the malformed chunk, re-framed")
    if case.kind == "limit" and any(r.complete and r.body_len == case.full_body for r in main):
        extras.append("limit not enforced")
    if note:
        extras.append(note)
    if case.name == "up-101" and getattr(c, "tunnel_tried", False):
        extras.append("tunnel: the client's next request " +
                      ("reached the upstream raw" if tunnel_bytes(up, tok) else "was not forwarded"))
    if case.name == "expect-100":
        fwd = [r for r in main if hget(r.headers, "expect")]
        extras.append("Expect forwarded upstream" if fwd else "Expect not forwarded")
    if t_res is not None:
        tres = f"{max(0.0, t_res - t_last):.1f} s"
    elif case.name.startswith("abort") and not [r for r in main if r.conn.t_closed is None]:
        tres = "-"
    else:
        tres = "unresolved"
    cell = "; ".join(x for x in (f"**{verdict}** {client}", f"up: {up_s}", fate, tres) if x)
    if extras:
        cell += "; " + "; ".join(extras)
    return {"cell": cell, "verdict": verdict, "reasons": reasons, "dt": time.monotonic() - t0}


def follow_after_101(up, tok):
    """True if the follow-up (another client's request) landed on a switched connection."""
    for c in up.snapshot():
        if c.upgraded_at is not None:
            if tok.encode() + b"/follow" in bytes(c.buf[c.upgraded_at:]):
                return True
    return False


def tunnel_bytes(up, tok):
    for c in up.snapshot():
        if c.upgraded_at is not None and tok.encode() + b"/tunnel" in bytes(c.buf[c.upgraded_at:]):
            return True
    return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--proxies", default="edgeway,nginx,nginx-streaming,haproxy",
                    help="comma list of edgeway, nginx, nginx-streaming, haproxy, haproxy-streaming")
    ap.add_argument("--jar", default=os.path.join(REPO, "target", "edgeway.jar"))
    ap.add_argument("--cases", default="", help="comma list of case names (default: all)")
    ap.add_argument("--out", help="write the Markdown table to this file")
    ap.add_argument("--keep", action="store_true", help="keep the work dir (configs, logs)")
    ap.add_argument("--list", action="store_true", help="list the cases and exit")
    a = ap.parse_args()
    if a.list:
        for c in CASES:
            print(f"{c.name:16} {c.desc}")
        return 0
    cases = CASES
    if a.cases:
        want = a.cases.split(",")
        unknown = [w for w in want if w not in {c.name for c in CASES}]
        if unknown:
            raise SystemExit("unknown case(s): " + ", ".join(unknown))
        cases = [c for c in CASES if c.name in want]
    proxies = a.proxies.split(",")
    a.jar = os.path.abspath(a.jar)
    if "edgeway" in proxies and not os.path.exists(a.jar):
        raise SystemExit(f"{a.jar} missing: build it with `mvn -B -q -DskipTests package`")
    for tool in {"nginx" for p in proxies if p.startswith("nginx")} | \
            {"haproxy" for p in proxies if p.startswith("haproxy")}:
        if not shutil.which(tool):
            raise SystemExit(f"{tool} missing: apt-get install -y {tool}")
    work = tempfile.mkdtemp(prefix="edgeway-integrity-")
    up = RawUpstream()
    results, versions = {}, {}
    started = time.monotonic()
    try:
        for name in proxies:
            p = Proxy(name, work, up.port, a.jar)
            versions[name] = p.version()
            log(f"== {name} (port {p.port}, upstream {up.port}, dir {p.dir})")
            try:
                p.start()
                for case in cases:
                    r = run_case(p, case, up)
                    results[(name, case.name)] = r
                    log(f"  {case.name:15} {r['dt']:4.1f}s {r['cell']}")
            except RuntimeError as e:
                log(f"  {e}")
                for case in cases:
                    results.setdefault((name, case.name), {"cell": "did not start", "verdict": "?"})
            finally:
                p.stop()
    finally:
        up.stop()
    elapsed = time.monotonic() - started
    md = render(cases, proxies, results, versions, elapsed)
    print(md)
    if a.out:
        with open(a.out, "w") as f:
            f.write(md)
    if a.keep:
        log(f"configs and logs kept in {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def render(cases, proxies, results, versions, elapsed):
    lines = [f"| case | {' | '.join(proxies)} |", "|---|" + "---|" * len(proxies)]
    for c in cases:
        cells = [results.get((p, c.name), {}).get("cell", "") for p in proxies]
        lines.append(f"| `{c.name}` | " + " | ".join(x.replace("|", "/") for x in cells) + " |")
    unsafe = [(p, c.name, results[(p, c.name)].get("reasons")) for c in cases for p in proxies
              if results.get((p, c.name), {}).get("verdict") == "UNSAFE"]
    out = ["## Request-integrity probe", "",
           f"{datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}, "
           f"{elapsed:.0f} s. " + "; ".join(f"{k}: {v}" for k, v in versions.items()), ""]
    out += lines
    out += ["", "Cases:", ""]
    out += [f"- `{c.name}`: {c.desc}" for c in cases]
    if unsafe:
        out += ["", "UNSAFE cells:", ""]
        out += [f"- {p} / `{n}`: " + "; ".join(r or []) for p, n, r in unsafe]
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    sys.exit(main())
