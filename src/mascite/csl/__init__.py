"""Formatting: CSL styles (``styles``), bibliographies in any style (``format``), the engines that
run them (``engines``), their corrections (``compat``), and documents rendered with linked
citations (``render``)."""
