"""Audio for the sandbox renderer: synthesis (ambient chords, speech-like babble), decoding and encoding.

Samples are float32 arrays shaped (channels, samples) in [-1, 1] at RATE Hz, stereo.
"""

from __future__ import annotations

import io
import math
import re
import unicodedata

import av
import numpy as np
from numpy.typing import NDArray

from ._render_scene import rng_for

RATE = 44_100
CHANNELS = 2
Samples = NDArray[np.float32]

# Rough formant frequencies (F1, F2, F3 in Hz) of five vowels: enough to make syllables sound voiced.
_VOWELS = {
    "a": (800.0, 1200.0, 2500.0),
    "e": (500.0, 1800.0, 2500.0),
    "i": (300.0, 2300.0, 3000.0),
    "o": (500.0, 900.0, 2400.0),
    "u": (350.0, 800.0, 2300.0),
}


def sample_count(seconds: float) -> int:
    return max(0, round(seconds * RATE))


def _fade(signal: Samples, seconds: float) -> None:
    """Short linear fade in/out in place, so clips start and end without clicks."""
    n = min(signal.shape[-1] // 2, int(seconds * RATE))
    if n > 0:
        ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
        signal[..., :n] *= ramp
        signal[..., -n:] *= ramp[::-1]


def _normalise(signal: Samples, peak: float) -> Samples:
    top = float(np.max(np.abs(signal))) if signal.size else 0.0
    if top > 0:
        signal *= np.float32(peak / top)
    return signal


def ambient(seconds: float, *seed_parts: object, level: float = 0.5) -> Samples:
    """A seeded pad chord with a slow arpeggio and soft noise; `level` is the peak amplitude."""
    rng = rng_for("ambient", *seed_parts)
    n = sample_count(seconds)
    t = np.arange(n, dtype=np.float32) / RATE
    root = 110.0 * 2 ** (int(rng.integers(0, 12)) / 12)
    intervals = (0, 4, 7, 12) if rng.random() < 0.5 else (0, 3, 7, 10)
    out = np.zeros((CHANNELS, n), np.float32)
    for k, semis in enumerate(intervals):
        freq = root * 2 ** (semis / 12)
        tone = np.zeros(n, np.float32)
        for harmonic, amp in ((1, 1.0), (2, 0.35), (3, 0.12)):
            tone += amp * np.sin(2 * np.pi * freq * harmonic * t + k).astype(np.float32)
        rate = float(rng.uniform(0.05, 0.2))
        for ch in range(CHANNELS):
            # Each note swells at its own slow rate, slightly out of phase between the ears.
            swell = 0.6 + 0.4 * np.sin(2 * np.pi * rate * t + k + 1.3 * ch).astype(np.float32)
            out[ch] += 0.2 * tone * swell
    # Plucked arpeggio over the chord, one note per beat.
    beat = float(rng.uniform(0.25, 0.5))
    pluck_len = int(beat * 2 * RATE)
    env = np.exp(-np.arange(pluck_len, dtype=np.float32) / (0.15 * RATE))
    for i, start in enumerate(range(0, n, int(beat * RATE))):
        freq = root * 2 * 2 ** (intervals[(i * 3) % len(intervals)] / 12)
        seg = min(pluck_len, n - start)
        tt = np.arange(seg, dtype=np.float32) / RATE
        note = (0.25 * env[:seg] * np.sin(2 * np.pi * freq * tt)).astype(np.float32)
        out[0, start : start + seg] += note * (0.6 if i % 2 else 1.0)
        out[1, start : start + seg] += note * (1.0 if i % 2 else 0.6)
    if n:
        # Soft "air": white noise shaped to roughly 1/f in the frequency domain.
        spectrum = np.fft.rfft(rng.standard_normal((CHANNELS, n)).astype(np.float32), axis=-1)
        spectrum /= np.sqrt(np.arange(spectrum.shape[-1]) + 1.0)
        noise = np.fft.irfft(spectrum, n=n, axis=-1).astype(np.float32)
        out += 0.05 * _normalise(noise, 1.0)
    _fade(out, 0.3)
    return _normalise(out, level)


def _syllables(text: str) -> list[tuple[str, float]]:
    """(vowel, pause-after seconds) per syllable: vowel groups of words, or each CJK character."""
    out: list[tuple[str, float]] = []
    for token in re.findall(r"\w+|[^\w\s]", text):
        if not token[0].isalnum() and token[0] != "_":
            if out:
                out[-1] = (out[-1][0], 0.25)  # punctuation: a phrase pause
            continue
        letters = unicodedata.normalize("NFKD", token.lower())
        groups = re.findall(r"[aeiouy]+", letters)
        if not groups:
            # CJK or consonant-only tokens: one syllable per character, vowel picked from the code point.
            groups = ["aeiou"[ord(ch) % 5] for ch in token]
        for g in groups:
            out.append((g[0] if g[0] in _VOWELS else "e", 0.0))
        out[-1] = (out[-1][0], 0.08)  # word gap
    return out


def speech_like(seconds: float, text: str, *seed_parts: object) -> Samples:
    """Voiced syllables (harmonics shaped by vowel formants) at a speaking rate, following `text`."""
    rng = rng_for("speech", text, *seed_parts)
    n = sample_count(seconds)
    mono = np.zeros(n, np.float32)
    units = _syllables(text) or [
        ("aeiou"[int(rng.integers(0, 5))], float(rng.choice([0.0, 0.08]))) for _ in range(12)
    ]
    f0_base = float(rng.uniform(100.0, 210.0))
    pos = int(0.15 * RATE)
    i = 0
    while pos < n:
        vowel, pause = units[i % len(units)]
        if i and i % len(units) == 0:
            pos += int(0.5 * RATE)  # breath before repeating the text
        i += 1
        length = int(float(rng.uniform(0.14, 0.24)) * RATE)
        seg = min(length, n - pos)
        if seg <= 0:
            break
        tt = np.arange(seg, dtype=np.float32) / RATE
        # Pitch falls a little across each syllable (declination), with per-syllable variation.
        f0 = f0_base * float(rng.uniform(0.9, 1.15)) * (1.0 - 0.12 * tt / (length / RATE))
        phase = 2 * np.pi * np.cumsum(f0) / RATE
        voice = np.zeros(seg, np.float32)
        formants = _VOWELS[vowel]
        for k in range(1, int(3500 / f0_base)):
            freq = f0_base * k
            gain = sum(math.exp(-(((freq - f) / 120.0) ** 2)) for f in formants) + 0.02
            voice += (gain / k**0.5) * np.sin(k * phase).astype(np.float32)
        attack = np.minimum(1.0, tt / 0.025)
        release = np.minimum(1.0, (length / RATE - tt) / 0.06)
        voice *= np.clip(attack * release, 0.0, 1.0).astype(np.float32)
        # A short noise burst stands in for the consonant at the syllable onset.
        burst = min(seg, int(0.03 * RATE))
        voice[:burst] += 0.3 * np.diff(rng.standard_normal(burst + 1)).astype(np.float32)
        mono[pos : pos + seg] += voice
        pos += length + int(pause * RATE)
    out = np.vstack([mono, mono]).astype(np.float32)
    return _normalise(out, 0.6)


def fit_length(samples: Samples, n: int) -> Samples:
    """Trim or zero-pad (silence) to exactly n samples per channel."""
    if samples.shape[-1] >= n:
        return np.ascontiguousarray(samples[:, :n])
    pad = np.zeros((samples.shape[0], n - samples.shape[-1]), np.float32)
    return np.concatenate([samples, pad], axis=-1)


def decode_audio(source: str | bytes) -> Samples | None:
    """Decode the first audio stream of a file path or in-memory file to RATE Hz stereo; None if none."""
    try:
        container = av.open(io.BytesIO(source) if isinstance(source, bytes) else source, mode="r")
    except av.FFmpegError as exc:
        raise ValueError(f"cannot decode audio: {exc}") from exc
    with container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="fltp", layout="stereo", rate=RATE)
        chunks: list[Samples] = []
        try:
            for frame in container.decode(stream):
                chunks.extend(f.to_ndarray().astype(np.float32) for f in resampler.resample(frame))
        except av.FFmpegError as exc:
            raise ValueError(f"cannot decode audio: {exc}") from exc
        chunks.extend(f.to_ndarray().astype(np.float32) for f in resampler.resample(None))
    if not chunks:
        return np.zeros((CHANNELS, 0), np.float32)
    return np.concatenate(chunks, axis=-1).astype(np.float32)


