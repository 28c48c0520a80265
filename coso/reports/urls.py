from .urls_dashboard import urlpatterns as dashboard_patterns
from .urls_tables import urlpatterns as table_patterns

app_name = "reports"

urlpatterns = [*table_patterns, *dashboard_patterns]
