"""Administrators name the knowledge bank's editors here (a region's or a network's), and can
see the items; editors write items on the bank's own pages, which keep the history."""

from django.contrib import admin

from likvard.knowledge.models import Editor, Item, Topic


@admin.register(Editor)
class EditorAdmin(admin.ModelAdmin[Editor]):
    list_display = ["user", "region", "network"]
    list_filter = ["region", "network"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin[Topic]):
    list_display = ["name", "region"]
    list_filter = ["region"]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin[Item]):
    list_display = ["title", "kind", "visibility", "region", "network", "owner", "review_on"]
    list_filter = ["kind", "visibility", "region"]
    search_fields = ["title", "summary"]
    readonly_fields = ["created_at", "updated_at", "reviewed_at"]
