#!/usr/bin/env python3
"""The zero-copy reference for the store benchmark's downloads: serves the files of one directory over HTTP/1.1
on 127.0.0.1 with sendfile(2) and nothing else (no auth, no headers but the length), so that curl fetching from
it is the floor of any HTTP download of the same file on this machine. Written here because no packaged server
is on every benchmark host; python's http.server copies through user space.
    sendfile-server.py <directory> <port>
"""
import os
import socket
import sys
import urllib.parse

root, port = sys.argv[1], int(sys.argv[2])
server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("127.0.0.1", port))
server.listen(8)
while True:
    conn, _ = server.accept()
    with conn:
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(65536)
            if not data:
                break
            request += data
        if not request:
            continue
        name = os.path.basename(urllib.parse.unquote(request.split(b" ")[1].decode()))
        path = os.path.join(root, name)
        if not os.path.isfile(path):
            conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            continue
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\nContent-Type: application/octet-stream\r\n"
                         b"Connection: close\r\n\r\n" % size)
            conn.sendfile(f)
