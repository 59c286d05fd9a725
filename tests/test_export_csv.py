"""CSV export lines built by SQLite parse exactly as Python's csv writer's lines for the same rows."""

import csv
import io

import pytest

from recapcrawl import export, storage
from recapcrawl.publish import csvlines

TRICKY = [
    'He said "no", then left.',
    "Commas, everywhere, ,,",
    "Line one\nline two\r\nline three\rfour",
    "",
    None,
    "  leading and trailing spaces  ",
    "Unicode: café, naïve, 日本語, emoji 🎬, RTL שלום, zero\u200bwidth",
    '"',
    '""quoted""',
    "'single'",
    "tab\there",
]


def tricky_recap(n: int, text: str | None) -> dict:
    return {
        "url": f"https://site.example/{n}/",
        "site": "site.example",
        "title": text,
        "author": text,
        "published": None,
        "show": text,
        "season": n - 5,
        "episode": [n, n + 1],
        "episode_title": text,
        "paragraphs": [{"section": text, "text": text or "x"}],
        "quotes": [{"text": text or "q", "speaker": text, "kind": "inline", "source": "paragraph"}],
        "bullets": [{"text": text or "b", "list": n, "ordered": n % 2 == 0, "depth": 0, "heading": text}],
        "comments": [
            {
                "id": f"c{n}",
                "parent_id": None,
                "depth": 0,
                "author": text,
                "text": text or "c",
                "is_post_author": n % 3 == 0,
                "page": 2**40 + n,
            }
        ],
    }


def reference_csv(db, name: str) -> str:
    """What the export wrote before SQLite built the lines: Python's csv writer, a row at a time."""
    columns, rows = storage.iter_rows(db, name)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()


def exported(db, name: str) -> tuple[str, int]:
    out = io.StringIO()
    count = export.write_csv(db, name, out)
    return out.getvalue(), count


def parsed(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


@pytest.fixture
def db(tmp_path):
    database = storage.open_db(tmp_path / "archive.db")
    storage.save_recaps(
        database, [{"recap": tricky_recap(n, text)} for n, text in enumerate(TRICKY, start=1)]
    )
    database.execute("create table odd (id integer primary key, n integer, t text, r real, b blob, anything)")
    database["odd"].insert_all(
        [
            {"id": -5, "n": 1, "t": "a,b", "r": 0.1, "b": b'\x00\x01,"', "anything": 3},
            {"id": 2, "n": 1.5, "t": 'x"y', "r": 1e20, "b": None, "anything": 0.30000000000000004},
            {"id": 3, "n": "not a number, really", "t": None, "r": None, "b": b"bytes", "anything": 'te,"q"'},
            {"id": 4, "n": -(2**63), "t": "", "r": -0.0, "b": None, "anything": None},
            {"id": 10**12, "n": None, "t": "late\nrow", "r": float("inf"), "b": None, "anything": b"blob"},
            {"id": 2**63 - 1, "n": 7, "t": "last", "r": 2.5, "b": None, "anything": 12},
        ]
    )
    database.execute("insert into odd (id, n, t) values (6, 1, ?)", [b"a blob in a text column"])
    database.execute("create table single (value text)")
    database["single"].insert_all([{"value": v} for v in ("a", "", None, "b,c")])
    yield database
    database.close()


@pytest.mark.parametrize(
    "name", ["recaps", "comments", "paragraphs", "bullets", "quotes", "odd", "single", "episodes", "shows"]
)
def test_csv_parses_as_pythons_csv_writer(db, name):
    text, count = exported(db, name)
    expected = parsed(reference_csv(db, name))
    assert parsed(text) == expected
    assert count == len(expected) - 1 > 0


def test_sqlite_builds_table_lines_and_keeps_null_apart_from_empty(db):
    assert csvlines.line_sql(db.conn, "comments") and csvlines.line_sql(db.conn, "recaps")
    assert csvlines.line_sql(db.conn, "episodes") is None  # a view: Python's csv writer
    text, _ = exported(db, "recaps")
    row = next(line for line in text.split("\r\n") if line.startswith("4,"))  # the recap whose text is ""
    assert ',"",' in row and ",," in row  # "" is an empty string, nothing between commas is NULL


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 1000])
def test_chunks_of_any_size_keep_every_row_in_order(db, chunk_rows):
    columns, parts = csvlines.iter_csv(db.conn, "odd", chunk_rows=chunk_rows)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for part in parts:
        if isinstance(part, csvlines.CsvChunk):
            out.write(part.data.decode())
        else:
            writer.writerow(part)
    assert parsed(out.getvalue()) == parsed(reference_csv(db, "odd"))
    assert [row[0] for row in parsed(out.getvalue())[1:]] == [
        "-5",
        "2",
        "3",
        "4",
        "6",
        str(10**12),
        str(2**63 - 1),
    ]


