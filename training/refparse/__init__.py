"""Training the reference-string CRF: labelled data (``data``), strings rendered from Crossref
records (``synth``), and the training and scoring loop (``train``)."""
