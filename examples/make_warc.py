"""Build ``examples/wire.warc.gz`` from the two wire stories in ``examples/wire/``.

    .venv/bin/python examples/make_warc.py

The sources are kept as ``*.html.src`` so that ``onrecord extract examples/`` (which reads
every ``.html`` file under the folder) shows each story once, from the WARC file.  The
output is reproducible: record IDs and dates are fixed, not drawn at random or from the
clock, so regenerating it without changing a source gives the same bytes.
"""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "wire"
OUTPUT = HERE / "wire.warc.gz"

# Source file -> (target URI, capture date): the order of the records in the file.
PAGES = {
    "rivna-strike-exporters.html.src": (
        "https://www.nordicwire.example/business/2024/03/12/rivna-dock-strike-exporters",
        "2024-03-12T16:02:11Z",
    ),
    "solholm-wind-delay.html.src": (
        "https://www.nordicwire.example/energy/2024/03/12/solholm-wind-farm-cable-delay",
        "2024-03-12T16:02:14Z",
    ),
}
CRAWL_DATE = "2024-03-12T16:02:10Z"
_NAMESPACE = uuid.UUID("6f1b3c52-8e0a-4d5e-9c1f-2a7d3b9e4f10")


def _record_id(name: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_NAMESPACE, name)}>"


def build(output: Path = OUTPUT) -> Path:
    """Write the WARC file (gzipped record by record) and return its path."""
    with open(output, "wb") as stream:
        writer = WARCWriter(stream, gzip=True, warc_version="1.0")
        fields = (
            b"software: onrecord examples/make_warc.py (warcio)\r\n"
            b"format: WARC File Format 1.0\r\n"
            b"description: Two wire stories, written for the onrecord examples.\r\n"
        )
        info = writer.create_warc_record(
            "",
            "warcinfo",
            payload=io.BytesIO(fields),
            length=len(fields),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": _record_id("warcinfo"),
                "WARC-Date": CRAWL_DATE,
                "WARC-Filename": output.name,
            },
        )
        writer.write_record(info)
        for name, (uri, date) in PAGES.items():
            body = (SOURCES / name).read_bytes()
            http_headers = StatusAndHeaders(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(body))),
                ],
                protocol="HTTP/1.1",
            )
            record = writer.create_warc_record(
                uri,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict={"WARC-Record-ID": _record_id(uri), "WARC-Date": date},
            )
            writer.write_record(record)
    return output


if __name__ == "__main__":
    print(build())
