from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from consultations.views.verify import verify_consent
from portal import audit, offline, public, summary, views
from portal.auth import LoginForm, LogoutView

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("secretary/", views.secretary, name="secretary"),
    path("audit/", audit.audit_trail, name="audit_trail"),
    path("dashboard/", include("portal.dashboard.urls")),
    path("c/<slug:slug>/", public.public_campaign, name="public_campaign"),
    path("c/<slug:slug>/questions/", public.question_list, name="public_questions"),
    path("c/<slug:slug>/ask/", public.ask, name="ask"),
    path("display/", public.display, name="display"),
    path("manage/<slug:slug>/summary/", summary.summary, name="daily_summary"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("sw.js", offline.service_worker, name="service_worker"),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("offline/", offline.offline_page, name="offline_page"),
    path("offline/scope.json", offline.scope, name="offline_scope"),
    path("v/<str:code>/", verify_consent, name="verify_consent"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            redirect_authenticated_user=True, authentication_form=LoginForm
        ),
        name="login",
    ),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path("", include("consultations.urls")),
    path("", include("campaigns.urls")),
    path("", include("works.urls")),
    path("", include("money.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("portal.baseline")),  # /bench/baseline/ only with BENCH_BASELINE on
]

# Uploaded photos, in development only (static() is empty unless DEBUG); in production the
# web server serves MEDIA_ROOT.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
