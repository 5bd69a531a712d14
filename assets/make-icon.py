#!/usr/bin/env python3
"""Draw assets/icon.png (256x256): a graduation cap over a check mark on a blue tile.

Standard library only, and deterministic: the same script always writes the same bytes.
Run from the repository root:  python3 assets/make-icon.py
"""
import math
import os
import struct
import zlib

SIZE = 256
SS = 4  # samples per pixel per axis (anti-aliasing)

BLUE = (31, 78, 140)
WHITE = (250, 250, 252)
CAP_SIDE = (214, 224, 238)
GOLD = (242, 178, 51)
GREEN = (60, 195, 107)


def in_round_rect(x, y, x0, y0, x1, y1, r):
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and x0 <= x <= x1 and y0 <= y <= y1


def in_polygon(x, y, pts):
    inside = False
    j = len(pts) - 1
    for i in range(len(pts)):
        xi, yi = pts[i]
        xj, yj = pts[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def near_polyline(x, y, pts, half_width):
    for (ax, ay), (bx, by) in zip(pts, pts[1:]):
        dx, dy = bx - ax, by - ay
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
        px, py = ax + t * dx, ay + t * dy
        if (x - px) ** 2 + (y - py) ** 2 <= half_width * half_width:
            return True
    return False


# Shapes from back to front: (test, colour).
SHAPES = [
    (lambda x, y: in_round_rect(x, y, 8, 8, 248, 248, 52), BLUE),
    # The cap's body under the board.
    (lambda x, y: in_polygon(x, y, [(74, 96), (182, 96), (182, 146), (128, 162), (74, 146)]),
     CAP_SIDE),
    # The mortarboard, a flat diamond.
    (lambda x, y: in_polygon(x, y, [(128, 46), (230, 92), (128, 136), (26, 92)]), WHITE),
    # Tassel: a cord from the button to the edge, hanging down, with a knot.
    (lambda x, y: near_polyline(x, y, [(128, 91), (206, 104), (206, 150)], 4.0), GOLD),
    (lambda x, y: (x - 206) ** 2 + (y - 158) ** 2 <= 10 ** 2, GOLD),
    (lambda x, y: (x - 128) ** 2 + (y - 91) ** 2 <= 8 ** 2, GOLD),
    # The check mark.
    (lambda x, y: near_polyline(x, y, [(80, 192), (112, 222), (178, 170)], 11.0), GREEN),
]


def pixel(px, py):
    r = g = b = a = 0.0
    n = SS * SS
    for sy in range(SS):
        for sx in range(SS):
            x = px + (sx + 0.5) / SS
            y = py + (sy + 0.5) / SS
            colour = None
            for test, c in SHAPES:
                if test(x, y):
                    colour = c
            if colour is not None:
                r += colour[0]
                g += colour[1]
                b += colour[2]
                a += 1.0
    if a == 0:
        return (0, 0, 0, 0)
    # Straight (not premultiplied) alpha: average the covered samples' colours.
    return (round(r / a), round(g / a), round(b / a), round(255 * a / n))


def png(width, height, rows):
    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes(row) for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    rows = []
    for py in range(SIZE):
        row = []
        for px in range(SIZE):
            row.extend(pixel(px, py))
        rows.append(row)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png")
    with open(out, "wb") as f:
        f.write(png(SIZE, SIZE, rows))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
