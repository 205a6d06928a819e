from django.urls import path

from congvu.payments import views

app_name = "payments"

urlpatterns = [
    path("pay/<str:code>/<str:token>/", views.pay, name="pay"),
    path("demo-gateway/<str:txn>/", views.demo_gateway, name="demo_gateway"),
    path("return/<str:txn>/", views.payment_return, name="return"),
    path("receipts/<int:receipt_id>/<str:token>/", views.receipt, name="receipt"),
    path("receipts/<int:receipt_id>/<str:token>/pdf/", views.receipt_pdf, name="receipt_pdf"),
    path("desk/<str:code>/", views.desk, name="desk"),
]
