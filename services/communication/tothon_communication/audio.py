"""A notice read aloud for the village loudspeaker: Vietnamese speech made offline by Debian's
``espeak-ng`` (its Central Vietnamese voice, Đà Nẵng's) and encoded to MP3 by ``lame``, which any
loudspeaker system or phone plays. Made in subprocesses with a time limit; the same text is made
once and kept (a handful of notices are played over and over)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
from dataclasses import dataclass

from cachetools import LRUCache

VOICE = "vi-vn-x-central"
WORDS_PER_MINUTE = 140  # slower than espeak's 175: a loudspeaker outdoors, older listeners
TIME_LIMIT = 120.0  # seconds for one notice (10,000 characters take about 30 s here)
SAMPLE_RATE = 22_050  # espeak-ng's output: 16-bit mono


class AudioUnavailableError(Exception):
    """``espeak-ng`` or ``lame`` is not installed (answered 503: the server's lack, not the caller's)."""

    code = "unavailable"


@dataclass(frozen=True)
class Recording:
    mp3: bytes
    seconds: float


_kept: LRUCache[str, Recording] = LRUCache(maxsize=32)
_lock = threading.Lock()


def spoken(text: str) -> Recording:
    """``text`` spoken in Vietnamese as MP3, with its length in seconds."""
    key = hashlib.sha256(f"{VOICE}:{WORDS_PER_MINUTE}:{text}".encode()).hexdigest()
    with _lock:
        found = _kept.get(key)
    if found is not None:
        return found
    espeak, lame = shutil.which("espeak-ng"), shutil.which("lame")
    if espeak is None or lame is None:
        raise AudioUnavailableError
    wav = subprocess.run(  # noqa: S603  # fixed programs; the text goes on stdin, never a shell
        [espeak, "-v", VOICE, "-s", str(WORDS_PER_MINUTE), "--stdin", "--stdout"],
        input=text.encode(),
        capture_output=True,
        timeout=TIME_LIMIT,
        check=True,
    ).stdout
    mp3 = subprocess.run(  # noqa: S603
        [lame, "--quiet", "-V", "6", "-", "-"], input=wav, capture_output=True, timeout=TIME_LIMIT, check=True
    ).stdout
    # The WAV's 44-byte header, then two bytes a sample.
    made = Recording(mp3, max(0, len(wav) - 44) / (2 * SAMPLE_RATE))
    with _lock:
        _kept[key] = made
    return made
