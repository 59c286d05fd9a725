# Pelican settings for the golden pages; the theme is Pelican's default ("notmyidea").
AUTHOR = "Maren Lockwood"
SITENAME = "Saltmarsh & Co. — TV Notes"
SITEURL = "https://saltmarsh-notes.example"
PATH = "content"
TIMEZONE = "UTC"
DEFAULT_LANG = "en"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
LINKS = (("Pelican", "https://getpelican.com/"),)
SOCIAL = ()
DEFAULT_PAGINATION = 10
