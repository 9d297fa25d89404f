"""The analyses' web pages, one ``include`` per analysis, all in the ``analyses`` namespace."""

from likvard.analyses.adjusted.urls import urlpatterns as adjusted_urlpatterns
from likvard.analyses.completion.urls import urlpatterns as completion_urlpatterns
from likvard.analyses.equity.urls import urlpatterns as equity_urlpatterns
from likvard.analyses.incidents.urls import urlpatterns as incidents_urlpatterns

app_name = "analyses"

urlpatterns = [
    *equity_urlpatterns,
    *adjusted_urlpatterns,
    *completion_urlpatterns,
    *incidents_urlpatterns,
]
