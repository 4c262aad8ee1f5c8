#!/usr/bin/env python3
"""Writes a fixture's zip byte for byte the same on every run: fixed timestamps and
permissions, members in the order given, deflated.

    scripts/fixture-zip.py OUT.zip MEMBER=FILE [MEMBER=FILE ...]

Each FILE is read from disk and stored in the archive as MEMBER. The zip fixtures keep their
members' sources in a `zip-sources/` folder beside the README that says which command built it.
"""
import sys
import zipfile

out, *pairs = sys.argv[1:]
with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
    for pair in pairs:
        member, path = pair.split("=", 1)
        info = zipfile.ZipInfo(member, date_time=(2024, 1, 1, 0, 0, 0))
        info.external_attr = 0o644 << 16
        info.compress_type = zipfile.ZIP_DEFLATED
        with open(path, "rb") as f:
            z.writestr(info, f.read())
