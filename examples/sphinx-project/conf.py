"""A small Sphinx project citing the curated MAS bibliography through mascite."""

project = "IVIG for macrophage activation syndrome"
extensions = ["mascite.ext.sphinx"]
mascite_bibliography = ["../../bib/mas.bib"]
mascite_style = "american-medical-association"
html_theme = "basic"
