"""Run calamine in a forkserver child with capped memory and time, so a crash stays there."""

import functools
import gc
import multiprocessing
import os
import pickle
import resource
import signal
import sys
import threading
import types

from lgadata.problems import Code
from lgadata.reader.binary import read_binary
from lgadata.reader.limits import MIB, ReadLimits
from lgadata.reader.rejection import FileRejected, reject
from lgadata.reader.workbook import RawWorkbook, SentSheet

_START_LOCK = threading.Lock()


@functools.cache
def _context() -> multiprocessing.context.ForkServerContext:
    context = multiprocessing.get_context("forkserver")
    # The forkserver imports these once, so each child starts with calamine and this module
    # (which imports the readers) loaded. __name__ keeps the path right if the module moves;
    # a wrong name would not fail, only make every upload slower.
    context.set_forkserver_preload(["python_calamine", __name__])
    return context


def read_isolated(
    data: bytes, file_name: str, file_format: str, limits: ReadLimits, *, prescan: bool = True
) -> RawWorkbook:
    """Read a workbook in a child process with capped memory and time, so a crash stays there."""
    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    errors_in, errors_out = context.Pipe(duplex=False)
    child = context.Process(
        target=_child_main,
        args=(sender, errors_out, data, file_name, file_format, limits, prescan),
        daemon=True,
    )
    _start_without_main(child)
    try:
        sender.close()
        errors_out.close()
        if not receiver.poll(limits.timeout_s):
            raise reject(Code.READER_TIMEOUT, file_name, seconds=limits.timeout_s)
        try:
            outcome = _unpickle(receiver.recv_bytes())
        except (EOFError, OSError):  # the child died before or while sending
            child.join(timeout=5)
            raise _child_died(child.exitcode, _drain(errors_in), file_name, limits) from None
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=5)
        receiver.close()
        errors_in.close()
    if outcome[0] == "rejected":
        raise FileRejected(Code(outcome[1]), outcome[2])
    return outcome[1]


def _start_without_main(child: multiprocessing.process.BaseProcess) -> None:
    # Streamlit installs the page script as __main__, and multiprocessing re-runs __main__ in
    # every forkserver child before the target starts (the whole dashboard, once per upload).
    # The child needs nothing from __main__, so it is hidden while the child's set-up is sent.
    with _START_LOCK:
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            child.start()
        finally:
            sys.modules["__main__"] = main


def _unpickle(payload: bytes) -> tuple:
    # Collecting garbage while unpickling 100,000 rows of new lists doubles the time it takes,
    # and none of them can be garbage yet.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return pickle.loads(payload)
    finally:
        if collecting:
            gc.enable()


def _child_main(sender, errors_out, data, file_name, file_format, limits, prescan) -> None:
    """Run in the child: cap memory, read the workbook and send the outcome to the parent."""
    # Rust prints its abort message and a backtrace to stderr; capture them so the parent can
    # tell running out of memory from other crashes and nothing spills into the server log.
    os.dup2(errors_out.fileno(), 2)
    os.set_blocking(2, False)
    gc.disable()  # a short-lived reader makes no reference cycles worth collecting
    cap = limits.memory_mb * MIB
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap if hard == resource.RLIM_INFINITY else hard))
    try:
        book = read_binary(data, file_name, file_format, limits, prescan=prescan, build=SentSheet)
        outcome = ("ok", book)
    except FileRejected as rejection:
        outcome = ("rejected", rejection.code, rejection.message)
    sender.send_bytes(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))


def _drain(connection) -> bytes:
    os.set_blocking(connection.fileno(), False)
    try:
        return os.read(connection.fileno(), 64 * 1024)
    except OSError:
        return b""


def _child_died(exitcode: int | None, stderr: bytes, file_name: str, limits: ReadLimits):
    # Rust reports "memory allocation of N bytes failed" and aborts; the kernel's OOM killer
    # sends SIGKILL; Python raises MemoryError if it runs out while sending the result.
    if exitcode == -signal.SIGKILL or b"memory allocation" in stderr or b"MemoryError" in stderr:
        return reject(Code.READER_OUT_OF_MEMORY, file_name, megabytes=limits.memory_mb)
    return reject(Code.READER_CRASHED, file_name)
