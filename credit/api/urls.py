from django.urls import path

from credit.api import views

urlpatterns = [
    path("items/", views.ItemListView.as_view(), name="api-items"),
    path("items/<int:no>/", views.ItemDetailView.as_view(), name="api-item"),
    path("items/<int:no>/records/", views.ItemRecordListView.as_view(), name="api-item-records"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="api-record"),
    path("records/<int:pk>/submit/", views.RecordSubmitView.as_view(), name="api-record-submit"),
    path("records/<int:pk>/withdraw/", views.RecordWithdrawView.as_view(), name="api-record-withdraw"),
    path("records/<int:pk>/return/", views.RecordReturnView.as_view(), name="api-record-return"),
    path("records/<int:pk>/revoke/", views.RecordRevokeView.as_view(), name="api-record-revoke"),
    path("changes/<int:pk>/approve/", views.ChangeApproveView.as_view(), name="api-change-approve"),
    path("changes/<int:pk>/return/", views.ChangeReturnView.as_view(), name="api-change-return"),
    path("workdays/due-date/", views.DueDateView.as_view(), name="api-due-date"),
]
