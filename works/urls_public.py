"""The residents' side of the works: reporting a problem and the published site photos (no
login); the secretary's pages that moderate reports, choose the public photos and post the
notice of working hours."""

from django.urls import path

from works.views import photos, public, reports

urlpatterns = [
    path("c/<slug:slug>/report/", public.report_problem, name="report_problem"),
    path("c/<slug:slug>/site-photos/<id:pk>.jpg", public.public_photo, name="public_photo"),
    path("manage/<slug:slug>/site-reports/", reports.report_list, name="reports"),
    path("manage/<slug:slug>/site-reports/<id:pk>/", reports.report_detail, name="report"),
    path("manage/<slug:slug>/site-reports/<id:pk>/accept/", reports.accept, name="accept_report"),
    path(
        "manage/<slug:slug>/site-reports/<id:pk>/decline/", reports.decline, name="decline_report"
    ),
    path(
        "manage/<slug:slug>/site-reports/<id:pk>/photo.jpg",
        reports.report_photo,
        name="report_photo",
    ),
    path("manage/<slug:slug>/site-photos/", photos.site_photos, name="site_photos"),
    path("manage/<slug:slug>/site-photos/<id:pk>/publish/", photos.publish, name="publish_photo"),
    path("manage/<slug:slug>/site-photos/<id:pk>.jpg", photos.photo_image, name="site_photo"),
    path(
        "manage/<slug:slug>/sites/<id:pk>/noise-notice/",
        photos.noise_notice,
        name="noise_notice",
    ),
]
