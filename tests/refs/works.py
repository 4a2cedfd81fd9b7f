"""The works the fake registries know, modelled on real records (plus a retracted and a flagged one)."""

from __future__ import annotations

from tests.refs.fakeservices import Work

BERMAN = Work(
    title="Antidepressant effects of ketamine in depressed patients",
    authors=[("Robert M.", "Berman"), ("Angela", "Cappiello"), ("Amit", "Anand"), ("Dan A.", "Oren"),
             ("George R.", "Heninger"), ("Dennis S.", "Charney"), ("John H.", "Krystal")],
    year=2000, journal="Biological Psychiatry", abbrev="Biol Psychiatry", volume="47",
    pages="351-354", medline_pages="351-4", doi="10.1016/S0006-3223(99)00230-9", pmid="10686270",
)  # fmt: skip
ZARATE = Work(
    title="A Randomized Trial of an N-methyl-D-aspartate Antagonist in Treatment-Resistant Major Depression",
    html_title="A Randomized Trial of an <i>N</i>-methyl-<scp>d</scp>-aspartate Antagonist in "
    "Treatment-Resistant Major Depression",
    authors=[("Carlos A. Jr.", "Zarate"), ("Jaskaran B.", "Singh"), ("Paul J.", "Carlson")],
    year=2006, journal="Archives of General Psychiatry", abbrev="Arch Gen Psychiatry", volume="63",
    pages="856", medline_pages="856-64", doi="10.1001/archpsyc.63.8.856", pmid="16894061",
)  # fmt: skip
MURROUGH = Work(
    title="Antidepressant Efficacy of Ketamine in Treatment-Resistant Major Depression",
    subtitle="A Two-Site Randomized Controlled Trial",
    authors=[("James W.", "Murrough"), ("Dan V.", "Iosifescu"), ("Rayan K.", "Al-Jurdi")],
    year=2013, online_year=2013, journal="American Journal of Psychiatry", abbrev="Am J Psychiatry",
    volume="170", pages="1134-1142", medline_pages="1134-42", doi="10.1176/appi.ajp.2013.13030392",
    pmid="23982301",
)  # fmt: skip
DUMAN = Work(
    title="Synaptic Dysfunction in Depression: Potential Therapeutic Targets",
    authors=[("Ronald S.", "Duman"), ("George K.", "Aghajanian")],
    year=2012, journal="Science", abbrev="Science", volume="338", pages="68-72",
    doi="10.1126/science.1222939", pmid="23042884",
)  # fmt: skip
RETRACTED = Work(
    title="Ketamine abolishes treatment-resistant depression within a week",
    authors=[("Fabian", "Fraudster"), ("Carla", "Coauthor")],
    year=2015, journal="Journal of Affective Disorders", abbrev="J Affect Disord", volume="180",
    pages="1-9", doi="10.5555/jad.2015.001", pmid="25800001",
    updated_by=[{"DOI": "10.5555/jad.2016.notice", "type": "retraction", "source": "retraction-watch",
                 "label": "Retraction", "updated": {"date-parts": [[2016, 3, 1]], "date-time": "2016-03-01T00:00:00Z"}}],
    pubtypes=["Journal Article", "Retracted Publication"],
)  # fmt: skip
CONCERN = Work(
    title="Esketamine nasal spray and suicidal ideation",
    authors=[("Ann", "Example"), ("Bo", "Sample")],
    year=2019, online_year=2018, journal="The Lancet Psychiatry", abbrev="Lancet Psychiatry", volume="6",
    pages="100-108", doi="10.5555/lanpsy.2019.002",
    updated_by=[
        {"DOI": "10.5555/lanpsy.2020.eoc", "type": "expression_of_concern", "source": "publisher",
         "label": "Expression of Concern", "updated": {"date-parts": [[2020, 1, 5]]}},
        {"DOI": "10.5555/lanpsy.2019.corr", "type": "correction", "source": "publisher",
         "label": "Correction", "updated": {"date-parts": [[2019, 6, 1]]}},
    ],
)  # fmt: skip
VAN_DER_BERG = Work(
    title="Ketamine and the glutamate hypothesis of depression",
    authors=[("Jan", "van der Berg"), ("Marie", "Müller")],
    year=2017, journal="Neuropsychopharmacology", abbrev="Neuropsychopharmacology", volume="42",
    pages="e1-e5", doi="10.5555/npp.2017.003",
)  # fmt: skip
DATASET = Work(
    title="Ketamine infusion outcomes", subtitle="Trial dataset",
    authors=[("Ola", "Nordmann")], year=2021, journal="Zenodo", doi="10.5281/zenodo.555555", registry="datacite",
)  # fmt: skip
NO_METADATA = Work(title="", authors=[], year=2020, doi="10.3390/nometa.2020", registry="none")

WORKS = [BERMAN, ZARATE, MURROUGH, DUMAN, RETRACTED, CONCERN, VAN_DER_BERG, DATASET, NO_METADATA]
