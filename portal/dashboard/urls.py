from django.urls import path

from portal.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.campaign_dashboard, name="campaign"),
    path("<slug:slug>/grid/", views.building_grid, name="grid"),
    path("<slug:slug>/register.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<slug:slug>/register.csv", views.export_csv, name="export_csv"),
    path("<slug:slug>/import/", views.import_register, name="import"),
]
