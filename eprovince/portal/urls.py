from django.urls import path

from . import views, views_workspace
from .feeds import LatestNewsFeed

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tin-tuc/", views.news, name="news"),
    path("tin-tuc/<slug:category>/", views.news, name="news_category"),
    path("tin-tuc/<slug:category>/<slug:slug>/", views.article, name="article"),
    path("bai-viet/<slug:slug>/", views.article_short, name="article_short"),
    path("bai-viet/<slug:slug>/danh-gia/", views.rate, name="rate"),
    path("tim-kiem/", views.search, name="search"),
    path("rss/", LatestNewsFeed(), name="rss"),
    path("can-bo/tin-bai/", views_workspace.editor_list, name="editor_list"),
    path("can-bo/tin-bai/viet-bai/", views_workspace.editor_create, name="editor_create"),
    path("can-bo/tin-bai/<int:pk>/", views_workspace.editor_detail, name="editor_detail"),
    path("can-bo/tin-bai/<int:pk>/sua/", views_workspace.editor_edit, name="editor_edit"),
    path("can-bo/tin-bai/<int:pk>/chuyen/<slug:key>/", views_workspace.editor_transition, name="editor_transition"),
]