def test_an_empty_table_is_only_the_header(tmp_path):
    db = storage.open_db(tmp_path / "empty.db")
    assert exported(db, "comments") == (reference_csv(db, "comments"), 0)


def test_the_export_reads_one_snapshot(db):
    columns, parts = csvlines.iter_csv(db.conn, "comments", chunk_rows=2)
    first = next(parts)
    other = storage.open_db(db.conn.execute("pragma database_list").fetchone()[2])
    with other.atomic():  # another process changes the archive while the export runs
        other.execute("delete from comments where recap_id > 3")
    other.close()
    rest = list(parts)
    assert sum(p.rows if isinstance(p, csvlines.CsvChunk) else 1 for p in [first, *rest]) == len(TRICKY)
    assert not db.conn.in_transaction


@pytest.mark.parametrize("name", ["odd", "comments"])
def test_a_utf8_file_gets_the_lines_as_bytes_in_order(db, tmp_path, name):
    path = tmp_path / f"{name}.csv"
    with open(path, "w", encoding="utf-8", newline="") as out:  # as `recapcrawl export --output` opens it
        count = export.write_csv(db, name, out)
    text = path.read_bytes().decode("utf-8")
    assert parsed(text) == parsed(reference_csv(db, name)) and count == len(parsed(text)) - 1
    assert text == exported(db, name)[0]


def test_rowid_first_and_as_bytes_write_datasettes_columns(db):
    """The builder as ``/-/export/`` uses it: ``rowid`` as the first field, bytes out."""
    db.execute("create table nopk (a text, b integer)")
    db["nopk"].insert_all([{"a": "x,y", "b": 1}, {"a": None, "b": 2.5}, {"a": "", "b": None}])
    for name in ("nopk", "odd", "episodes"):
        columns, parts = csvlines.iter_csv(db.conn, name, chunk_rows=2, rowid_first=name == "nopk")
        text = (csvlines.csv_line(columns) + b"".join(csvlines.as_bytes(parts, batch_rows=2))).decode()
        select = "rowid, *" if name == "nopk" else "*"
        cursor = db.execute(f"select {select} from [{name}]")
        out = io.StringIO()
        csv.writer(out).writerows([[d[0] for d in cursor.description], *cursor.fetchall()])
        assert parsed(text) == parsed(out.getvalue()), name
    assert parsed(text)[0][0] != "rowid" and csvlines.line_sql(db.conn, "nopk", rowid_first=True)


def test_prefetched_keeps_order_passes_errors_and_stops_early():
    assert list(csvlines.prefetched(iter(range(50)), depth=1)) == list(range(50))

    def failing():
        yield 1
        raise ValueError("broken")

    with pytest.raises(ValueError, match="broken"):
        list(csvlines.prefetched(failing()))
    items = csvlines.prefetched(iter(range(1000)), depth=1)
    assert next(items) == 0
    items.close()  # the thread stops instead of waiting forever to hand over the next item


@pytest.mark.parametrize("name", ["comments", "recaps", "quotes"])
def test_quote_all_lines_parse_as_the_exact_ones(db, name):
    """``/-/export/``'s lines (every value quoted, no type check) read back as the export's."""
    columns, parts = csvlines.iter_csv(db.conn, name, chunk_rows=3, quote_all=True)
    text = (csvlines.csv_line(columns) + b"".join(csvlines.as_bytes(parts))).decode()
    assert parsed(text) == parsed(reference_csv(db, name))
    assert text.split("\r\n", 1)[1].startswith('"')  # integers are quoted too
