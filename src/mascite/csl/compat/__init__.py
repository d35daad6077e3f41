"""Where pandoc's citeproc differs from citeproc-js, the reference CSL processor, and citeproc-js
is right: item preparation and output repairs (``items``), citeproc-js's title case
(``titlecase``), initials (``initials``) and the traces its citation disambiguation leaves in
bibliographies (``disambiguation``)."""
