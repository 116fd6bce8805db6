"""``/api/v1/``: every app's endpoints, and the OpenAPI schema and docs."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from jxc.core.endpoints import audit, numbering, organizations, session, tokens, users
from jxc.reporting.api import DashboardView

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organizations", organizations.OrganizationViewSet, basename="organization")
router.register("users", users.UserViewSet, basename="user")
router.register("roles", users.RoleViewSet, basename="role")
router.register("api-tokens", tokens.ApiTokenViewSet, basename="api-token")
router.register("number-series", numbering.NumberSeriesViewSet, basename="number-series")
router.register("audit-log", audit.AuditLogViewSet, basename="audit-log")

v1 = [
    path("auth/csrf/", session.CsrfView.as_view(), name="auth-csrf"),
    path("auth/login/", session.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", session.LogoutView.as_view(), name="auth-logout"),
    path("me/", session.MeView.as_view(), name="me"),
    path(
        "me/switch-organization/",
        session.SwitchOrganizationView.as_view(),
        name="me-switch-organization",
    ),
    path("me/change-password/", session.ChangePasswordView.as_view(), name="me-change-password"),
    path("permissions/", session.PermissionCatalogView.as_view(), name="permissions"),
    path("dashboard/", DashboardView.as_view(), name="dashboard"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
]
