"""Opening input files replay did not write: regular files only.

Scenarios, rule packs and traces may come from someone else. A FIFO named ``x.yaml`` blocks a
reader forever and a symlink to ``/dev/zero`` never ends, so every input is checked to be a
regular file before it is opened, and again (race-free) once it is open.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO


class NotRegularFile(OSError):
    """The path is a FIFO, socket or device (or a symlink to one): refused unread."""

    def __init__(self, path: Path, mode: int) -> None:
        self.reason = f"is {_kind(mode)}, expected a regular file (replay reads only regular files)"
        super().__init__(f"{path}: {self.reason}")


def open_regular(path: Path) -> tuple[BinaryIO, int]:
    """``path`` opened for binary reading, and its size in bytes.

    Raises :class:`NotRegularFile` for anything but a regular file, ``IsADirectoryError`` for
    a folder, and the usual ``OSError`` subclasses otherwise.
    """
    info = path.stat()
    if stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(21, "Is a directory", str(path))
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFile(path, info.st_mode)
    # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it does not
    # wait for a writer; the fstat below refuses it.
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    handle = os.fdopen(fd, "rb")
    try:
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            raise NotRegularFile(path, opened.st_mode)
        os.set_blocking(fd, True)
    except BaseException:
        handle.close()
        raise
    return handle, opened.st_size


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"
