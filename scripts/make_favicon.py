"""Draw service/plenipot/web/static/img/favicon.ico: the drawing of favicon.svg beside it (three
nodes of a graph on a blue rounded square), rasterized at 16 and 32 pixels with 4x4
supersampling, written as a two-image ICO with 32-bit BMPs. Needs nothing but Python.

    python scripts/make_favicon.py
"""

import math
import struct
from pathlib import Path

TARGET = Path(__file__).resolve().parents[1] / "service/plenipot/web/static/img/favicon.ico"
BLUE, WHITE = (0x1F, 0x4E, 0x8C), (0xFF, 0xFF, 0xFF)
NODES = ((16, 9), (9, 22), (23, 22))  # in the 32-unit box of favicon.svg
EDGES = ((0, 1), (0, 2), (1, 2))


def _segment_distance(x, y, a, b) -> float:
    (ax, ay), (bx, by) = a, b
    t = max(0.0, min(1.0, ((x - ax) * (bx - ax) + (y - ay) * (by - ay))
                     / ((bx - ax) ** 2 + (by - ay) ** 2)))
    return math.hypot(x - ax - t * (bx - ax), y - ay - t * (by - ay))


def _sample(x: float, y: float) -> tuple[tuple[int, int, int], float]:
    """Colour and coverage of one point of the 32-unit box."""
    corner = 6.0
    dx, dy = max(corner - x, x - 32 + corner, 0), max(corner - y, y - 32 + corner, 0)
    if math.hypot(dx, dy) > corner:
        return BLUE, 0.0  # outside the rounded square
    if any(math.hypot(x - nx, y - ny) <= 4 for nx, ny in NODES) or any(
            _segment_distance(x, y, NODES[i], NODES[j]) <= 1.1 for i, j in EDGES):
        return WHITE, 1.0
    return BLUE, 1.0


def pixels(size: int) -> list[list[tuple[int, int, int, int]]]:
    rows = []
    for py in range(size):
        row = []
        for px in range(size):
            samples = [_sample((px + (sx + 0.5) / 4) * 32 / size, (py + (sy + 0.5) / 4) * 32 / size)
                       for sx in range(4) for sy in range(4)]
            alpha = sum(c for _, c in samples) / 16
            inside = [colour for colour, c in samples if c] or [BLUE]
            rgb = tuple(round(sum(c[k] for c in inside) / len(inside)) for k in range(3))
            row.append((*rgb, round(alpha * 255)))
        rows.append(row)
    return rows


def bmp(size: int) -> bytes:
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    data = b"".join(bytes((b, g, r, a)) for row in reversed(pixels(size)) for r, g, b, a in row)
    mask_row = ((size + 31) // 32) * 4
    return header + data + bytes(mask_row * size)  # the AND mask: alpha says it all


def ico(sizes=(16, 32)) -> bytes:
    images = [bmp(size) for size in sizes]
    out = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    for size, image in zip(sizes, images, strict=True):
        out += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return out + b"".join(images)


if __name__ == "__main__":
    TARGET.write_bytes(ico())
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes)")
