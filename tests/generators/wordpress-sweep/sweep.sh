#!/usr/bin/env bash
# sweep.sh THEME...: make each theme the active one, save its pages, crawl the site with recapcrawl, export,
# and score the export against $SWEEP/site/truth.json with ../shared/eval/score_recaps.py (when it is there).
# Run setup.sh first. SWEEP (default /tmp/wpsweep) holds the WordPress copy, the truth and the results.
set -u
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
source "$REPO/.venv/bin/activate"
W=${SWEEP:-/tmp/wpsweep}; OUT=$W/out; PG=$W/pages; SITE=$W/site; B=http://127.0.0.1:8093
SCORER="$REPO/../shared/eval/score_recaps.py"
R1=/2024/03/04/harrowgate-2x04-recap-the-salt-ledger/
R2=/2024/03/25/copper-meridian-season-1-episode-4-review-the-long-haul/
mkdir -p "$OUT" "$PG"
for T in "$@"; do
  if [ ! -d "$W/wp/wp-content/themes/$T" ]; then echo "$T: not installed in $W/wp/wp-content/themes"; continue; fi
  (cd "$W/wp" && php theme.php "$T") > "$OUT/$T.theme.txt" 2>&1
  if [ "$(cat "$OUT/$T.theme.txt")" != "$T" ]; then echo "$T: theme switch failed"; continue; fi
  P=$PG/$T; mkdir -p "$P"
  curl -s $B/ -o "$P/home.html"
  curl -s $B$R1 -o "$P/harrowgate-2x04.html"
  curl -s $B$R2 -o "$P/long-haul.html"
  curl -s ${B}${R2}2/ -o "$P/long-haul-p2.html"
  rm -f "$W/$T.db" "$W/$T.jsonl"
  recapcrawl crawl $B/ --db "$W/$T.db" -s DOWNLOAD_DELAY=0 -s AUTOTHROTTLE_ENABLED=False > "$OUT/$T.crawl.log" 2>&1
  recapcrawl export --db "$W/$T.db" --format jsonl --output "$W/$T.jsonl" > "$OUT/$T.export.log" 2>&1
  if [ -f "$SCORER" ]; then
    python "$SCORER" "$SITE" --jsonl "$W/$T.jsonl" --misses 200 > "$OUT/$T.score.txt" 2>&1
    echo "$T: $(tail -1 "$OUT/$T.score.txt")"
  else
    echo "$T: exported $(wc -l < "$W/$T.jsonl") recaps (no ../shared/eval to score them)"
  fi
done
