<?php
define('DB_NAME', 'wpgold'); define('DB_USER', 'wpgold'); define('DB_PASSWORD', 'wpgold');
define('DB_HOST', 'localhost'); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
define('AUTH_KEY', 'golden'); define('SECURE_AUTH_KEY', 'golden'); define('LOGGED_IN_KEY', 'golden'); define('NONCE_KEY', 'golden');
define('AUTH_SALT', 'golden'); define('SECURE_AUTH_SALT', 'golden'); define('LOGGED_IN_SALT', 'golden'); define('NONCE_SALT', 'golden');
$table_prefix = 'wp_';
define('WP_DEBUG', false);
define('WP_HOME', 'https://tidewrack.example'); define('WP_SITEURL', 'https://tidewrack.example');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_HTTP_BLOCK_EXTERNAL', true); define('DISABLE_WP_CRON', true);
$_SERVER['HTTPS'] = 'on';
if (empty($_SERVER['HTTP_HOST'])) { $_SERVER['HTTP_HOST'] = 'tidewrack.example'; }
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
