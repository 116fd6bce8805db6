from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.cache import never_cache

handler404 = "jxc.core.api.errors.api_not_found"
handler500 = "jxc.core.api.errors.api_server_error"


def health(request):
    return JsonResponse({"status": "ok"})


@never_cache
def spa_index(request, path=""):
    """The Vue app's index.html for every UI route (history-mode routing)."""
    index = settings.FRONTEND_DIST / "index.html"
    if not index.exists():
        raise Http404("The UI is not built: run `make build`.")
    return FileResponse(index.open("rb"), content_type="text/html; charset=utf-8")


urlpatterns = [
    path("api/", include("jxc.api.urls")),
    path("healthz", health, name="health"),
    re_path(r"^(?!api/|static/|assets/)(?P<path>.*)$", spa_index, name="spa"),
]
