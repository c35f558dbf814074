from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from fixtures.store.seed_records import (
    BLINKEN_KURSK,
    BUDANOV,
    COMPARISONS,
    HEADLINE_8000,
    JEON,
    KIRBY,
    KURSK,
    RUSSIA,
    RYDER,
    THOUSANDS,
    ZELENSKY_BRIGADES,
)

from discrepancy.errors import ConfigError
from discrepancy.report import render_report, value_words, write_report
from discrepancy.types import ArticleFailure, Claim, ClaimPair, Comparison, Kind, PairRelation, Qualifier

FAILURE = ArticleFailure(path="articles/B09.txt", message="articles/B09.txt: not UTF-8 text; try --encoding latin-1")


def _sentence_claim(sentence: str, surface: str, **fields: Any) -> Claim:
    """A claim on a real sentence quoted from the dev articles (offsets relative to the sentence)."""
    start = sentence.index(surface)
    return Claim(
        article="B04.txt",
        start=start,
        end=start + len(surface),
        surface=surface,
        kind=Kind.COUNT,
        sentence=sentence,
        sentence_start=0,
        **fields,
    )


@pytest.mark.parametrize(
    ("claim", "words"),
    [
        (RYDER, "about 2,000"),
        (BLINKEN_KURSK, "up to 8,000"),
        (HEADLINE_8000, "8,000"),
        (ZELENSKY_BRIGADES, "up to 12,000 (2 × 6,000)"),
        (KIRBY, "at least 3,000"),
        (JEON, "more than 10,000"),
        (THOUSANDS, "thousands (2,000+)"),
        (
            _sentence_claim(
                "The list of people who may be unaccounted for in the wake of the Maui wildfires is now "
                "between 1,000 and 1,100, officials said Tuesday.",
                "between 1,000 and 1,100",
                value=1050, low=1000, high=1100, qualifier=Qualifier.RANGE,
            ),
            "1,000–1,100",
        ),
        (
            _sentence_claim(
                "He said there are less than 50 “active missing person cases.”",
                "50", value=50, low=None, high=50, qualifier=Qualifier.LESS_THAN,
            ),
            "fewer than 50",
        ),
        (
            _sentence_claim(
                "A small number of North Korean troops have arrived in Russia's Kursk region",
                "A small number", value=None, low=None, high=None, qualifier=Qualifier.VAGUE,
            ),
            "A small number",
        ),
        (
            _sentence_claim(
                "The initial quake of 7.8-magnitude was followed by dozens of powerful aftershocks",
                "dozens", value=None, low=24, high=None, qualifier=Qualifier.VAGUE,
            ),
            "dozens (24+)",
        ),
    ],
)  # fmt: skip
def test_value_words(claim: Claim, words: str) -> None:
    assert value_words(claim) == words


@pytest.fixture
def report() -> str:
    return render_report(COMPARISONS, article_count=5, claim_count=12, failures=[FAILURE])


def _section(report: str, heading: str) -> str:
    start = report.index(f"\n{heading}\n")
    end = report.find("\n## ", start + 1)
    return report[start : end if end > 0 else len(report)]


def _rows(markdown: str) -> list[list[str]]:
    """The cells of every table row (header and rule included), splitting on unescaped pipes only."""
    rows = []
    for line in markdown.splitlines():
        if line.startswith("|"):
            cells = re.split(r"(?<!\\)\|", re.sub(r"\\\\", "", line))
            rows.append([cell.strip() for cell in cells[1:-1]])
    return rows


def test_report_opens_with_title_and_summary(report: str) -> None:
    assert report.startswith(
        "# Discrepancies in counted quantities\n\n"
        "5 articles, 12 count claims, 5 referents, 2 diverging. 1 article could not be read.\n"
    )


def test_summary_table_lists_diverging_referents_by_spread_then_label(report: str) -> None:
    summary = report[: report.index("\n## ")]
    assert _rows(summary)[0] == ["Referent", "Values", "Spread", "Claims", "Sides"]
    assert _rows(summary)[2:] == [
        ["North Korean troops in Russia", "2,000 – 12,000", "4.0×", "5", "South Korea, US, Ukraine"],
        ["North Korean troops in or near Kursk", "2,000 – 8,000", "4.0×", "3", "US"],
    ]
    wider = dataclasses.replace(KURSK, spread=6.5)
    reordered = render_report([RUSSIA, wider], article_count=5, claim_count=8)
    assert [row[0] for row in _rows(reordered[: reordered.index("\n## ")])[2:]] == [
        "North Korean troops in or near Kursk",
        "North Korean troops in Russia",
    ]
    assert report.index("## North Korean troops in Russia") < report.index("## North Korean troops in or near Kursk")


