"""socket-kinds.py KIND...: creates a socket of each KIND through the C
library's socket(2) (socketpair(2) for 'pair:...') and prints 'KIND: ok' or
'KIND: <strerror>'. A KIND is FAMILY:TYPE[+FLAG...]: FAMILY inet, inet6,
unix, packet, netlink, alg; TYPE stream, dgram, raw, seqpacket; FLAG nonblock, cloexec
(ORed into the type, as SOCK_NONBLOCK and SOCK_CLOEXEC)."""
import os
import socket
import sys

FAMILIES = {"inet": socket.AF_INET, "inet6": socket.AF_INET6,
            "unix": socket.AF_UNIX, "packet": socket.AF_PACKET,
            "netlink": socket.AF_NETLINK, "alg": socket.AF_ALG}
TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM,
         "raw": socket.SOCK_RAW, "seqpacket": socket.SOCK_SEQPACKET}
FLAGS = {"nonblock": socket.SOCK_NONBLOCK, "cloexec": socket.SOCK_CLOEXEC}

for kind in sys.argv[1:]:
    spec = kind
    pair = spec.startswith("pair:")
    if pair:
        spec = spec[len("pair:"):]
    family, rest = spec.split(":")
    words = rest.split("+")
    type_ = TYPES[words[0]]
    for flag in words[1:]:
        type_ |= FLAGS[flag]
    try:
        if pair:
            for s in socket.socketpair(FAMILIES[family], type_):
                s.close()
        else:
            socket.socket(FAMILIES[family], type_).close()
        print(f"{kind}: ok")
    except OSError as e:
        print(f"{kind}: {os.strerror(e.errno)}")
