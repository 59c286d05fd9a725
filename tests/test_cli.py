"""The ``recapcrawl`` command (recapcrawl/cli/): help by section, usage errors (exit 2), failures (exit 1)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from recapcrawl import storage
from recapcrawl.cli import cli

SECTIONS = {
    "archive": ["export", "reparse", "import-warc", "serve"],
    "distributed": ["worker", "enqueue", "ingest", "status"],
    "dev": ["extract", "sample-site", "demo"],
}
PAGE = b"""<!doctype html><html><head><title>Harbor Lights recap: season 1, episode 4</title>
<link rel="canonical" href="https://reviews.example/harbor-lights-1x04/"></head>
<body><article><h1>Harbor Lights recap: season 1, episode 4</h1>
<p>The ferry runs late again, and Mara finally asks the question everyone has avoided.</p>
<p>Her brother answers with a story about the lighthouse that nobody believes.</p></article></body></html>"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args), prog_name="recapcrawl")


@pytest.fixture
def archive(tmp_path):
    path = tmp_path / "recaps.db"
    db = storage.open_db(path)
    recap = {"url": "https://reviews.example/a/", "site": "reviews.example", "title": 'A, "quoted" title'}
    storage.save_recap(db, {**recap, "paragraphs": [{"text": "One."}], "comments": []})
    db.close()
    return path


def test_top_level_help_lists_every_command_by_section():
    result = run("--help")
    assert result.exit_code == 0
    for title in (
        "Crawl:",
        "Archive (also: recapcrawl archive COMMAND):",
        "Dev (also: recapcrawl dev COMMAND):",
    ):
        assert title in result.output
    for name in ["crawl", *(name for names in SECTIONS.values() for name in names)]:
        assert f"\n  {name} " in result.output, name


@pytest.mark.parametrize("group", sorted(SECTIONS))
def test_each_group_has_help_and_runs_its_commands(group):
    result = run(group, "--help")
    assert result.exit_code == 0
    assert all(name in result.output for name in SECTIONS[group])
    for name in SECTIONS[group]:  # the same command, under the group and on its own
        usage = run(group, name, "--help").output.replace(
            f"recapcrawl {group} {name}", f"recapcrawl {name}", 1
        )
        assert usage == run(name, "--help").output


def test_crawl_help_and_version():
    assert "--contact" in run("crawl", "--help").output
    assert run("--version").exit_code == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["export", "--bogus"], "No such option '--bogus'"),
        (["export", "--format", "xml"], "Invalid value for '--format'"),
        (["crawl"], "Missing argument 'START_URLS...'"),
        (["crawl", "https://reviews.example/", "-s", "NOEQUALS"], "expected NAME=VALUE"),
        (["extract", "/no/such/page.html"], "does not exist"),
        (["worker"], "Missing option '--redis'"),
        (["nope"], "No such command 'nope'"),
    ],
)
def test_usage_errors_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize(
    "command", [["export"], ["export", "--format", "csv", "--table", "x"], ["reparse"], ["serve"]]
)
def test_a_missing_archive_exits_1(tmp_path, command):
    result = run(*command, "--db", str(tmp_path / "missing.db"))
    assert result.exit_code == 1
    assert "no archive at" in result.output and "run `recapcrawl crawl` first" in result.output


def test_an_unknown_table_exits_1_and_names_the_choices(archive):
    result = run("export", "--db", str(archive), "--format", "csv", "--table", "nope")
    assert result.exit_code == 1
    assert "no table or view named 'nope'" in result.output and "comments" in result.output


def test_csv_without_table_and_warc_without_output_are_usage_errors(archive):
    no_table = run("export", "--db", str(archive), "--format", "csv")
    assert no_table.exit_code == 2 and "--format csv needs --table (one of: " in no_table.output
    no_output = run("export", "--db", str(archive), "--format", "warc")
    assert no_output.exit_code == 2 and "needs --output" in no_output.output


def test_export_csv_and_jsonl(archive, tmp_path):
    out = tmp_path / "recaps.csv"
    result = run(
        "archive", "export", "--db", str(archive), "--format", "csv", "--table", "recaps", "-o", str(out)
    )
    assert result.exit_code == 0 and "exported 1 rows" in result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline="")))
    assert [row["title"] for row in rows] == ['A, "quoted" title']
    jsonl = run("export", "--db", str(archive))
    assert jsonl.exit_code == 0
    assert json.loads(jsonl.stdout.splitlines()[0])["url"] == "https://reviews.example/a/"


def test_extract_prints_one_object_per_file_and_exit_1_when_one_fails(tmp_path):
    good, bad = tmp_path / "recap.html", tmp_path / "broken.html.gz"
    good.write_bytes(PAGE)
    bad.write_bytes(b"\x1f\x8b not gzip at all")
    ok = run("extract", str(good))
    assert ok.exit_code == 0
    page = json.loads(ok.stdout)
    assert page["file"] == str(good) and page["url"] == "https://reviews.example/harbor-lights-1x04/"
    assert {
        "body_text",
        "platform",
        "body_source",
        "is_recap",
        "kind",
        "reason",
        "comments_hosted_by",
    } <= set(page)
    failed = run("dev", "extract", str(good), str(bad))
    assert failed.exit_code == 1
    results = [json.loads(line) for line in failed.stdout.splitlines()]
    assert [r["file"] for r in results] == [str(good), str(bad)]
    assert "error" not in results[0] and results[1]["error"].startswith("BadGzipFile")


def test_an_unreachable_redis_exits_1():
    result = run("status", "--redis", "redis://127.0.0.1:1/0")
    assert result.exit_code == 1
    assert "cannot reach Redis at 127.0.0.1:1" in result.output or "'distributed' extra" in result.output