def test_diverging_section_has_notes_pair_counts_and_main_finding(report: str) -> None:
    kursk = _section(report, "## North Korean troops in or near Kursk")
    assert "- Pairs: 0 conflict, 2 update, 1 compatible." in kursk
    # two update pairs with the same gap (8,000 against 2,000): the tie goes to the earlier claim
    assert (
        "- Main finding: US government (US, 2024-10-31): 8,000 vs Pat Ryder (US, 2024-10-29): about 2,000 — update"
    ) in kursk
    russia = _section(report, "## North Korean troops in Russia")
    assert "- Note: North Korean troops in or near Kursk (up to 8,000) is a part of this whole" in russia
    assert "- Pairs: 1 conflict, 1 update, 1 compatible." in russia
    assert (
        "- Main finding: Kyrylo Budanov (Ukraine, 2024-10-18): about 11,000 vs "
        "John Kirby (US, 2024-10-23): at least 3,000 — conflict"
    ) in russia


def test_main_finding_prefers_the_wider_gap_among_equal_relations() -> None:
    pairs = (
        ClaimPair(HEADLINE_8000, RYDER, PairRelation.UPDATE),
        ClaimPair(ZELENSKY_BRIGADES, RYDER, PairRelation.UPDATE),
        ClaimPair(KIRBY, RYDER, PairRelation.COMPATIBLE),
    )
    text = render_report([dataclasses.replace(KURSK, pairs=pairs)], article_count=3, claim_count=3)
    assert (
        "- Main finding: Volodymyr Zelensky (Ukraine, 2024-10-24): up to 12,000 (2 × 6,000) vs "
        "Pat Ryder (US, 2024-10-29): about 2,000 — update"
    ) in text


def test_claim_table_is_in_date_order_with_undated_claims_last(report: str) -> None:
    kursk = _rows(_section(report, "## North Korean troops in or near Kursk"))
    assert kursk[0] == ["Value", "Wording", "Speaker", "Side", "Date", "Article", "Sentence"]
    assert [row[:6] for row in kursk[2:]] == [
        ["about 2,000", "2,000", "Pat Ryder (US Department of Defense)", "US", "2024-10-29", RYDER.article],
        ["8,000", "8000", "US government", "US", "2024-10-31", HEADLINE_8000.article],
        [
            "up to 8,000",
            "8,000",
            "Antony Blinken (US Department of State)",
            "US",
            "2024-10-31",
            BLINKEN_KURSK.article,
        ],
    ]
    russia = _rows(_section(report, "## North Korean troops in Russia"))
    assert [row[4] for row in russia[2:]] == ["2024-10-18", "2024-10-23", "2024-10-24", "2024-10-24", "–"]
    assert [row[0] for row in russia[2:]] == [
        "about 11,000",
        "at least 3,000",
        "thousands (2,000+)",
        "up to 12,000 (2 × 6,000)",
        "more than 10,000",
    ]


def test_sentences_are_quoted_cut_around_the_number_and_bolded(report: str) -> None:
    cells = {row[0]: row[6] for row in _rows(_section(report, "## North Korean troops in or near Kursk"))[2:]}
    assert cells["about 2,000"] == (
        '"Pentagon press secretary Maj Gen Pat Ryder said about **2,000** North Korean soldiers '
        "were near Kursk, "
        'with a “smaller number” now inside the region."'
    )
    blinken = cells["up to 8,000"]  # a 235-character paragraph: cut on both sides
    assert blinken.startswith('"…') and blinken.endswith('…"')
    assert "indicates that up to **8,000** of these North Korean forces have been deployed in the Kursk" in blinken
    assert len(blinken.replace("**", "")) <= 200 + 4  # the quotes and the two ellipses
    assert blinken.startswith('"…10,000 North Korean troops')  # cut between words, not inside one


def test_agreeing_and_single_source_referents_are_brief(report: str) -> None:
    agreeing = _rows(_section(report, "## Agreeing referents"))
    assert agreeing[2:] == [
        [
            "North Korean troops sent to Russia, US estimate", "10,000", "2",
            "000_03983a0091c47d69.txt, 001_78c788bb667fbbee.txt",
        ]
    ]  # fmt: skip
    single = _rows(_section(report, "## Single-source referents"))
    assert [row[:3] for row in single[2:]] == [
        ["First North Korean group", "2,600", "Kyrylo Budanov (Defence Intelligence of Ukraine)"],
        [
            "North Korean deserters detained",
            "18",
            "military intelligence source (Ukraine military intelligence)",
        ],
    ]


def test_failures_are_listed_last(report: str) -> None:
    assert report.endswith("## Articles that failed\n\n- articles/B09.txt: not UTF-8 text; try --encoding latin-1\n")
    clean = render_report(COMPARISONS, article_count=5, claim_count=12)
    assert "failed" not in clean
    assert "could not be read" not in clean


def test_no_divergence_is_said_plainly() -> None:
    agreeing = [c for c in COMPARISONS if c not in (KURSK, RUSSIA)]
    text = render_report(agreeing, article_count=3, claim_count=4)
    assert "3 articles, 4 count claims, 3 referents, 0 diverging.\n\nNo referent has diverging figures.\n" in text
    assert "| Spread" not in text


