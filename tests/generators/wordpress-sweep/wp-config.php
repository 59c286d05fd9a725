<?php
define('DB_NAME', 'wpsweep'); define('DB_USER', 'wpsweep'); define('DB_PASSWORD', 'wpsweep');
define('DB_HOST', 'localhost'); define('DB_CHARSET', 'utf8mb4'); define('DB_COLLATE', '');
define('AUTH_KEY', 'sweep'); define('SECURE_AUTH_KEY', 'sweep'); define('LOGGED_IN_KEY', 'sweep'); define('NONCE_KEY', 'sweep');
define('AUTH_SALT', 'sweep'); define('SECURE_AUTH_SALT', 'sweep'); define('LOGGED_IN_SALT', 'sweep'); define('NONCE_SALT', 'sweep');
$table_prefix = 'wp_';
define('WP_DEBUG', false);
define('WP_HOME', 'http://127.0.0.1:8093'); define('WP_SITEURL', 'http://127.0.0.1:8093');
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
define('AUTOMATIC_UPDATER_DISABLED', true); define('WP_HTTP_BLOCK_EXTERNAL', true); define('DISABLE_WP_CRON', true);
if (empty($_SERVER['HTTP_HOST'])) { $_SERVER['HTTP_HOST'] = '127.0.0.1:8093'; }
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
