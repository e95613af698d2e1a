"""The helpers the rules stand on: TPS/CTPS screening files (DOMAIN.md section 6), the
shop's category tree and the similarity test (section 5), and the rule tables."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from model.categories import (
    add_category,
    ensure_category,
    find_category,
    link_categories,
    list_categories,
    list_links,
    rename_category,
    set_one_range,
    similar_categories,
)
from model.errors import InputError
from model.rules import EVENT_CODES, type_mask
from model.screening import screen
from model.store import Store
from model.vocab import Channel

# --- screening ---------------------------------------------------------------


def _add_phones(store: Store, *phones: str) -> None:
    with store.transaction():
        for n, phone in enumerate(phones, start=1):
            store.execute(
                "INSERT INTO contacts(name, phone, phone_mobile, created_at) "
                "VALUES (?, ?, 0, '2026-01-01T00:00:00')",
                (f"Person {n}", phone),
            )


def _audit(store: Store) -> list[tuple[str, dict[str, object]]]:
    """The audit trail's entries of actions, oldest first, as (action, details): without
    the trail's own bookkeeping (the store's baseline entry, and the "rows" entries that
    cover rows this test's helpers wrote straight into the store)."""
    rows = store.execute(
        "SELECT action, details FROM audit WHERE action NOT IN ('baseline', 'rows') ORDER BY id"
    )
    return [(action, json.loads(details)) for action, details in rows]


def _results(store: Store) -> dict[tuple[str, str], tuple[str, int]]:
    rows = store.execute("SELECT phone, register, date, listed FROM screening_results")
    return {(r[0], r[1]): (r[2], r[3]) for r in rows}


def test_screening_records_listed_and_clear_numbers(store: Store, tmp_path: Path) -> None:
    """Numbers in the file are listed; every other number in the store is screened clear;
    a listed number the store does not hold is remembered; header, comments, quotes,
    blank lines and any UK format are understood."""
    _add_phones(store, "+441134960001", "+441134960002", "+447700900003")
    register = tmp_path / "tps.txt"
    register.write_text(
        'number\n# a comment\n\n"0113 496 0001"\n+44 7700 900003\n07700900099\n',
        encoding="utf-8",
    )
    report = screen(store, "tps", str(register), "2026-06-20")
    assert (report.register, report.date) == ("tps", "2026-06-20")
    assert (report.numbers_in_file, report.screened, report.listed) == (3, 3, 2)
    assert report.summary() == (
        "TPS screening on 2026-06-20: 3 numbers in the file; 3 numbers in the store "
        "screened: 2 on the register, 1 clear"
    )
    assert _results(store) == {
        ("+441134960001", "tps"): ("2026-06-20", 1),
        ("+441134960002", "tps"): ("2026-06-20", 0),
        ("+447700900003", "tps"): ("2026-06-20", 1),
        ("+447700900099", "tps"): ("2026-06-20", 1),
    }
    row = store.execute("SELECT register, date, source, numbers_listed FROM screenings")
    assert row.fetchall() == [("tps", "2026-06-20", str(register), 3)]
    assert _audit(store) == [
        (
            "screen",
            {
                "register": "tps",
                "date": "2026-06-20",
                "file": str(register),
                "screened": 3,
                "listed": 2,
            },
        )
    ]


def test_screening_keeps_its_register_and_source(store: Store, tmp_path: Path) -> None:
    """A CTPS screening is recorded as such, with the source given."""
    _add_phones(store, "+441134960001")
    register = tmp_path / "ctps.txt"
    register.write_text("", encoding="utf-8")
    report = screen(store, "ctps", str(register), "2026-06-21", source="the CTPS service")
    assert report.summary().startswith("CTPS screening on 2026-06-21: 0 numbers in the file")
    assert _results(store) == {("+441134960001", "ctps"): ("2026-06-21", 0)}
    row = store.execute("SELECT register, source FROM screenings").fetchone()
    assert tuple(row) == ("ctps", "the CTPS service")


