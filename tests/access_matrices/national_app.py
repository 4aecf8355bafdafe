"""The national app (HD 42, printing/national_app.py): the package to upload and the
marks that it was uploaded, for those who keep the cell's records."""

from tests.access_rules import ANY_REDIRECT, edited_by_secretary, meeting_in

MATRIX = {
    "printing:national_app_package": (
        "get",
        lambda w: {"pk": meeting_in(w, "draft").pk},
        edited_by_secretary(),
    ),
    "printing:national_app_mark": (
        "post",
        lambda w: {"pk": meeting_in(w).pk, "stage": "before"},
        edited_by_secretary(ANY_REDIRECT),
    ),
}
