#!/usr/bin/env bash
# setup.sh: a real WordPress (Debian's package, PHP's built-in server, MariaDB) with the invented recaps of
# content.py, on http://127.0.0.1:8093, and its truth ($SWEEP/site/truth.json) built from what WordPress
# rendered. Runs as root. First: apt-get install -y wordpress mariadb-server php-cli php-mysql php-xml curl
# (php-xml: WordPress's sitemaps need SimpleXML). Themes other than the one Debian ships go into
# $SWEEP/wp/wp-content/themes/NAME (README.md says where each comes from); then run sweep.sh NAME....
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
W=${SWEEP:-/tmp/wpsweep}
service mariadb start >/dev/null
mysql -uroot -e "DROP DATABASE IF EXISTS wpsweep; CREATE DATABASE wpsweep;
  CREATE USER IF NOT EXISTS 'wpsweep'@'localhost' IDENTIFIED BY 'wpsweep'; GRANT ALL ON wpsweep.* TO 'wpsweep'@'localhost';"
mkdir -p "$W" && rm -rf "$W/wp" && cp -rL /usr/share/wordpress "$W/wp"
cp "$HERE/setup.php" "$HERE/router.php" "$HERE/theme.php" "$HERE/wp-config.php" "$W/wp/"
SWEEP="$W" python3 "$HERE/content.py"
(cd "$W/wp" && php setup.php)
SWEEP="$W" "$HERE/../../../.venv/bin/python" "$HERE/build_truth.py" site
(cd "$W/wp" && exec php -S 127.0.0.1:8093 router.php >"$W/server.log" 2>&1) &
sleep 1 && curl -sf http://127.0.0.1:8093/ >/dev/null && echo "WordPress on http://127.0.0.1:8093 (pid $!)"
