"""The shop's category tree and the similarity test (DOMAIN.md section 5)."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import InputError
from .normalise import category_ancestors, category_display, category_key
from .store import Store, now_stamp


@dataclass(frozen=True)
class Category:
    id: int
    path: str
    key: str
    parent_id: int | None
    one_range: bool


@dataclass(frozen=True)
class Link:
    a: str
    b: str
    why: str


def _parse_path(path: str) -> tuple[str, str]:
    try:
        return category_display(path), category_key(path)
    except ValueError:
        raise InputError(f"category {path!r}: an empty path (expected e.g. Bikes/Road)") from None


def ensure_category(store: Store, path: str, cache: dict[str, int] | None = None) -> int:
    """The id of the category at ``path``, created with its parents if missing.

    Call inside a transaction. ``cache`` maps keys to ids across many calls.
    """
    display, key = _parse_path(path)
    if cache is not None and key in cache:
        return cache[key]
    row = store.execute("SELECT id FROM categories WHERE key = ?", (key,)).fetchone()
    if row:
        if cache is not None:
            cache[key] = row[0]
        return int(row[0])
    parts = display.split("/")
    parent_id: int | None = None
    for depth in range(1, len(parts) + 1):
        sub_display = "/".join(parts[:depth])
        sub_key = category_key(sub_display)
        found = cache.get(sub_key) if cache is not None else None
        if found is None:
            existing = store.execute(
                "SELECT id FROM categories WHERE key = ?", (sub_key,)
            ).fetchone()
            if existing:
                found = int(existing[0])
            else:
                cur = store.execute(
                    "INSERT INTO categories(path, key, parent_id, one_range, created_at) "
                    "VALUES (?, ?, ?, 0, ?)",
                    (sub_display, sub_key, parent_id, now_stamp()),
                )
                found = int(cur.lastrowid or 0)
            if cache is not None:
                cache[sub_key] = found
        parent_id = found
    assert parent_id is not None
    return parent_id


def add_category(store: Store, path: str, *, one_range: bool = False) -> tuple[Category, bool]:
    """Add a category (and its parents). Returns it and whether anything changed."""
    display, key = _parse_path(path)
    before = find_category(store, path)
    with store.transaction():
        cat_id = ensure_category(store, display)
        if one_range:
            store.execute("UPDATE categories SET one_range = 1 WHERE id = ?", (cat_id,))
        changed = before is None or (one_range and not before.one_range)
        if changed:
            store.audit("category add", {"path": display, "one_range": one_range})
    result = find_category(store, path)
    assert result is not None
    return result, changed


def set_one_range(store: Store, path: str, one_range: bool) -> Category:
    """Mark (or unmark) a category as one range: everything inside it is similar."""
    cat = find_category(store, path)
    if cat is None:
        raise InputError(f"unknown category {path!r}")
    if cat.one_range != one_range:
        with store.transaction():
            store.execute(
                "UPDATE categories SET one_range = ? WHERE id = ?", (int(one_range), cat.id)
            )
            store.audit("category range", {"path": cat.path, "one_range": one_range})
    found = find_category(store, path)
    assert found is not None
    return found


def find_category(store: Store, path: str) -> Category | None:
    _, key = _parse_path(path)
    row = store.execute(
        "SELECT id, path, key, parent_id, one_range FROM categories WHERE key = ?", (key,)
    ).fetchone()
    return Category(row[0], row[1], row[2], row[3], bool(row[4])) if row else None


def link_categories(store: Store, path_a: str, path_b: str, why: str) -> Link:
    """Mark two existing categories as similar, with the shop's written reason.

    Both must be in the shop's tree already (added, or recorded on an event): links
    join the shop's own ranges (DOMAIN.md section 8, Leave.EU and Eldon), not a
    sister company's products typed in on the spot.
    """
    why = (why or "").strip()
    if not why:
        raise InputError("category link: --why needs a reason in words")
    a = find_category(store, path_a)
    b = find_category(store, path_b)
    for path, found in ((path_a, a), (path_b, b)):
        if found is None:
            raise InputError(
                f"category link: unknown category {path!r} (add it first with: category add)"
            )
    assert a is not None and b is not None
    if a.id == b.id:
        raise InputError(f"category link: {a.path!r} is the same category twice")
    lo, hi = sorted((a.id, b.id))
    with store.transaction():
        store.execute(
            "INSERT INTO category_links(a_id, b_id, why, created_at) VALUES (?, ?, ?, ?) "
            "ON CONFLICT(a_id, b_id) DO UPDATE SET why = excluded.why",
            (lo, hi, why, now_stamp()),
        )
        store.audit("category link", {"a": a.path, "b": b.path, "why": why})
    return Link(a.path, b.path, why)


def rename_category(store: Store, path: str, new_name: str) -> Category:
    """Rename the last part of a category's path (its children follow)."""
    cat = find_category(store, path)
    if cat is None:
        raise InputError(f"unknown category {path!r}")
    new_name = new_name.strip()
    if not new_name or "/" in new_name:
        raise InputError(f"category rename: {new_name!r} is not a name (no '/', not empty)")
    parent = cat.path.rsplit("/", 1)[0] if "/" in cat.path else ""
    new_path = f"{parent}/{new_name}" if parent else new_name
    new_display, new_key = _parse_path(new_path)
    if new_key != cat.key and find_category(store, new_path) is not None:
        raise InputError(f"category rename: {new_display!r} exists already")
    with store.transaction():
        rows = store.execute(
            "SELECT id, path, key FROM categories WHERE key = ? OR key LIKE ? ESCAPE '\\'",
            (cat.key, _like_prefix(cat.key)),
        ).fetchall()
        for cid, old_path, old_key in rows:
            store.execute(
                "UPDATE categories SET path = ?, key = ? WHERE id = ?",
                (new_display + old_path[len(cat.path) :], new_key + old_key[len(cat.key) :], cid),
            )
        store.audit("category rename", {"from": cat.path, "to": new_display})
    found = find_category(store, new_display)
    assert found is not None
    return found


