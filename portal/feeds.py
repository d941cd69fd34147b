"""An Atom feed of newly published catalogue entries, for readers and websites that subscribe."""

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors

FEED_SIZE = 50


class LatestEntriesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Government information disclosure: latest entries")
    subtitle = _("Newly published entries of the disclosure catalogue")
    link = reverse_lazy("portal:catalogue")

    def items(self):
        return selectors.catalogue_entries()[:FEED_SIZE]

    def item_title(self, item):
        return item.public_title

    def item_description(self, item):
        # The summary (内容概述) only, for every entry: an on-request entry's text is obtained by
        # request (Art. 27), and an entry published before summaries were required has none to
        # give, rather than the start of its text.
        return item.public_summary

    def item_link(self, item):
        return reverse("portal:catalogue_detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.published_at

    def item_author_name(self, item):
        return item.unit.name

    def item_categories(self, item):
        return [item.category.name]
