"""Demo content of the portal: the news categories and the seed articles, published. Idempotent (by slug).

Called by `manage.py load_demo`. Ratings and view counts start at zero."""

from __future__ import annotations

from typing import TextIO

from eprovince.core.models import User
from eprovince.core.text import fold

from . import services
from .models import Category
from .seed import SeedArticle, load_all, seed_dir

CATEGORIES = [
    ("hoat-dong-cua-so", "Hoạt động của Sở", 10),
    ("cong-nghe-thong-tin", "Công nghệ thông tin", 20),
    ("buu-chinh-vien-thong", "Bưu chính, Viễn thông", 30),
    ("thong-bao", "Thông báo", 40),
]
# The first rule whose words all appear in the folded title decides the category; the default is the last.
CATEGORY_RULES: list[tuple[tuple[str, ...], str]] = [
    (("bcvt",), "buu-chinh-vien-thong"),
    (("buu chinh",), "buu-chinh-vien-thong"),
    (("truc tuyen",), "cong-nghe-thong-tin"),
    ((), "hoat-dong-cua-so"),
]
# The demo editor, if the core demo accounts exist, is shown as the creator of imported articles.
DEMO_EDITOR = "bientap"


def category_slug_for(seed: SeedArticle) -> str:
    title = fold(seed.title)
    return next(slug for words, slug in CATEGORY_RULES if all(w in title for w in words))


def load(stdout: TextIO) -> None:
    categories: dict[str, Category] = {
        slug: services.category_ensure(name=name, slug=slug, order=order, acting_user=None) for slug, name, order in CATEGORIES
    }
    seeds = load_all()
    if not seeds:
        stdout.write(
            f"  Tin bài: không tìm thấy bài viết mẫu tại {seed_dir()} (đặt SEED_ARTICLES_DIR để chỉ nơi khác); "
            "chưa nạp tin bài nào.\n"
        )
        return
    editor = User.objects.filter(username=DEMO_EDITOR).first()
    created = 0
    for seed in seeds:
        if seed.published_on is None:
            stdout.write(f"  Tin bài: bỏ qua {seed.filename}, không xác định được ngày đăng.\n")
            continue
        _, was_created = services.article_import(
            acting_user=None,
            slug=seed.slug,
            title=seed.title,
            category=categories[category_slug_for(seed)],
            summary=seed.summary,
            body=seed.body_html,
            published_on=seed.published_on,
            source=seed.source,
            author_line=seed.author_line,
            created_by=editor,
        )
        created += was_created
    stdout.write(f"  Tin bài: {len(categories)} chuyên mục, {len(seeds)} bài mẫu ({created} bài mới nạp).\n")
