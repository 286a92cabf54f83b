from django.urls import path

from .views import closure

app_name = "remediation"

urlpatterns: list = [
    # Closure and escalation of an item (R5, R6): one URL per action.
    path("items/<int:pk>/closure/", closure.item_closure, name="item_closure"),
    path("items/<int:pk>/submit/", closure.item_submit, name="item_submit"),
    path("items/<int:pk>/accept/", closure.item_accept, name="item_accept"),
    path("items/<int:pk>/return/", closure.item_return, name="item_return"),
    path(
        "items/<int:pk>/accountability/",
        closure.item_accountability_add,
        name="item_accountability_add",
    ),
    path(
        "items/<int:pk>/no-one-to-blame/",
        closure.item_no_one_to_blame,
        name="item_no_one_to_blame",
    ),
    path("items/<int:pk>/waive-survey/", closure.item_waive_survey, name="item_waive_survey"),
    path("items/<int:pk>/escalate/", closure.item_escalate, name="item_escalate"),
]
