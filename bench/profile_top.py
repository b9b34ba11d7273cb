"""Summarise py-spy's collapsed stacks (``--format raw``): the functions where the time goes.

    .venv/bin/python bench/profile_top.py bench/results/profile/commands-sqlite.txt [--filter xietong]
"""

import argparse
from collections import Counter
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", type=Path)
    parser.add_argument("--filter", default="", help="count only frames whose text contains this")
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    for line in args.file.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        samples = int(count)
        total += samples
        frames = stack.split(";")
        for frame in dict.fromkeys(frames):
            if args.filter in frame:
                inclusive[frame] += samples
        own[frames[-1]] += samples
    print(f"{total} samples\n-- inclusive")
    for frame, samples in inclusive.most_common(args.top):
        print(f"{100 * samples / total:5.1f}%  {frame}")
    print("-- own")
    for frame, samples in own.most_common(args.top):
        print(f"{100 * samples / total:5.1f}%  {frame}")


if __name__ == "__main__":
    main()