def _like_prefix(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped + "/%"


def list_categories(store: Store) -> list[Category]:
    rows = store.execute(
        "SELECT id, path, key, parent_id, one_range FROM categories ORDER BY key"
    ).fetchall()
    return [Category(r[0], r[1], r[2], r[3], bool(r[4])) for r in rows]


def list_links(store: Store) -> list[Link]:
    rows = store.execute(
        "SELECT a.path, b.path, l.why FROM category_links l "
        "JOIN categories a ON a.id = l.a_id JOIN categories b ON b.id = l.b_id "
        "ORDER BY a.key, b.key"
    ).fetchall()
    return [Link(r[0], r[1], r[2]) for r in rows]


# --- similarity -------------------------------------------------------------


@dataclass(frozen=True)
class Similarity:
    """Which of the shop's categories are similar to a campaign's category, and why."""

    campaign_key: str
    #: category id -> the reason it is similar ("same", "inside", a link, a range)
    reasons: dict[int, str]
    #: the shop's links that made anything similar, for the evidence
    links_used: tuple[Link, ...]
    ranges_used: tuple[str, ...]

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(self.reasons)


def similar_categories(store: Store, campaign_path: str) -> Similarity:
    """All categories similar to ``campaign_path`` under the rule book's section 5.

    C and I are similar when they are the same; one is inside the other; the
    shop linked them (or a category above each), with a reason; or both lie
    inside a category marked one range. The campaign's category need not be in
    the tree: paths are compared as keys.
    """
    _, c_key = _parse_path(campaign_path)
    c_up = [*category_ancestors(c_key), c_key]  # C and every category above it
    cats = {
        r[1]: (r[0], r[2], bool(r[3]))
        for r in store.execute("SELECT id, key, path, one_range FROM categories").fetchall()
    }
    reasons: dict[int, str] = {}

    def add_subtree(root_key: str, why: str) -> None:
        prefix = root_key + "/"
        for key, (cid, _path, _r) in cats.items():
            if (key == root_key or key.startswith(prefix)) and cid not in reasons:
                reasons[cid] = why

    if c_key in cats:
        reasons[cats[c_key][0]] = "same category"
    for key in category_ancestors(c_key):
        if key in cats:
            reasons.setdefault(cats[key][0], f"{cats[key][1]} contains the campaign's category")
    add_subtree(c_key, "inside the campaign's category")

    ranges_used: list[str] = []
    for key in c_up:
        if key in cats and cats[key][2]:
            ranges_used.append(cats[key][1])
            add_subtree(key, f"same range: {cats[key][1]} is marked one range")

    links_used: list[Link] = []
    up_ids = {cats[k][0] for k in c_up if k in cats}
    by_id = {cid: (key, path) for key, (cid, path, _r) in cats.items()}
    for a_id, b_id, why in store.execute(
        "SELECT a_id, b_id, why FROM category_links ORDER BY id"
    ).fetchall():
        for mine, other in ((a_id, b_id), (b_id, a_id)):
            if mine in up_ids:
                other_key, other_path = by_id[other]
                links_used.append(Link(by_id[mine][1], other_path, why))
                add_subtree(
                    other_key, f"linked by the shop: {by_id[mine][1]} ~ {other_path}: {why}"
                )
    return Similarity(c_key, reasons, tuple(links_used), tuple(ranges_used))
