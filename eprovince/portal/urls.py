from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("tin-tuc/", views.news, name="news"),
    path("tim-kiem/", views.search, name="search"),
    path("rss/", views.rss, name="rss"),
]
