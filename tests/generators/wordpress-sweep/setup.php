<?php
// Install WordPress into the empty wpsweep database and insert content.json; write rendered.json
// (what WordPress renders for every post, page and comment) for the truth builder.
define('WP_INSTALLING', true);
require __DIR__ . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$data = json_decode(file_get_contents(__DIR__ . '/content.json'), true);

$install = wp_install('Lamp & Ledger', 'wren', 'wren@sweep.example', true, '', 'not-a-secret');
$users = [];
foreach ($data['authors'] as $login => $a) {
    $id = $login === 'wren' ? $install['user_id'] : wp_insert_user(['user_login' => $login, 'user_pass' => 'not-a-secret',
        'user_email' => $a['email'], 'role' => 'author']);
    wp_update_user(['ID' => $id, 'display_name' => $a['display_name'], 'first_name' => $a['first_name'],
        'last_name' => $a['last_name'], 'nickname' => $a['display_name']]);
    $users[$login] = $id;
}
update_option('blogdescription', 'Television, one episode at a time');
global $wp_rewrite; $wp_rewrite->set_permalink_structure('/%year%/%monthnum%/%day%/%postname%/');
update_option('timezone_string', getenv('WPSWEEP_TZ') ?: 'UTC');  // dates in content.json are site-local
update_option('page_comments', 1);
update_option('comments_per_page', 4);
update_option('thread_comments', 1);
update_option('thread_comments_depth', 5);
update_option('posts_per_page', 5);
foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'any', 'numberposts' => -1]) as $sample) {
    wp_delete_post($sample->ID, true);
}
$out = ['posts' => []];
foreach ($data['posts'] as $p) {
    $cats = [];
    foreach ($p['categories'] as $c) {
        $t = term_exists($c, 'category') ?: wp_insert_term($c, 'category');
        $cats[] = (int)$t['term_id'];
    }
    $id = wp_insert_post([
        'post_type' => $p['type'], 'post_title' => $p['title'], 'post_name' => $p['slug'],
        'post_content' => $p['content'], 'post_status' => 'publish', 'post_author' => $users[$p['author']],
        'post_date' => $p['date'], 'post_date_gmt' => get_gmt_from_date($p['date']), 'post_category' => $cats, 'tags_input' => $p['tags'],
        'comment_status' => 'open',
    ], true);
    if (is_wp_error($id)) { fwrite(STDERR, $id->get_error_message() . "\n"); exit(1); }
    $ids = [];
    foreach ($p['comments'] as [$key, $parent, $name, $email, $date, $text, $login, $approved]) {
        $ids[$key] = wp_insert_comment([
            'comment_post_ID' => $id, 'comment_parent' => $parent ? $ids[$parent] : 0,
            'comment_author' => $name, 'comment_author_email' => $email, 'comment_content' => $text,
            'comment_date' => $date, 'comment_date_gmt' => get_gmt_from_date($date), 'comment_approved' => $approved,
            'user_id' => $login ? $users[$login] : 0,
        ]);
    }
}
flush_rewrite_rules();
wp_cache_flush();
foreach (get_posts(['post_type' => ['post', 'page'], 'post_status' => 'publish', 'numberposts' => -1, 'orderby' => 'ID', 'order' => 'ASC']) as $post) {
    $GLOBALS['post'] = $post;
    setup_postdata($post);
    global $pages;
    $rendered = [];
    foreach ($pages as $i => $part) { $rendered[] = apply_filters('the_content', $part); }
    $comments = [];
    foreach (get_comments(['post_id' => $post->ID, 'status' => 'approve', 'orderby' => 'comment_ID', 'order' => 'ASC']) as $c) {
        $comments[] = ['id' => (int)$c->comment_ID, 'parent' => $c->comment_parent ? (int)$c->comment_parent : null,
            'author' => get_comment_author($c), 'date_gmt' => $c->comment_date_gmt,
            'html' => apply_filters('comment_text', get_comment_text($c), $c, []),
            'page' => (int)get_page_of_comment($c->comment_ID), 'link' => get_comment_link($c)];
    }
    $npages = (int)get_comment_pages_count(get_comments(['post_id' => $post->ID, 'status' => 'approve']));
    $out['posts'][] = ['id' => $post->ID, 'type' => $post->post_type, 'slug' => $post->post_name,
        'url' => get_permalink($post), 'title' => get_the_title($post), 'raw_title' => $post->post_title,
        'author' => get_the_author_meta('display_name', $post->post_author),
        'author_url' => get_author_posts_url($post->post_author), 'date_gmt' => $post->post_date_gmt,
        'categories' => wp_list_pluck(get_the_category($post->ID), 'name'),
        'tags' => wp_list_pluck(get_the_tags($post->ID) ?: [], 'name'),
        'pages' => $rendered, 'comments' => $comments, 'comment_pages' => $npages,
        'default_comments_page' => get_option('default_comments_page')];
}
file_put_contents(__DIR__ . '/rendered.json', json_encode($out, JSON_PRETTY_PRINT | JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES));
echo count($out['posts']), " posts rendered\n";