class AudioPump:
    """Feeds samples to an audio stream of an output container a chunk at a time.

    Called as the video advances so audio and video packets reach the muxer interleaved.
    """

    def __init__(self, container: av.container.OutputContainer, samples: Samples, codec: str, bitrate: int):
        self._container = container
        self._samples = samples
        self._pos = 0
        stream = container.add_stream(codec, rate=RATE, layout="stereo")
        if not isinstance(stream, av.AudioStream):
            raise TypeError(f"{codec} is not an audio codec")
        self.stream = stream
        if bitrate:
            self.stream.codec_context.bit_rate = bitrate

    def pump(self, until_seconds: float) -> None:
        """Encode samples up to `until_seconds` (in chunks of at most 1 s)."""
        self._pump_to(min(self._samples.shape[-1], sample_count(until_seconds)))

    def _pump_to(self, end: int) -> None:
        while self._pos < end:
            stop = min(end, self._pos + RATE)
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(self._samples[:, self._pos : stop]), format="fltp", layout="stereo"
            )
            frame.sample_rate = RATE
            frame.pts = self._pos
            self._container.mux(self.stream.encode(frame))
            self._pos = stop

    def finish(self) -> None:
        self._pump_to(self._samples.shape[-1])
        self._container.mux(self.stream.encode(None))


def encode_audio_file(samples: Samples, fmt: str) -> bytes:
    """Encode to MP3 (libmp3lame, 192 kb/s) or WAV (pcm_s16le) bytes."""
    if fmt == "mp3":
        container_fmt, codec, bitrate = "mp3", "libmp3lame", 192_000
    elif fmt == "wav":
        container_fmt, codec, bitrate = "wav", "pcm_s16le", 0
    else:
        raise ValueError(f"unsupported audio format {fmt!r}; expected 'mp3' or 'wav'")
    buf = io.BytesIO()
    with av.open(buf, mode="w", format=container_fmt) as container:
        pump = AudioPump(container, samples, codec, bitrate)
        pump.finish()
    return buf.getvalue()
