from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def news(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def search(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html")


def rss(request: HttpRequest) -> HttpResponse:
    return HttpResponse("", content_type="application/rss+xml")
