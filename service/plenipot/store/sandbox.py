"""Taking capabilities away from the processes that evaluate queries and parse data.

The query check (``plenipot.store.safety``) decides on the parsed query; this module makes a
request impossible even where a parser misses something. On Linux a process can move itself into
a new, empty network namespace: it then has no interface but a loopback of its own, so no
connection from it reaches this machine's services or any other host. As root
``unshare(CLONE_NEWNET)`` suffices; as another user the kernel allows it inside a new user
namespace (``CLONE_NEWUSER | CLONE_NEWNET``), which must be done while the process has one
thread. Where neither works (another OS, a container that forbids namespaces) a warning is
logged once and the parsed check stands alone.

The memory cap is ``RLIMIT_AS`` on the process: an allocation past it fails, and the pool
replaces the worker (``plenipot.store.workers``).
"""

import ctypes
import ctypes.util
import logging
import os
import resource
import sys

log = logging.getLogger(__name__)

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000
MIB = 1024 * 1024

_state: dict = {"network": None, "warned": False}


def _unshare(flags: int) -> int:
    """``unshare(2)``; 0 or the errno."""
    unshare = getattr(os, "unshare", None)  # Python 3.12+
    if unshare is not None:
        try:
            unshare(flags)
            return 0
        except OSError as error:
            return error.errno or -1
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    if libc.unshare(flags) == 0:
        return 0
    return ctypes.get_errno() or -1


def _map_ids(uid: int, gid: int) -> None:
    """Inside a new user namespace, keep our own uid and gid (files stay ours)."""
    try:
        with open("/proc/self/setgroups", "w") as file:
            file.write("deny")
        with open("/proc/self/uid_map", "w") as file:
            file.write(f"{uid} {uid} 1")
        with open("/proc/self/gid_map", "w") as file:
            file.write(f"{gid} {gid} 1")
    except OSError:  # unmapped ids still read and write files as before
        pass


def isolate_network() -> str:
    """Move this process into a network namespace of its own (no route to any host).

    Returns how: ``"netns"`` (as root), ``"userns"`` (a user and a network namespace, as
    another user), or ``"none"`` where the OS allows neither (logged once as a warning).
    Calling it again is free."""
    if _state["network"] is not None:
        return _state["network"]
    how = "none"
    if sys.platform.startswith("linux"):
        uid, gid = os.getuid(), os.getgid()
        if _unshare(CLONE_NEWNET) == 0:
            how = "netns"
        elif _unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
            _map_ids(uid, gid)
            how = "userns"
    _state["network"] = how
    if how == "none" and not _state["warned"]:
        _state["warned"] = True
        log.warning("could not take the network away from this process (no network namespaces "
                    "here); outbound requests are refused by the query check alone")
    return how


def network_isolation() -> str | None:
    """How this process was isolated (``isolate_network``), or None if it was not asked."""
    return _state["network"]


def cap_memory(limit_bytes: int | None) -> None:
    """Cap this process's address space at ``limit_bytes`` (None or 0: no cap)."""
    if not limit_bytes:
        return
    try:
        _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit_bytes = min(limit_bytes, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, hard))
    except (ValueError, OSError) as error:
        log.warning("could not cap the memory of this process: %s", error)


ON_DISK_HEADROOM = 2048 * MIB


def memory_limit(setting_mib: int | None, data_bytes: int, on_disk: bool = False) -> int:
    """The address-space cap of a query worker, in bytes: the setting (MiB), or by default
    1 GiB plus 40 times the size of the source files (Oxigraph holds a parsed triple in
    several indexes; 40x leaves room for the queries on it). A worker over an on-disk store gets
    ``ON_DISK_HEADROOM`` more: RocksDB maps its files and starts threads, each with a stack and
    a malloc arena, address space reserved rather than used (without it, a replica's worker
    failed to start a thread: "Resource temporarily unavailable")."""
    if setting_mib:
        return setting_mib * MIB
    return 1024 * MIB + 40 * data_bytes + (ON_DISK_HEADROOM if on_disk else 0)