def test_screening_refuses_an_unknown_register(store: Store, tmp_path: Path) -> None:
    """Only tps and ctps are registers."""
    register = tmp_path / "x.txt"
    register.write_text("0113 496 0001\n", encoding="utf-8")
    with pytest.raises(InputError, match="unknown register 'mps': expected tps or ctps"):
        screen(store, "mps", str(register), "2026-06-20")


def test_screening_refuses_a_file_with_a_bad_line_and_records_nothing(
    store: Store, tmp_path: Path
) -> None:
    """A line that is no number (other than a first-line header) refuses the whole file."""
    _add_phones(store, "+441134960001")
    register = tmp_path / "tps.txt"
    register.write_text("0113 496 0001\nnumber\nnot a number\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        screen(store, "tps", str(register), "2026-06-20")
    assert str(caught.value).endswith("2 lines not understood; nothing was recorded")
    assert caught.value.problems == [
        f"{register}: line 2: 'number': not a telephone number (expected e.g. 0113 4960123, "
        "07700900123 or +44 7700 900123)",
        f"{register}: line 3: 'not a number': not a telephone number (expected e.g. "
        "0113 4960123, 07700900123 or +44 7700 900123)",
    ]
    assert _results(store) == {}
    long_bad = tmp_path / "long.txt"
    long_bad.write_text("number\n" + "x" * 60 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        screen(store, "tps", str(long_bad), "2026-06-20")
    assert caught.value.problems[0].startswith(f"{long_bad}: line 2: '{'x' * 40}': not a")
    one_bad = tmp_path / "one.txt"
    one_bad.write_text("12\n", encoding="utf-8")
    with pytest.raises(InputError, match="1 line not understood"):
        screen(store, "tps", str(one_bad), "2026-06-20")


# --- the category tree and similarity ------------------------------------------


def _paths(store: Store, ids: object) -> dict[str, str]:
    """category path -> reason, for a Similarity's reasons."""
    by_id = {c.id: c.path for c in list_categories(store)}
    return {by_id[cid]: why for cid, why in dict(ids).items()}  # type: ignore[call-overload]


def test_similarity_names_every_way_categories_are_similar(store: Store) -> None:
    """Same, above, inside and a shop link from a category above (either way round),
    each with its reason; cousins and unrelated categories are not similar."""
    for path in ("Bikes/Road/Racing", "Bikes/Mountain", "Helmets/Kids", "Shop/Fruit", "Tools"):
        add_category(store, path)
    link_categories(store, "Helmets", "Bikes", "riders buy helmets")
    sim = similar_categories(store, " bikes / ROAD ")
    assert sim.campaign_key == "bikes/road"
    assert _paths(store, sim.reasons) == {
        "Bikes/Road": "same category",
        "Bikes": "Bikes contains the campaign's category",
        "Bikes/Road/Racing": "inside the campaign's category",
        "Helmets": "linked by the shop: Bikes ~ Helmets: riders buy helmets",
        "Helmets/Kids": "linked by the shop: Bikes ~ Helmets: riders buy helmets",
    }
    assert [(k.a, k.b, k.why) for k in sim.links_used] == [
        ("Bikes", "Helmets", "riders buy helmets")
    ]
    assert sim.ranges_used == ()
    sim = similar_categories(store, "Helmets/Kids")
    assert _paths(store, sim.reasons) == {
        "Helmets/Kids": "same category",
        "Helmets": "Helmets contains the campaign's category",
        **{
            p: "linked by the shop: Helmets ~ Bikes: riders buy helmets"
            for p in ("Bikes", "Bikes/Mountain", "Bikes/Road", "Bikes/Road/Racing")
        },
    }
    # a cousin: Bikes/Mountain is not similar to Bikes/Road unless linked
    assert "Bikes/Mountain" not in _paths(
        store, similar_categories(store, "Bikes/Road/Racing").reasons
    )


def test_one_range_makes_its_whole_subtree_similar(store: Store) -> None:
    """A category marked one range makes everything inside it similar, and is named."""
    for path in ("Shop/Fruit", "Shop/Frozen/Peas", "Garden"):
        add_category(store, path)
    set_one_range(store, "Shop", True)
    sim = similar_categories(store, "Shop/Frozen/Peas")
    fruit = find_category(store, "Shop/Fruit")
    garden = find_category(store, "Garden")
    assert fruit is not None and garden is not None
    assert sim.reasons[fruit.id] == "same range: Shop is marked one range"
    assert garden.id not in sim.ids
    assert sim.ranges_used == ("Shop",)
    set_one_range(store, "Shop", False)
    assert fruit.id not in similar_categories(store, "Shop/Frozen/Peas").ids


def test_campaign_category_need_not_be_in_the_tree(store: Store) -> None:
    """An unknown campaign category is similar to what lies above and inside it only."""
    add_category(store, "Bikes/Road")
    sim = similar_categories(store, "Bikes/Gravel")
    bikes = find_category(store, "Bikes")
    assert bikes is not None and set(sim.reasons) == {bikes.id}


def test_add_category_reports_changes(store: Store) -> None:
    """Adding makes parents too; adding again changes nothing unless it marks a range."""
    cat, changed = add_category(store, " Bikes /  Road ")
    assert (cat.path, cat.key, changed, cat.one_range) == ("Bikes/Road", "bikes/road", True, False)
    parent = find_category(store, "bikes")
    assert parent is not None and cat.parent_id == parent.id and parent.parent_id is None
    assert add_category(store, "BIKES/road")[1] is False
    cat, changed = add_category(store, "Bikes/Road", one_range=True)
    assert changed and cat.one_range
    assert add_category(store, "Bikes/Road", one_range=True)[1] is False
    with pytest.raises(InputError, match="an empty path"):
        add_category(store, " / ")


def test_ensure_category_uses_and_fills_the_cache(store: Store) -> None:
    """ensure_category returns the same id for the same key, through its cache or not."""
    cache: dict[str, int] = {}
    with store.transaction():
        a = ensure_category(store, "Bikes/Road", cache)
        b = ensure_category(store, "bikes / road", cache)
        c = ensure_category(store, "Bikes/Road")
        d = ensure_category(store, "Bikes", {})
    assert a == b == c and set(cache) == {"bikes", "bikes/road"}
    assert cache["bikes"] == d != a


def test_link_needs_a_reason_and_two_known_distinct_categories(store: Store) -> None:
    """Links join the shop's own categories, with a reason, never one to itself."""
    add_category(store, "Bikes")
    add_category(store, "Helmets")
    with pytest.raises(InputError, match="^category link: --why needs a reason in words$"):
        link_categories(store, "Bikes", "Helmets", "  ")
    with pytest.raises(InputError, match="unknown category 'Insurance'"):
        link_categories(store, "Bikes", "Insurance", "sister company")
    with pytest.raises(InputError, match="'Bikes' is the same category twice"):
        link_categories(store, "Bikes", "bikes", "same")
    link_categories(store, "Helmets", "Bikes", " riders ")
    link_categories(store, "Bikes", "Helmets", "riders buy helmets")  # updates the reason
    assert [(k.a, k.b, k.why) for k in list_links(store)] == [
        ("Bikes", "Helmets", "riders buy helmets")
    ]


def test_set_one_range_refuses_an_unknown_category(store: Store) -> None:
    """Marking a range needs the category in the tree."""
    with pytest.raises(InputError, match="unknown category 'Shop'"):
        set_one_range(store, "Shop", True)


def test_rename_moves_children_and_refuses_clashes(store: Store) -> None:
    """A rename changes the last part of the path and every path below it, and only those."""
    for path in ("Bikes/Road/Racing", "Bikes/Roadster", "Bikes/Mountain", "Bikes_x/Road"):
        add_category(store, path)
    renamed = rename_category(store, "Bikes/Road", "Tarmac")
    assert (renamed.path, renamed.key) == ("Bikes/Tarmac", "bikes/tarmac")
    assert [c.path for c in list_categories(store)] == [
        "Bikes",
        "Bikes/Mountain",
        "Bikes/Roadster",
        "Bikes/Tarmac",
        "Bikes/Tarmac/Racing",
        "Bikes_x",
        "Bikes_x/Road",
    ]
    assert rename_category(store, "Bikes", "Cycles").path == "Cycles"
    assert find_category(store, "Bikes_x/Road") is not None  # "_" is no LIKE wildcard
    assert rename_category(store, "Cycles/Tarmac", "TARMAC").path == "Cycles/TARMAC"
    with pytest.raises(InputError, match="'Cycles/Mountain' exists already"):
        rename_category(store, "Cycles/Tarmac", "Mountain")
    for bad in ("", "a/b"):
        with pytest.raises(InputError, match="is not a name"):
            rename_category(store, "Cycles", bad)
    with pytest.raises(InputError, match="unknown category 'Nope'"):
        rename_category(store, "Nope", "Yes")


# --- the rule tables -------------------------------------------------------------


def test_type_mask_sets_one_bit_per_event_type() -> None:
    """type_mask gives each event type its own bit, by its fixed code."""
    assert type_mask(("purchase",)) == 1 << EVENT_CODES["purchase"] == 1
    assert type_mask(frozenset({"booking", "objection"})) == (1 << 1) | (1 << 24)
    assert type_mask(()) == 0


def test_channel_bits() -> None:
    """Each channel has its own bit, in the rule book's order."""
    assert [c.bit for c in Channel] == [1, 2, 4, 8]


def test_category_changes_are_audited(store: Store) -> None:
    """Adding, marking a range, linking and renaming each leave an audit entry."""
    add_category(store, "Bikes")
    add_category(store, "Helmets", one_range=True)
    set_one_range(store, "Bikes", True)
    link = link_categories(store, "Helmets", "Bikes", "riders")
    assert (link.a, link.b, link.why) == ("Helmets", "Bikes", "riders")
    rename_category(store, "Helmets", "Lids")
    assert _audit(store) == [
        ("category add", {"path": "Bikes", "one_range": False}),
        ("category add", {"path": "Helmets", "one_range": True}),
        ("category range", {"path": "Bikes", "one_range": True}),
        ("category link", {"a": "Helmets", "b": "Bikes", "why": "riders"}),
        ("category rename", {"from": "Helmets", "to": "Lids"}),
    ]
    with pytest.raises(InputError, match="^category link: --why needs a reason in words$"):
        link_categories(store, "Lids", "Bikes", None)  # type: ignore[arg-type]


def test_list_categories_gives_every_field(store: Store) -> None:
    """Each category comes with its path, key, parent and range mark, in key order."""
    add_category(store, "Shop/Fruit")
    set_one_range(store, "Shop", True)
    shop, fruit = list_categories(store)
    assert (shop.path, shop.key, shop.parent_id, shop.one_range) == ("Shop", "shop", None, True)
    assert (fruit.path, fruit.key, fruit.parent_id, fruit.one_range) == (
        "Shop/Fruit",
        "shop/fruit",
        shop.id,
        False,
    )
    assert find_category(store, "shop / fruit") == fruit


def test_rename_deep_and_with_like_wildcards_in_names(store: Store) -> None:
    """A deep rename keeps the whole parent path; names holding %, _ or a backslash
    rename their own children only (they are not LIKE wildcards)."""
    for path in ("Bikes/Road/Racing/Kids", "50%/A", "50abc/B", "A_B/C", "AxB/D", "X\\Y/Z"):
        add_category(store, path)
    assert rename_category(store, "Bikes/Road/Racing", "Fast").path == "Bikes/Road/Fast"
    assert find_category(store, "Bikes/Road/Fast/Kids") is not None
    rename_category(store, "50%", "Half")
    rename_category(store, "A_B", "Under")
    rename_category(store, "X\\Y", "Slash")
    paths = {c.path for c in list_categories(store)}
    assert {"Half/A", "50abc/B", "Under/C", "AxB/D", "Slash/Z"} <= paths
    assert not {"50%/A", "A_B/C", "X\\Y/Z"} & paths
