<?php
// Install WordPress into an empty database, then add one recap with six threaded comments.
// Run with PHP's CLI from the WordPress directory: php setup.php   (wp-config.php points at the database)
define('WP_INSTALLING', true);
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';

$install = wp_install('Tidewrack TV', 'hollis', 'hollis@tidewrack.example', true, '', 'not-a-secret');
$author = $install['user_id'];
wp_update_user(['ID' => $author, 'display_name' => 'Hollis Crane', 'first_name' => 'Hollis', 'last_name' => 'Crane']);
update_option('blogdescription', 'Recaps from the edge of the map');
update_option('permalink_structure', '/%year%/%monthnum%/%day%/%postname%/');
update_option('thread_comments', 1);
update_option('timezone_string', 'UTC');
foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $sample) {
    wp_delete_post($sample->ID, true);  // "Hello world!" and the sample page, with their comment
}
$recaps = wp_insert_term('Recaps', 'category')['term_id'];
$post = wp_insert_post([
    'post_title' => 'Brinemoor 3x05 Recap: “The Night Crossing”',
    'post_name' => 'brinemoor-3x05-recap-the-night-crossing',
    'post_content' => file_get_contents(__DIR__ . '/brinemoor-3x05.html'),
    'post_status' => 'publish', 'post_author' => $author, 'post_date' => '2024-05-14 21:00:00',
    'post_category' => [$recaps], 'tags_input' => ['Brinemoor'], 'comment_status' => 'open',
]);
wp_insert_post([  // a second post, so that the home page lists two
    'post_title' => 'Brinemoor renewed for a fourth season',
    'post_name' => 'brinemoor-renewed-for-a-fourth-season',
    'post_content' => "The channel confirmed this morning that Brinemoor will return for a fourth season next spring.\n\n"
        . "No cast news yet, but the ferry set is staying up, which tells you something.",
    'post_status' => 'publish', 'post_author' => $author, 'post_date' => '2024-05-20 09:30:00',
    'post_category' => [$recaps], 'tags_input' => ['Brinemoor'],
]);
// [key, parent key, author, email, date, text]
$comments = [
    ['a', null, 'marshwatcher', 'marsh@example.net', '2024-05-14 22:10:00',
     'That lighthouse sequence had me holding my breath. Best episode of the season so far.'],
    ['b', 'a', 'Ruth P.', 'ruth@example.net', '2024-05-14 22:31:00',
     'Agreed, although I thought the fog effects looked a little cheap in the wide shots.'],
    ['c', 'b', 'Hollis Crane', 'hollis@tidewrack.example', '2024-05-15 08:02:00',
     'Fair point about the wide shots. I rewatched it and the close-ups carry the whole thing.'],
    ['d', null, 'Dunmore', 'dunmore@example.net', '2024-05-15 09:45:00',
     'Nobody is talking about the ferry timetable on the harbour wall. It changes between scenes!'],
    ['e', 'd', 'kestrel_88', 'kestrel@example.net', '2024-05-15 11:20:00',
     'It changes because the clocks went back. Somebody on the crew is very careful.'],
    ['f', null, 'Ana Lisboa', 'ana@example.net', '2024-05-16 07:55:00',
     'Came here for the recap, stayed for the argument about the timetable.'],
];
$ids = [];
foreach ($comments as [$key, $parent, $name, $email, $date, $text]) {
    $ids[$key] = wp_insert_comment([
        'comment_post_ID' => $post, 'comment_parent' => $parent ? $ids[$parent] : 0,
        'comment_author' => $name, 'comment_author_email' => $email, 'comment_content' => $text,
        'comment_date' => $date, 'comment_date_gmt' => $date, 'comment_approved' => 1,
        'user_id' => $name === 'Hollis Crane' ? $author : 0,
    ]);
}
flush_rewrite_rules();
echo get_permalink($post), "\n";
