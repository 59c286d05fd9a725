// Render Ghost's default theme, Casper, without Ghost: post.hbs and index.hbs inside default.hbs,
// with Handlebars and minimal stand-ins for Ghost's helpers ({{asset}}, {{ghost_head}}, {{foreach}}, …).
// Usage: node render.mjs CASPER_DIR SITE_DIR OUT_DIR   (needs `handlebars` and `markdown-it` from npm)
// The stand-ins write what Ghost 5 writes for a public post with no members, comments or images:
// ghost_head gives the canonical link, Open Graph tags, the JSON-LD Article/WebSite and the generator tag.
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import MarkdownIt from "markdown-it";

const [casperDir, siteDir, outDir] = process.argv.slice(2);
const site = JSON.parse(fs.readFileSync(path.join(siteDir, "site.json"), "utf8"));
const themePkg = JSON.parse(fs.readFileSync(path.join(casperDir, "package.json"), "utf8"));
const custom = Object.fromEntries(
  Object.entries(themePkg.config.custom).map(([key, spec]) => [key, spec.default ?? null]),
);
const md = new MarkdownIt({ html: true });
const hb = Handlebars.create();
const SafeString = hb.SafeString;
const esc = hb.Utils.escapeExpression;
const slugify = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

// Posts: front matter lines "key: value", then Markdown.
const posts = fs
  .readdirSync(path.join(siteDir, "content"))
  .filter((f) => f.endsWith(".md"))
  .map((file) => {
    const text = fs.readFileSync(path.join(siteDir, "content", file), "utf8");
    const [, head, body] = text.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
    const meta = Object.fromEntries(head.split("\n").map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
    const slug = file.replace(/\.md$/, "");
    const html = md.render(body).replace(/<h([2-6])>(.*?)<\/h\1>/g, (_, n, t) => `<h${n} id="${slugify(t)}">${t}</h${n}>`);
    const plain = html.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
    const tags = meta.tags.split(",").map((name) => ({ name: name.trim(), slug: slugify(name), url: `${site.url}/tag/${slugify(name)}/` }));
    return {
      id: slug, slug, title: meta.title, html, url: `${site.url}/${slug}/`, published_at: meta.date, updated_at: meta.date,
      excerpt: plain.split(" ").slice(0, 50).join(" "), reading_time: Math.max(1, Math.round(plain.split(" ").length / 275)),
      authors: [{ name: meta.author, slug: meta.author_slug, url: `${site.url}/author/${meta.author_slug}/` }],
      tags, primary_tag: tags[0], access: true, visibility: "public", featured: false,
    };
  })
  .sort((a, b) => b.published_at.localeCompare(a.published_at));

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
function formatDate(iso, format) {
  const d = new Date(iso);
  const parts = { YYYY: String(d.getUTCFullYear()), MMM: MONTHS[d.getUTCMonth()], MM: String(d.getUTCMonth() + 1).padStart(2, "0"), DD: String(d.getUTCDate()).padStart(2, "0") };
  return format.replace(/YYYY|MMM|MM|DD/g, (k) => parts[k]);
}

function ghostHead(root) {
  const post = root.post;
  const lines = [`<link rel="canonical" href="${esc(post ? post.url : site.url + "/")}">`,
    `<meta name="referrer" content="no-referrer-when-downgrade">`,
    `<meta property="og:site_name" content="${esc(site.title)}">`];
  let ld;
  if (post) {
    lines.push(`<meta property="og:type" content="article">`, `<meta property="og:title" content="${esc(post.title)}">`,
      `<meta property="og:description" content="${esc(post.excerpt)}">`, `<meta property="og:url" content="${esc(post.url)}">`,
      `<meta property="article:published_time" content="${post.published_at}">`,
      `<meta property="article:modified_time" content="${post.updated_at}">`,
      ...post.tags.map((t) => `<meta property="article:tag" content="${esc(t.name)}">`),
      `<meta name="twitter:card" content="summary">`, `<meta name="twitter:title" content="${esc(post.title)}">`,
      `<meta name="twitter:label1" content="Written by">`, `<meta name="twitter:data1" content="${esc(post.authors[0].name)}">`,
      `<meta name="twitter:label2" content="Filed under">`, `<meta name="twitter:data2" content="${esc(post.tags.map((t) => t.name).join(", "))}">`);
    ld = { "@context": "https://schema.org", "@type": "Article", publisher: { "@type": "Organization", name: site.title, url: `${site.url}/` },
      author: { "@type": "Person", name: post.authors[0].name, url: post.authors[0].url, sameAs: [] }, headline: post.title, url: post.url,
      datePublished: post.published_at, dateModified: post.updated_at, keywords: post.tags.map((t) => t.name).join(", "),
      description: post.excerpt, mainEntityOfPage: post.url };
  } else {
    lines.push(`<meta property="og:type" content="website">`, `<meta property="og:title" content="${esc(site.title)}">`,
      `<meta property="og:description" content="${esc(site.description)}">`, `<meta property="og:url" content="${site.url}/">`,
      `<meta name="twitter:card" content="summary">`, `<meta name="twitter:title" content="${esc(site.title)}">`);
    ld = { "@context": "https://schema.org", "@type": "WebSite", publisher: { "@type": "Organization", name: site.title, url: `${site.url}/` },
      url: `${site.url}/`, mainEntityOfPage: `${site.url}/`, description: site.description };
  }
  lines.push(`<script type="application/ld+json">\n${JSON.stringify(ld, null, 4)}\n    </script>`,
    `<meta name="generator" content="Ghost ${site.ghost_version}">`,
    `<link rel="alternate" type="application/rss+xml" title="${esc(site.title)}" href="${site.url}/rss/">`);
  return new SafeString(lines.map((l) => "    " + l).join("\n"));
}

const compare = (a, op, b) => ({ "=": a === b, "!=": a !== b, ">": a > b, "<": a < b })[op];
hb.registerHelper({
  asset: (p) => new SafeString(`/assets/${p}?v=${themePkg.version}`),
  ghost_head: (o) => ghostHead(o.data.root),
  ghost_foot: () => "",
  meta_title: (o) => (o.data.root.post ? o.data.root.post.title : site.title),
  body_class: (o) => (o.data.root.post ? `post-template tag-${o.data.root.post.primary_tag.slug}` : "home-template"),
  post_class: function () { return `post tag-${this.primary_tag.slug}`; },
  navigation: (o) => {
    const items = o.hash.type === "secondary" ? site.secondary_navigation : site.navigation;
    return new SafeString(`<ul class="nav">\n${items.map((i) => `    <li class="nav-${slugify(i.label)}"><a href="${i.url}">${esc(i.label)}</a></li>`).join("\n")}\n</ul>\n`);
  },
  t: (s) => s,
  concat: (...a) => a.slice(0, -1).join(""),
  date: function (o) { return formatDate(this.published_at ?? new Date().toISOString(), o.hash.format ?? "DD MMM YYYY"); },
  reading_time: function (o) { return this.reading_time === 1 ? o.hash.minute : o.hash.minutes.replace("%", this.reading_time); },
  img_url: (u) => u,
  content: function () { return new SafeString(this.html); },
  excerpt: function () { return this.excerpt; },
  authors: function () { return new SafeString(this.authors.map((a) => `<a href="${a.url}">${esc(a.name)}</a>`).join(", ")); },
  pagination: () => new SafeString(`<nav class="pagination" role="navigation">\n    <span class="page-number">Page 1 of 1</span>\n</nav>`),
  comment_count: () => "",
  match(...args) {
    const o = args.pop();
    const ok = args.length === 2 ? args[0] === args[1] : compare(args[0], args[1], args[2]);
    return ok ? o.fn(this) : o.inverse(this);
  },
  is(names, o) { return names.split(",").map((s) => s.trim()).includes(o.data.root.context) ? o.fn(this) : o.inverse(this); },
  has(o) {
    if ("visibility" in o.hash) return this.visibility === o.hash.visibility ? o.fn(this) : o.inverse(this);
    if ("index" in o.hash) return o.hash.index.split(",").map(Number).includes(o.data.index) ? o.fn(this) : o.inverse(this);
    return o.inverse(this);
  },
  foreach(items, o) {
    return (items ?? []).map((item, index) => o.fn(item, { data: { ...hb.createFrame(o.data), index, first: index === 0, last: index === items.length - 1 } })).join("");
  },
  primary_tag(o) { return this.primary_tag ? o.fn(this.primary_tag) : ""; },
  post(o) { return o.fn(this.post); },
  get: () => "",
  social_accounts: () => "",
});
const partialsDir = path.join(casperDir, "partials");
for (const file of fs.readdirSync(partialsDir, { recursive: true })) {
  if (file.endsWith(".hbs")) hb.registerPartial(file.replace(/\.hbs$/, ""), fs.readFileSync(path.join(partialsDir, file), "utf8"));
}
const template = (name) => hb.compile(fs.readFileSync(path.join(casperDir, `${name}.hbs`), "utf8"));
const layout = template("default");
const data = { site: { ...site, members_enabled: false, comments_enabled: false }, custom, member: null };

function write(rel, name, context) {
  const root = { ...context, context: context.post ? "post" : "home" };
  const body = template(name)(root, { data: { ...data, root } });
  const html = layout({ ...root, body }, { data: { ...data, root } });
  fs.mkdirSync(path.join(outDir, rel), { recursive: true });
  fs.writeFileSync(path.join(outDir, rel, "index.html"), html);
  console.log(path.join(outDir, rel, "index.html"));
}
for (const post of posts) write(post.slug, "post", { post });
write("", "index", { posts });