def test_same_inputs_give_the_same_bytes_whatever_their_order() -> None:
    first = render_report(COMPARISONS, article_count=5, claim_count=12, failures=[FAILURE])
    shuffled = [
        dataclasses.replace(c, referent=dataclasses.replace(c.referent, claims=c.referent.claims[::-1]))
        for c in reversed(COMPARISONS)
    ]
    assert render_report(shuffled, article_count=5, claim_count=12, failures=[FAILURE]) == first
    assert render_report(COMPARISONS, article_count=5, claim_count=12, failures=[FAILURE]) == first


def test_article_text_cannot_break_the_markdown() -> None:
    hostile = "Officials | said <script>alert('x')</script> that `about` 2,000\\| troops\nwere near Kursk *now*."
    claim = dataclasses.replace(
        RYDER,
        sentence=hostile,
        sentence_start=RYDER.start - hostile.index("2,000"),
        speaker="Pat | Ryder <b>",
        side="US\nDoD",
    )
    label = "Troops | in <i>Kursk</i>\n## injected heading"
    comparison = dataclasses.replace(
        KURSK,
        referent=dataclasses.replace(KURSK.referent, label=label, claims=(claim, BLINKEN_KURSK)),
        pairs=(),
        notes=("a part | exceeds <u>its</u> whole",),
    )
    text = render_report([comparison], article_count=1, claim_count=2)

    assert "<script>" not in text and "<b>" not in text and "<i>" not in text and "<u>" not in text
    assert "&lt;script>alert('x')&lt;/script>" in text
    assert "\n## injected heading" not in text
    lines = text.splitlines()
    for table_start in (i for i, line in enumerate(lines) if line.startswith("| ") and lines[i - 1] == ""):
        table = []
        for line in lines[table_start:]:
            if not line.startswith("|"):
                break
            table.append(line)
        widths = {len(row) for row in _rows("\n".join(table))}
        assert len(widths) == 1, table
    section = _rows(_section(text, "## Troops \\| in &lt;i>Kursk&lt;/i> ## injected heading"))
    assert len(section) == 2 + 2
    ryder_row = next(row for row in section if row[0] == "about 2,000")
    assert ryder_row[2] == "Pat \\| Ryder &lt;b> (US Department of Defense)"
    assert ryder_row[3] == "US DoD"
    assert (  # the backslash before the pipe is escaped too, so the pipe stays escaped
        "\"Officials \\| said &lt;script>alert('x')&lt;/script> that \\`about\\` **2,000**\\\\\\| troops "
        'were near Kursk \\*now\\*."'
    ) in text


def test_write_report_is_atomic_and_creates_folders(tmp_path: Path) -> None:
    path = tmp_path / "reports" / "2024" / "discrepancies.md"
    text = render_report(COMPARISONS, article_count=5, claim_count=12)
    write_report(text, path)
    write_report(text.replace("5 articles", "6 articles"), path)

    assert path.read_text(encoding="utf-8") == text.replace("5 articles", "6 articles")
    assert [p.name for p in path.parent.iterdir()] == ["discrepancies.md"]


def test_write_report_to_an_unwritable_place_names_it(tmp_path: Path) -> None:
    folder = tmp_path / "report.md"
    folder.mkdir()
    with pytest.raises(ConfigError, match=r"report_path=.*report\.md.*cannot write the report"):
        write_report("# Discrepancies\n", folder)
    assert list(tmp_path.iterdir()) == [folder]
    assert list(folder.iterdir()) == []


def test_comparisons_are_used_as_given() -> None:
    odd: Comparison = dataclasses.replace(RUSSIA, low=1.0, high=99.0, spread=None, sides=("X",))
    text = render_report([odd], article_count=1, claim_count=5)
    assert _rows(text[: text.index("\n## ")])[2] == ["North Korean troops in Russia", "1 – 99", "–", "5", "X"]
    assert BUDANOV.surface in text


def test_a_big_referent_lists_forty_claims_and_points_to_the_export() -> None:
    from discrepancy.types import Claim, Comparison, GroupStatus, Kind, Qualifier, Referent, ReferentKey

    sentence = "Officials said 1,000 people were evacuated."
    claims = tuple(
        Claim(
            article=f"a{i:02d}.txt",
            start=15,
            end=20,
            surface="1,000",
            value=1000.0 + i,
            low=1000.0 + i,
            high=1000.0 + i,
            qualifier=Qualifier.EXACT,
            kind=Kind.COUNT,
            sentence=sentence,
            sentence_start=0,
            speaker="Officials",
            claim_date=f"2024-01-{1 + i % 28:02d}",
        )
        for i in range(45)
    )
    referent = Referent(id="evacuated-x", label="People (evacuated)", key=ReferentKey("s", "evacuated"), claims=claims)
    comparison = Comparison(referent, GroupStatus.DIVERGES, 1.04, 1000.0, 1044.0, ())
    text = render_report([comparison], article_count=45, claim_count=45)
    assert text.count("| Officials") == 40
    assert "5 more claims in `discrepancy export` (referent `evacuated-x`)." in text
