"""Regions, municipalities, organizers (huvudmän), school units and programmes."""
