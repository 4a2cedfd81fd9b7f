"""Bibliography entries for the online tests: real, altered, invented, retracted and acknowledged ones."""

from __future__ import annotations

# key -> (BibTeX, expected status). PAGE_URL is replaced by the fake server's /pages/ URL.
ENTRIES: dict[str, tuple[str, str]] = {
    "berman2000": (
        """@article{berman2000,
  author  = {Berman, Robert M. and Cappiello, Angela and Anand, Amit and others},
  title   = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal = {Biological Psychiatry},
  year    = {2000},
  volume  = {47},
  pages   = {351--354},
  doi     = {https://doi.org/10.1016/S0006-3223(99)00230-9},
  pmid    = {10686270}
}""",
        "verified",
    ),
    "zarate2006": (
        """@article{zarate2006,
  author  = {Zarate, Jr., Carlos A. and Singh, Jaskaran B. and Carlson, Paul J.},
  title   = {A Randomized Trial of an {N}-methyl-{D}-aspartate Antagonist in Treatment-Resistant Major Depression},
  journal = {Arch. Gen. Psychiatry},
  year    = {2006},
  volume  = {63},
  pages   = {856--864},
  doi     = {doi:10.1001/ARCHPSYC.63.8.856}
}""",
        "verified",
    ),
    "murrough2013": (
        """@article{murrough2013,
  author  = {Murrough, James W. and Iosifescu, Dan V. and Al Jurdi, Rayan K.},
  title   = {Antidepressant Efficacy of Ketamine in Treatment-Resistant Major Depression},
  journal = {American Journal of Psychiatry},
  year    = {2013},
  volume  = {170},
  pages   = {1134--1142},
  pmid    = {23982301}
}""",
        "verified",
    ),
    "berman-altered": (
        """@article{berman-altered,
  author  = {Berman, Robert M. and Cappiello, Angela},
  title   = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal = {Biological Psychiatry},
  year    = {2003},
  volume  = {48},
  pages   = {351--354},
  doi     = {10.1016/S0006-3223(99)00230-9}
}""",
        "mismatch",
    ),
    "berman-retitled": (
        """@article{berman-retitled,
  author  = {Krystal, John H. and Berman, Robert M.},
  title   = {Ketamine Infusions Reverse Suicidal Ideation in Adolescents},
  journal = {Biological Psychiatry},
  year    = {2000},
  doi     = {10.1016/S0006-3223(99)00230-9}
}""",
        "mismatch",
    ),
    "berman-wrong-pmid": (
        """@article{berman-wrong-pmid,
  author  = {Berman, Robert M.},
  title   = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal = {Biological Psychiatry},
  year    = {2000},
  doi     = {10.1016/S0006-3223(99)00230-9},
  pmid    = {23042884}
}""",
        "mismatch",
    ),
    "duman-online-year": (
        """@article{duman-online-year,
  author  = {Duman, Ronald S. and Aghajanian, George K.},
  title   = {Synaptic Dysfunction in Depression},
  journal = {Science},
  year    = {2011},
  volume  = {338},
  pages   = {68--72},
  doi     = {10.1126/science.1222939}
}""",
        "verified",
    ),
    "invented-doi": (
        """@article{invented-doi,
  author  = {Smith, John},
  title   = {Ketamine Rewires the Depressed Brain},
  journal = {Biological Psychiatry},
  year    = {2019},
  doi     = {10.1016/j.biopsych.2099.01.001}
}""",
        "not_found",
    ),
    "invented-pmid": (
        """@article{invented-pmid,
  author  = {Smith, John},
  title   = {Ketamine Rewires the Depressed Brain},
  journal = {Biological Psychiatry},
  year    = {2019},
  pmid    = {99999998}
}""",
        "not_found",
    ),
    "retracted2015": (
        """@article{retracted2015,
  author  = {Fraudster, Fabian and Coauthor, Carla},
  title   = {Ketamine Abolishes Treatment-Resistant Depression within a Week},
  journal = {J Affect Disord},
  year    = {2015},
  volume  = {180},
  pages   = {1--9},
  doi     = {10.5555/jad.2015.001}
}""",
        "retracted",
    ),
    "retracted-pmid": (
        """@article{retracted-pmid,
  author  = {Fraudster, Fabian},
  title   = {Ketamine Abolishes Treatment-Resistant Depression within a Week},
  journal = {Journal of Affective Disorders},
  year    = {2015},
  pmid    = {25800001}
}""",
        "retracted",
    ),
    "concern2019": (
        """@article{concern2019,
  author  = {Example, Ann and Sample, Bo},
  title   = {Esketamine Nasal Spray and Suicidal Ideation},
  journal = {Lancet Psychiatry},
  year    = {2018},
  volume  = {6},
  pages   = {100--108},
  doi     = {10.5555/lanpsy.2019.002}
}""",
        "verified",
    ),
    "vanderberg2017": (
        """@article{vanderberg2017,
  author  = {van der Berg, Jan and M{\\"u}ller, Marie},
  title   = {Ketamine and the Glutamate Hypothesis of Depression},
  journal = {Neuropsychopharmacology},
  year    = {2017},
  volume  = {42},
  pages   = {e1--e5},
  doi     = {10.5555/npp.2017.003}
}""",
        "verified",
    ),
    "dataset2021": (
        """@misc{dataset2021,
  author  = {Nordmann, Ola},
  title   = {Ketamine Infusion Outcomes: Trial Dataset},
  year    = {2021},
  doi     = {10.5281/zenodo.555555}
}""",
        "verified",
    ),
    "nometa2020": (
        """@misc{nometa2020,
  title   = {A Work Registered Elsewhere},
  year    = {2020},
  doi     = {10.3390/nometa.2020}
}""",
        "verified",
    ),
    "duman-as-cited": (
        """@article{duman-as-cited,
  author  = {Duman, R. S. and Aghajanian, G. K.},
  title   = {Synaptic dysfunction in depression: potential therapeutic targets},
  journal = {Science},
  year    = {2012},
  volume  = {338},
  number  = {6103},
  pages   = {68--72}
}""",
        "verified",
    ),
    "lau2013-invented": (
        """@article{lau2013-invented,
  author  = {Lau, B. K. and others},
  title   = {The effects of ketamine on brain activity in major depression},
  journal = {Biological Psychiatry},
  year    = {2013},
  volume  = {74},
  pages   = {259--267}
}""",
        "unverifiable",
    ),
    "page-ok": (
        """@misc{page-ok,
  author  = {{U.S. Food and Drug Administration}},
  title   = {FDA approves new nasal spray medication for treatment-resistant depression},
  year    = {2019},
  url     = {PAGE_URL/fda-esketamine}
}""",
        "verified",
    ),
    "page-gone": (
        """@misc{page-gone,
  title   = {A Clinic Page That Was Taken Down},
  year    = {2020},
  url     = {PAGE_URL/removed}
}""",
        "not_found",
    ),
    "page-pdf": (
        """@techreport{page-pdf,
  author      = {{World Health Organization}},
  institution = {World Health Organization},
  title       = {Depression and Other Common Mental Disorders: Global Health Estimates},
  year        = {2017},
  url         = {PAGE_URL/who.pdf}
}""",
        "verified",
    ),
    "ack-kept": (
        """@article{ack-kept,
  author       = {Wilkins, K. M. and others},
  title        = {Ketamine and inflammation in treatment-resistant depression: A review of the evidence},
  journal      = {Journal of Clinical Psychiatry},
  year         = {2019},
  verification = {unverifiable: cited by a source article, kept to document it}
}""",
        "unverifiable",
    ),
    "ack-stale": (
        """@article{ack-stale,
  author       = {Berman, Robert M.},
  title        = {Antidepressant Effects of Ketamine in Depressed Patients},
  journal      = {Biological Psychiatry},
  year         = {2000},
  pmid         = {10686270},
  verification = {unverifiable: we could not find it back then}
}""",
        "verified",
    ),
    "ack-wrong": (
        """@article{ack-wrong,
  author       = {Smith, John},
  title        = {Ketamine Rewires the Depressed Brain},
  year         = {2019},
  journal      = {Biological Psychiatry},
  doi          = {10.1016/j.biopsych.2099.01.002},
  verification = {unverifiable: cited by a source article}
}""",
        "not_found",
    ),
}

PAGES = {
    "fda-esketamine": (
        200,
        "text/html; charset=utf-8",
        "<html><head><title>FDA approves new nasal spray medication for treatment-resistant depression; "
        "available only at a certified doctor's office or clinic | FDA</title></head><body><h1>FDA approves new "
        "nasal spray medication for treatment-resistant depression; available only at a certified doctor's office "
        "or clinic</h1></body></html>",
    ),
    "who.pdf": (200, "application/pdf", "%PDF-1.4 ..."),
}


def bib_text(keys: list[str] | None = None, page_url: str = "") -> str:
    """The entries (all, or these keys) as one .bib file."""
    chosen = keys or list(ENTRIES)
    return "\n\n".join(ENTRIES[k][0].replace("PAGE_URL", page_url) for k in chosen) + "\n"
