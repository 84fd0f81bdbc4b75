from django.urls import path

from money.views import fund, overview, payments, settlement

app_name = "money"
urlpatterns = [
    path("money/<slug:slug>/", overview.campaign_money, name="campaign"),
    path("money/<slug:slug>/outstanding/", payments.outstanding, name="outstanding"),
    path("money/units/<id:pk>/fund/", fund.unit_fund, name="fund"),
    path("money/units/<id:pk>/fund/accounts/", fund.fund_accounts, name="fund_accounts"),
    path("money/units/<id:pk>/fund/notice/", fund.post_notice, name="post_notice"),
    path("money/units/<id:pk>/fund/notice.pdf", fund.notice_pdf, name="notice_pdf"),
    path("money/units/<id:pk>/fund/packet.pdf", fund.fund_packet, name="fund_packet"),
    path("money/units/<id:pk>/fund/contract.pdf", fund.contract_file, name="contract"),
    path("money/units/<id:pk>/fund/approval/", fund.record_approval, name="record_approval"),
    path("money/households/<id:pk>/", payments.household_money, name="household"),
    path("money/households/<id:pk>/entries/", payments.record_entry, name="record_entry"),
    path("money/entries/<id:pk>/reverse/", payments.reverse_entry, name="reverse_entry"),
    path("money/entries/<id:pk>/receipt.pdf", payments.receipt, name="receipt"),
    path("money/entries/<id:pk>/proof/", payments.proof, name="proof"),
    path("money/units/<id:pk>/settlement/", settlement.unit_settlement, name="settlement"),
    path(
        "money/units/<id:pk>/settlement/publish/",
        settlement.publish_settlement,
        name="publish_settlement",
    ),
    path(
        "money/units/<id:pk>/settlement/document.pdf",
        settlement.settlement_document,
        name="settlement_document",
    ),
]
