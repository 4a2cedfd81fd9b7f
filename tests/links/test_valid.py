"""Tricky but valid Markdown that must not be flagged."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from .conftest import BASE_CONFIG, Run, SiteMaker

Check = Callable[..., Run]

VALID_PAGE = """\
---
title: Valid
---

# Valid cases

## Links in code

`[not a link](missing.md)` and ``[^nofootnote]`` are code spans.

```markdown
[also not a link](missing.md) [^nofootnote] ![](missing.png)
```

    [indented code](missing.md)

## Custom ids {#custom}

A paragraph with its own id.
{: #para-id }

## Duplicate

## Duplicate

## Déjà vu — encore!

## The `code` & [link](other.md) heading

## Spaces and titles

[encoded](my%20file.md) [angle](<my file.md>) [title](other.md "A title") [spaces](my file.md)
[ref][r] [Collapsed][] [shortcut] ![image](img/a%20b.png "Title")

[r]: other.md#section-two
[collapsed]: other.md
[shortcut]: other.md#custom-id "Title"

## Raw HTML

<a name="legacy"></a><span id="raw-id">x</span>

<div markdown id="box">

[inside](other.md) <img src="img/a b.png" alt="">

</div>

[a](#legacy) [b](#raw-id) [c](#duplicate_1) [d](#custom) [e](#para-id) [f](#deja-vu-encore) [g](#box)
[h](#the-code-link-heading) [i](#fn:1) [j](#fnref:1) [k](#fn:berman2000) [l](#caf%C3%A9)

<span id="café"></span>

Text with a footnote[^1] and citations [@berman2000; @zarate2006].

[^1]: The footnote, with a [link](other.md).

!!! note "Admonition"

    [inside an admonition](other.md#section-two)

=== "Tab"

    [inside a tab](other.md)

- A list item with [a link](other.md)
    1. nested with [another](sub/index.md)

> A quote with [a link](other.md#custom-id).

| Table | Link |
| --- | --- |
| cell | [in a cell](other.md) |

Term
:   Definition with [a link](other.md).

Mail <mailto:x@example.org> <someone@example.org>, <https://example.org>, [web](https://example.org/a#b),
[tel](tel:123), [query](other.md?x=1#section-two), [dot](./other.md), [index](sub/index.md), [top](#valid-cases),
[empty]() and [self](#).
"""


def test_tricky_valid_markdown_is_not_flagged(make_site: SiteMaker, sitecheck: Check) -> None:
    """Code, custom and duplicate ids, non-ASCII headings, encoded spaces, refs, raw HTML ids: all fine."""
    root = make_site(
        {
            "index.md": VALID_PAGE,
            "other.md": "# Other\n\n## Section two\n\n## Custom {#custom-id}\n",
            "my file.md": "# Spaced\n",
            "img/a b.png": "png",
            "sub/index.md": "# Sub\n",
        }
    )
    run = sitecheck(root)
    assert run.out == "sitecheck: no problems found (4 pages, 41 links)\n"
    assert run.code == 0


@pytest.mark.parametrize(
    ("config", "heading", "anchor"),
    [
        ("  - toc:\n      separator: _\n", "## Hello World", "hello_world"),
        (
            "  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify {kwds: {case: lower}}\n",
            "## Déjà Vu",
            "déjà-vu",
        ),
        ("  - toc:\n      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n", "## Жизнь", "жизнь"),
    ],
)
def test_toc_slug_settings_are_followed(make_site: SiteMaker, sitecheck: Check, config: str, heading: str, anchor: str) -> None:
    """The separator and the slugify function named in mkdocs.yml decide the ids."""
    root = make_site(
        {"index.md": f"{heading}\n\n[x](#{anchor})\n"},
        config=f"site_name: t\nmarkdown_extensions:\n  - attr_list\n{config}",
        bib="",
    )
    run = sitecheck(root)
    assert run.out == "sitecheck: no problems found (1 page, 1 link)\n"


def test_use_directory_urls_false(make_site: SiteMaker, sitecheck: Check) -> None:
    """Without directory URLs, raw HTML names ``page.html`` beside the page."""
    root = make_site(
        {"guide/a.md": '<a href="b.html">b</a> <a href="b/">no</a>\n', "guide/b.md": "# B\n"},
        config="site_name: t\nuse_directory_urls: false\n",
        bib="",
    )
    run = sitecheck(root)
    assert run.out.splitlines()[:-1] == [
        "docs/guide/a.md:1:33: LNK001 raw HTML link 'b/': target 'docs/guide/b' is not found among the documentation files",
    ]


def test_ledger_hook_text_counts(make_site: SiteMaker, sitecheck: Check) -> None:
    """A hook's marker expands (a tiny ledger hook, run by MkDocs as in a build): its ids and citations
    count, and its links are reported at the marker's line."""
    hook = """\
import re
from pathlib import Path
from mkdocs.plugins import event_priority
MARKER = re.compile(r"^<!--\\s*claims-ledger\\s*-->\\s*$", re.MULTILINE)
def render_ledger(claims):
    return "\\n\\n".join(f"### {c} {{#{c.lower()}}}\\n\\nSee [@berman2000] and [x](missing.md)." for c in claims)
@event_priority(100)  # before mkdocs-bibtex turns citations into footnotes, as the real ledger hook
def on_page_markdown(markdown, page, config, files):
    claims = (Path(config["config_file_path"]).parent / "ledger.txt").read_text().split()
    return MARKER.sub(lambda m: render_ledger(claims), markdown)
"""
    root = make_site(
        {
            "claims.md": "# Claims\n\n<!-- claims-ledger -->\n\nAfter the ledger, [bad](nowhere.md).\n",
            "index.md": "[c1](claims.md#c01) [c2](claims.md#c02) [@zarate2006]\n",
            "/hooks/ledger.py": hook,
            "/ledger.txt": "C01 C02\n",
        },
        config=BASE_CONFIG + "  - hooks/ledger.py\n",
    )
    run = sitecheck(root)
    assert run.out.splitlines()[:-1] == [
        "docs/claims.md:3:1: LNK001 link 'missing.md': target 'docs/missing.md' is not found among the documentation files",
        "docs/claims.md:3:1: LNK001 link 'missing.md': target 'docs/missing.md' is not found among the documentation files",
        "docs/claims.md:5:19: LNK001 link 'nowhere.md': target 'docs/nowhere.md' is not found among the documentation files",
    ]
