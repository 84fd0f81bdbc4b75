from django.urls import path

from households import views

app_name = "households"
urlpatterns = [
    path("", views.my_doors, name="my_doors"),
    path("<int:pk>/", views.detail, name="detail"),
]
