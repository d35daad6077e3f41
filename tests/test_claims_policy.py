"""Which claims need a source, under each policy: the two health pages as a medical editor reads
them, a research paper as its authors' field reads it, the shipped model, and the suggestions
made for an uncited claim."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mascite import check
from mascite.document.citeworthy import features, model, section_kind, strip_markers
from mascite.document.policy import POLICIES, Context, assess, medical

from .conftest import EXAMPLES
from .test_cli import run

ABOUT_STRICT = [
    (5, "Macrophage activation syndrome (MAS) is a rare, potentially life-threatening complication",
     ["epidemiology", "definition", "prognosis"]),
    (5, "It is characterized by an over-activation of the immune system, resulting in a systemic in",
     ["definition", "cause/mechanism"]),
    (5, "Symptoms of MAS include fever, rash, organ failure, and anemia.", ["symptom", "definition"]),
    (5, "Treatment typically involves the use of immunosuppressive medications and supportive care.",
     ["treatment/dose", "definition"]),
    (9, "The symptoms of Macrophage Activation Syndrome (MAS) can vary depending on the underlying",
     ["symptom", "cause/mechanism"]),
    (29, "The exact cause of macrophage activation syndrome (MAS) is unknown.", ["cause/mechanism"]),
    (29, "However, it is believed to be triggered by an overactive immune response, which can be cau",
     ["cause/mechanism", "treatment/dose"]),
    (29, "Other potential triggers include certain genetic mutations, such as those associated with",
     ["cause/mechanism"]),
    (33, "Corticosteroids: These are the most commonly used treatment for Macrophage Activation Synd",
     ["treatment/dose", "comparison"]),
    (33, "They help reduce inflammation and suppress the immune system.",
     ["cause/mechanism", "treatment/dose"]),
    (35, "Immunosuppressants: These drugs help to reduce the activity of the immune system and can b",
     ["cause/mechanism", "treatment/dose"]),
    (37, "Intravenous Immunoglobulin (IVIG): This is a blood product that contains antibodies and ca",
     ["definition", "cause/mechanism", "treatment/dose"]),
    (39, "Plasma Exchange: This is a procedure in which the patient’s blood is removed and replaced",
     ["definition", "treatment/dose"]),
    (39, "This can help reduce inflammation and suppress the immune system.",
     ["cause/mechanism", "treatment/dose"]),
    (41, "Biologic Agents: These are drugs that target specific parts of the immune system and can h",
     ["definition", "cause/mechanism", "treatment/dose"]),
    (47, "Having a primary immunodeficiency disorder, such as systemic lupus erythematosus (SLE), ju",
     ["risk factor"]),
    (49, "Having a family history of MAS.", ["risk factor"]),
    (51, "Having an infection, such as Epstein-Barr virus (EBV), cytomegalovirus (CMV), or HIV.",
     ["risk factor"]),
    (53, "Receiving certain medications, such as tumor necrosis factor (TNF) inhibitors or interfero",
     ["treatment/dose", "risk factor"]),
    (55, "Having an organ transplant.", ["risk factor"]),
    (57, "Having an autoimmune disorder, such as SLE, rheumatoid arthritis, or inflammatory bowel di",
     ["risk factor"]),
    (59, "Having a malignancy, such as lymphoma or leukemia.", ["risk factor"]),
    (63, "Yes, there are treatments available for Macrophage activation syndrome (MAS).", ["treatment/dose"]),
    (63, "Treatment typically involves the use of corticosteroids, such as prednisone, to reduce inf",
     ["treatment/dose"]),
    (63, "Other medications, such as cyclosporine, may also be used to suppress the immune system.",
     ["treatment/dose"]),
    (63, "In some cases, intravenous immunoglobulin (IVIG) may be used to reduce inflammation and su",
     ["treatment/dose"]),
    (63, "In severe cases, plasma exchange may be used to remove inflammatory proteins from the bloo",
     ["treatment/dose"]),
]


def test_about_mas_under_strict_is_the_medical_editors_reading() -> None:
    report = check(EXAMPLES / "about-mas.txt", claims="strict")
    uncited = [(c.line, c.text[:90].rstrip(), c.reasons) for c in report.claims if c.needs_citation]
    assert uncited == ABOUT_STRICT
    assert [f.line for f in report.findings if f.code == "uncited-claim"] == [
        line for line, _, _ in ABOUT_STRICT]
    # the symptom list is carried by its lead-in; headings and questions are never claims
    assert [c.text for c in report.claims if not c.needs_citation] == [
        "Fever", "Rash", "Joint pain", "Enlarged lymph nodes", "Fatigue", "Abdominal pain",
        "Weight loss", "Anemia", "Liver dysfunction", "Neurological symptoms", "Low blood pressure",
        "Elevated white blood cell count", "Elevated ferritin levels",
        "Elevated triglyceride levels"]
    assert not any(c.text.endswith("?") for c in report.claims)
    assert report.coverage == {"policy": "strict", "claims": 41, "claims_cited": 0,
                               "needing_citation": 27, "cited": 0, "uncited": 27,
                               "coverage": 0.0}


IVIG_STRICT_UNCITED = [
    (1, "Globulin miễn dịch tiêm tĩnh mạch (IVIG)"), (3, "Macrophage activation syndrome (MAS) is "),
    (4, "IVIG for macrophage activation syndrome "), (5, "IVIG is usually preferred when a patient"),
    (6, "How IVIG works for MAS is unclear."), (6, "However, it is thought to work by suppre"),
    (10, "MAS is a rare but potentially fatal immu"), (10, "It occurs when your immune system floods"),
    (11, "Normally, these cells help destroy disea"), (11, "However, in MAS, these white blood cells"),
    (11, "As a result, the immune system produces "), (13, "What causes the immune system to overrea"),
    (13, "Infections are thought to trigger nearly"), (14, "Other triggers can include:"),
    (18, "The signs and symptoms of MAS can includ"), (28, "There is no consensus about specific tre"),
    (29, "Before biologics came into existence, IV"), (33, "IVIG may benefit some patients with MAS,"),
    (33, "However, success and efficacy vary widel"), (34, "For example, in a 2001 study, IVIG produ"),
    (34, "The total number of participants in the "), (41, "Available evidence suggests that the eff"),
    (42, "For example, IVIG appears to be less eff"), (42, "However, IVIG therapy should be consider"),
    (42, "IVIG is usually preferred when a patient"), (44, "The exact mechanism of action of IVIG fo"),
    (49, "There is no specific dose, which likely "), (53, "Treatment options for MAS are IVIG, gluc"),
    (55, "Macrophage activation syndrome (MAS) and"), (57, "MAS is a potentially fatal complication "),
    (57, "Studies show that 1 in 10 children with "), (61, "The FDA has not yet approved any IVIG pr"),
    (61, "Currently, IVIG use is off-label."), (61, "In the U.S., the only FDA-approved treat"),
]


def test_ivig_under_strict_flags_every_uncited_statement_and_no_navigation() -> None:
    report = check(EXAMPLES / "ivig-for-mas.txt", claims="strict")
    found = [f for f in report.findings if f.code == "uncited-claim"]
    assert [(f.line, (f.found or "")[:40]) for f in found] == IVIG_STRICT_UNCITED
    assert [(c.line, c.marker) for c in report.citations] == [
        (12, "[1]"), (13, "[2]"), (29, "[3]"), (35, "[4]"), (36, "[5]"), (37, "[6]"), (40, "[7]"),
        (45, "[8,9]"), (49, "[3]"), (55, "[10]"), (59, "[11]")]
    plain = [c.text[:40] for c in report.claims if not c.needs_citation and not c.refs]
    assert plain == ["Discover how IVIG works, learn about its", "Large, controlled trials are needed to c",
                     "Rheumatic disorders, such as Kawasaki Di", "Medications, such as aspirin or other NS",
                     "Worsening liver function", "Swollen lymph glands", "Constantly high fever",
                     "Seizures and coma"]
    texts = {c.text for c in report.claims}
    for never in ("Nói chuyện với một chuyên gia", "Nhận hỗ trợ tài chính", "Sốc", "Phát ban",
                  "What are the FDA-approved IVIG products for macrophage activation syndrome (MAS)?"):
        assert never not in texts
    # suggestions come from the page's own list, with their match, only above the threshold
    assert [(f.line, f.suggestion) for f in found if f.suggestion] == [
        (6, "cite [8] (match 0.78); or cite [9] (match 0.78)"), (28, "cite [7] (match 0.70)"),
        (57, "cite [10] (match 0.68)"), (57, "cite [2] (match 1.00); or cite [10] (match 0.76)")]
    assert report.coverage["coverage"] == 0.2609


PAPER = """---
title: Interleukin-1 blockade in macrophage activation syndrome
bibliography: refs.bib
---

