from django.urls import path

from . import views

app_name = "selfcheck"

urlpatterns = [
    path("my/", views.my_report, name="my_report"),
    path("my/autosave/", views.my_report_autosave, name="my_report_autosave"),
    path("my/submit/", views.my_report_submit, name="my_report_submit"),
    path("my/questions/", views.my_question_ask, name="my_question_ask"),
    path("reports/", views.review_queue, name="queue"),
    path("reports/remind/", views.remind, name="remind"),
    path("reports/export.xlsx", views.export, name="export"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/print/", views.report_print, name="report_print"),
    path("reports/<int:pk>/diff/", views.version_diff, name="version_diff"),
    path("reports/<int:pk>/accept/", views.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", views.report_return, name="report_return"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/answer/", views.question_answer, name="question_answer"),
    path("figures/", views.figures, name="figures"),
    path("figures/export.xlsx", views.figures_export, name="figures_export"),
    path("items/", views.items_config, name="items"),
    path("talks/", views.talks, name="talks"),
    path("talks/<int:pk>/correct/", views.talk_correct, name="talk_correct"),
    path("cases/", views.cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/decide/", views.case_decide, name="case_decide"),
    path("cases/<int:pk>/read/", views.case_confirm_read, name="case_confirm_read"),
    path("notices/", views.notices, name="notices"),
]
