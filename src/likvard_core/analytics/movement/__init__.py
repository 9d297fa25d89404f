"""Student movement (elevströmmar): where upper-secondary students live and where they study.

``scope`` holds the filters and the reference lookups, ``flows`` the 15 October flows and
dependency-map figures, ``introduction`` the follow-up of introduction-programme students and
``admissions`` admitted against enrolled per school unit and programme.
"""