# Introduction

Macrophage activation syndrome is a life-threatening complication of systemic juvenile \
idiopathic arthritis [@ravelli2016]. Mortality in children has been reported between 8% and \
22%. Interleukin-1 blockade with anakinra has been used in refractory cases [@eloseily2020]. \
In this study, we examine whether early anakinra shortens the time to remission.

# Methods

We enrolled 42 children treated at two centres between 2015 and 2020. Ferritin was measured \
daily. Remission was defined according to the 2016 classification criteria [@ravelli2016].

# Results

Thirty of the 42 children (71%) reached remission within 14 days. The median time to remission \
was 6 days. This is consistent with earlier reports of rapid responses to anakinra.

# Discussion

Early anakinra was associated with a shorter time to remission. Previous studies have shown \
that delayed treatment increases mortality in children with macrophage activation syndrome. \
Larger, controlled trials are needed.

# Acknowledgements

We thank the families who took part.
"""
REFS = """@article{ravelli2016,
  author = {Ravelli, Angelo and Minoia, Francesca},
  title = {2016 Classification Criteria for Macrophage Activation Syndrome Complicating Systemic
           Juvenile Idiopathic Arthritis},
  journal = {Arthritis Rheumatol}, year = {2016}, volume = {68}, pages = {566--576},
}
@article{eloseily2020,
  author = {Eloseily, Esraa M},
  title = {Benefit of Anakinra in Treating Pediatric Secondary Hemophagocytic Lymphohistiocytosis},
  journal = {Arthritis Rheumatol}, year = {2020}, volume = {72}, pages = {326--334},
}
"""
LIBRARY = """@article{minoia2014,
  author = {Minoia, Francesca},
  title = {Clinical features, treatment, and outcome of macrophage activation syndrome: mortality
           in children},
  journal = {Arthritis Rheumatol}, year = {2014}, volume = {66}, pages = {3160--3169},
}
@article{delay2019,
  author = {Grom, Alexei},
  title = {Delayed treatment and mortality in macrophage activation syndrome},
  journal = {Lancet Rheumatol}, year = {2019}, volume = {1}, pages = {10--12},
}
"""


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    (tmp_path / "refs.bib").write_text(REFS, encoding="utf-8")
    (tmp_path / "library.bib").write_text(LIBRARY, encoding="utf-8")
    (tmp_path / "paper.md").write_text(PAPER, encoding="utf-8")
    return tmp_path


def _needs(folder: Path, policy: str) -> list[str]:
    report = check(folder / "paper.md", [folder / "refs.bib", folder / "library.bib"],
                   claims=policy)  # type: ignore[arg-type]
    return [c.text[:40].rstrip() for c in report.claims if c.needs_citation]


def test_a_research_paper_under_each_policy(paper: Path) -> None:
    assert _needs(paper, "lenient") == [
        "Mortality in children has been reported", "Interleukin-1 blockade with anakinra has",
        "Previous studies have shown that delayed"]
    assert _needs(paper, "standard") == [
        "Macrophage activation syndrome is a life", "Mortality in children has been reported",
        "Interleukin-1 blockade with anakinra has", "This is consistent with earlier reports",
        "Previous studies have shown that delayed"]
    # own data in Results, the authors' own work, the aims, a call for research and the
    # acknowledgements never need a source, even under strict
    assert _needs(paper, "strict") == [
        "Macrophage activation syndrome is a life", "Mortality in children has been reported",
        "Interleukin-1 blockade with anakinra has", "Ferritin was measured daily.",
        "This is consistent with earlier reports", "Early anakinra was associated with a sho",
        "Previous studies have shown that delayed"]


def test_a_research_paper_gets_suggestions_from_its_library(paper: Path) -> None:
    report = check(paper / "paper.md", [paper / "refs.bib", paper / "library.bib"])
    assert [(f.line, f.ref, f.suggestion) for f in report.findings
            if f.code == "uncited-claim"] == [
        (8, "minoia2014", "cite minoia2014 (match 1.00)"),
        (16, None, None),
        (20, "delay2019", "cite delay2019 (match 0.77); or cite minoia2014 (match 0.70)")]


def test_policies_nest_lenient_within_standard_within_strict_within_all(paper: Path) -> None:
    documents = [(EXAMPLES / "about-mas.txt", []), (EXAMPLES / "ivig-for-mas.txt", []),
                 (paper / "paper.md", [paper / "refs.bib"])]
    for path, bibs in documents:
        decided = {policy: [c.needs_citation for c in check(path, bibs, claims=policy).claims]
                   for policy in POLICIES}
        for narrow, wide in (("lenient", "standard"), ("standard", "strict"), ("strict", "all")):
            assert all(w for n, w in zip(decided[narrow], decided[wide], strict=True) if n), (
                path.name, narrow, wide)


def test_claims_policy_from_the_command_line_and_the_configuration(tmp_path: Path) -> None:
    (tmp_path / "page.txt").write_text(
        "About the disease\n\nMacrophage activation syndrome is a complication of arthritis.\n",
        encoding="utf-8")
    default = run("check", "page.txt", "--offline", cwd=tmp_path).stdout
    assert ("Claims: 1 (0 cited); 0 need a source under the standard policy, 0 have one, "
            "0 do not: coverage n/a") in default
    strict = run("check", "page.txt", "--offline", "--claims", "strict", cwd=tmp_path).stdout
    assert ("Claims: 1 (0 cited); 1 need a source under the strict policy, 0 have one, "
            "1 do not: coverage 0%") in strict
    (tmp_path / "mascite.toml").write_text('claims = "strict"\n', encoding="utf-8")
    configured = json.loads(run("check", "page.txt", "--offline", "--format", "json",
                                cwd=tmp_path).stdout)
    assert configured["summary"]["coverage"]["policy"] == "strict"
    assert [f["message"] for f in configured["findings"]] == [
        "claim without a citation (definition, prognosis): “Macrophage activation syndrome is a "
        "complication of arthritis.”"]
    overridden = json.loads(run("check", "page.txt", "--offline", "--format", "json", "--claims",
                                "lenient", cwd=tmp_path).stdout)
    assert overridden["summary"]["coverage"]["policy"] == "lenient"
    (tmp_path / "mascite.toml").write_text('claims = "needs-source"\n', encoding="utf-8")
    wrong = run("check", "page.txt", "--offline", cwd=tmp_path)
    assert (wrong.returncode, wrong.stderr) == (2, (
        f"mascite: error: {tmp_path / 'mascite.toml'}: claims: Input should be 'strict', "
        "'standard', 'lenient' or 'all'\n"))


def test_the_cli_offers_exactly_the_policies() -> None:
    usage = run("check", "--help").stdout
    assert "{strict,standard,lenient,all}" in usage
    assert POLICIES == ("strict", "standard", "lenient", "all")


def test_the_shipped_model() -> None:
    shipped = model()
    assert shipped.thresholds["strict"] < shipped.thresholds["standard"] < shipped.thresholds[
        "lenient"]
    assert 0.0 < shipped.probability([]) < 1.0
    assert shipped.probability(["s:intro", "w:previously", "x:etal"]) > shipped.probability(
        ["s:methods", "w:we", "w:figure"])
    assert features("We found 45%.", "results", "first", ["statistic"]) == [
        "s:results", "p:first", "n:0", "w:we", "w:found", "w:<pct>", "b:we_found",
        "b:found_<pct>", "f:we", "f:found", "r:statistic", "s:results|r:statistic",
        "s:results|f:we", "c:0", "a:0", "s:results|x:we"]


@pytest.mark.parametrize(
    ("heading", "kind"),
    [("Introduction", "intro"), ("2. Materials and Methods", "methods"),
     ("Results and Discussion", "results"), ("4 Discussion", "discussion"),
     ("Conclusions", "discussion"), ("Background", "intro"),
     ("What are the symptoms of MAS?", "other"), (None, "other")],
)
def test_section_kinds(heading: str | None, kind: str) -> None:
    assert section_kind(heading) == kind


def test_markers_are_removed_before_the_model_reads_a_sentence() -> None:
    text = "Used before [4], [5], and (Smith 2001; Doe 2002) and [3]–[5] here¹²."
    spans = [(12, 15), (17, 20), (27, 37), (39, 47), (53, 56), (57, 60), (65, 67)]
    assert [text[a:b] for a, b in spans] == ["[4]", "[5]", "Smith 2001", "Doe 2002", "[3]",
                                             "[5]", "¹²"]
    assert strip_markers(text, spans) == "Used before, and and here."


def test_medical_statements_and_common_knowledge() -> None:
    assert medical("Corticosteroids reduce inflammation.")
    assert medical("MAS occurs in 10% of children.")
    assert not medical("The heart pumps blood.")
    verdict = assess("The heart pumps blood.", Context(), "strict")
    assert (verdict.needs, verdict.reasons, verdict.excluded) == (False, [], None)
    question = assess("What causes MAS?", Context(), "strict")
    assert (question.needs, question.excluded) == (False, "question")
    lead_in = assess("Symptoms may include:", Context(items=("Fever", "Rash")), "strict")
    assert (lead_in.needs, lead_in.reasons) == (True, ["symptom"])
    item = assess("Worsening liver function", Context(carried=True), "strict")
    assert (item.needs, item.excluded) == (False, "carried by its lead-in")
    risk = assess("Having an organ transplant.",
                  Context(heading="What are the risk factors for MAS?"), "strict")
    assert (risk.needs, risk.reasons) == (True, ["risk factor"])
