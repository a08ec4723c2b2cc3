"""socket-kinds.py KIND...: creates a socket of each KIND through the C
library's socket(2) (socketpair(2) for 'pair:...') and prints 'KIND: ok' or
'KIND: <strerror>'. A KIND is FAMILY:TYPE[+FLAG...][:PROTOCOL]: FAMILY inet,
inet6, unix, packet, netlink, alg; TYPE stream, dgram, raw, seqpacket; FLAG
nonblock, cloexec (ORed into the type, as SOCK_NONBLOCK and SOCK_CLOEXEC);
PROTOCOL a netlink protocol (route, sock_diag, xfrm, audit, kobject_uevent,
generic) passed as socket(2)'s third argument, 0 without one."""
import os
import socket
import sys

FAMILIES = {"inet": socket.AF_INET, "inet6": socket.AF_INET6,
            "unix": socket.AF_UNIX, "packet": socket.AF_PACKET,
            "netlink": socket.AF_NETLINK, "alg": socket.AF_ALG}
TYPES = {"stream": socket.SOCK_STREAM, "dgram": socket.SOCK_DGRAM,
         "raw": socket.SOCK_RAW, "seqpacket": socket.SOCK_SEQPACKET}
FLAGS = {"nonblock": socket.SOCK_NONBLOCK, "cloexec": socket.SOCK_CLOEXEC}
# <linux/netlink.h>
PROTOCOLS = {"route": 0, "sock_diag": 4, "xfrm": 6, "audit": 9,
             "kobject_uevent": 15, "generic": 16}

for kind in sys.argv[1:]:
    spec = kind
    pair = spec.startswith("pair:")
    if pair:
        spec = spec[len("pair:"):]
    family, rest, *proto = spec.split(":")
    protocol = PROTOCOLS[proto[0]] if proto else 0
    words = rest.split("+")
    type_ = TYPES[words[0]]
    for flag in words[1:]:
        type_ |= FLAGS[flag]
    try:
        if pair:
            for s in socket.socketpair(FAMILIES[family], type_):
                s.close()
        else:
            socket.socket(FAMILIES[family], type_, protocol).close()
        print(f"{kind}: ok")
    except OSError as e:
        print(f"{kind}: {os.strerror(e.errno)}")
