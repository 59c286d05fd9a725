<?php
// php theme.php SLUG: make SLUG the active theme (run from the WordPress directory).
require __DIR__ . '/wp-load.php';
switch_theme($argv[1]);
echo get_stylesheet(), "\n";
