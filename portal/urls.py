from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from consultations.views.verify import verify_consent
from portal import views

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("secretary/", views.secretary, name="secretary"),
    path("c/<slug:slug>/", views.public_campaign, name="public_campaign"),
    path("healthz", views.healthz, name="healthz"),
    path("v/<str:code>/", verify_consent, name="verify_consent"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("consultations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("", include("portal.baseline")),  # /bench/baseline/ only with BENCH_BASELINE on
]
