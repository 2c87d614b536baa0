"""A playable WebM clip of any whole number of seconds for the browser tests, made without ffmpeg: the one-second
VP8 clip courses/tests/files/tiny.webm (ten frames, the first a keyframe) played over and over.

Each second is a Matroska cluster holding the clip's frames as they are (each cluster starts with the keyframe, so it
decodes on its own); the segment gives the duration, and cues before the clusters let the player seek. Sizes are
written as 8-byte numbers, so that every element's length is known before its content is.
"""

import struct
from pathlib import Path

TINY = Path(__file__).resolve().parents[2] / "courses" / "tests" / "files" / "tiny.webm"

EBML, SEGMENT, INFO, TRACKS, CUES, CLUSTER = 0x1A45DFA3, 0x18538067, 0x1549A966, 0x1654AE6B, 0x1C53BB6B, 0x1F43B675
TIMECODE_SCALE, DURATION, MUXING_APP, WRITING_APP = 0x2AD7B1, 0x4489, 0x4D80, 0x5741
CUE_POINT, CUE_TIME, CUE_TRACK_POSITIONS, CUE_TRACK, CUE_CLUSTER_POSITION = 0xBB, 0xB3, 0xB7, 0xF7, 0xF1
CLUSTER_TIMECODE, SIMPLE_BLOCK = 0xE7, 0xA3


def looped_webm(seconds: int) -> bytes:
    """The tiny clip repeated for `seconds` seconds, as one WebM file."""
    header, tracks, frames = _parts_of(TINY.read_bytes())
    clusters = [
        _element(CLUSTER, _uint(CLUSTER_TIMECODE, second * 1000) + b"".join(_element(SIMPLE_BLOCK, f) for f in frames))
        for second in range(seconds)
    ]
    info = _element(
        INFO,
        _uint(TIMECODE_SCALE, 1_000_000)  # timecodes in milliseconds
        + _element(DURATION, struct.pack(">d", seconds * 1000.0))
        + _element(MUXING_APP, b"lms tests")
        + _element(WRITING_APP, b"lms tests"),
    )
    cues_length = len(_cues([0] * seconds))
    offset = len(info) + len(tracks) + cues_length  # of the first cluster, from the segment's content
    positions = []
    for cluster in clusters:
        positions.append(offset)
        offset += len(cluster)
    return header + _element(SEGMENT, info + tracks + _cues(positions) + b"".join(clusters))


def _cues(positions: list[int]) -> bytes:
    points = (
        _element(
            CUE_POINT,
            _uint(CUE_TIME, second * 1000)
            + _element(CUE_TRACK_POSITIONS, _uint(CUE_TRACK, 1) + _uint(CUE_CLUSTER_POSITION, position)),
        )
        for second, position in enumerate(positions)
    )
    return _element(CUES, b"".join(points))


def _parts_of(data: bytes) -> tuple[bytes, bytes, list[bytes]]:
    """The EBML header and the Tracks element of a WebM file (as they are), and the content of its SimpleBlocks."""
    header_end = _read(data, 0)[2]
    segment_start, segment_end = _read(data, header_end)[1:]
    tracks, frames = b"", []
    at = segment_start
    while at < segment_end:
        element, start, end = _read(data, at)
        if element == TRACKS:
            tracks = data[at:end]
        elif element == CLUSTER:
            inner = start
            while inner < end:
                child, child_start, child_end = _read(data, inner)
                if child == SIMPLE_BLOCK:
                    frames.append(data[child_start:child_end])
                inner = child_end
        at = end
    return data[:header_end], tracks, frames


def _read(data: bytes, at: int) -> tuple[int, int, int]:
    """The element at `at`: its id, where its content starts and where it ends."""
    element, id_length = _vint(data, at, keep_marker=True)
    size, size_length = _vint(data, at + id_length, keep_marker=False)
    start = at + id_length + size_length
    return element, start, start + size


def _vint(data: bytes, at: int, *, keep_marker: bool) -> tuple[int, int]:
    length = 9 - data[at].bit_length()
    value = data[at] if keep_marker else data[at] & (0xFF >> length)
    for byte in data[at + 1 : at + length]:
        value = value << 8 | byte
    return value, length


def _element(element: int, content: bytes) -> bytes:
    identity = element.to_bytes((element.bit_length() + 7) // 8, "big")
    return identity + (1 << 56 | len(content)).to_bytes(8, "big") + content


def _uint(element: int, value: int) -> bytes:
    return _element(element, value.to_bytes(8, "big"))
