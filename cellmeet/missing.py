"""What still stands between a draft and complete minutes, item by item."""


class MissingItem(str):
    """One missing item in plain words, and the form field where it is filled in.

    A str, so every place that joins or shows the items keeps working; the recording
    flow's review step uses `field` to link each item to its step and box.
    """

    field = ""

    def __new__(cls, text, field=""):
        item = super().__new__(cls, text)
        item.field = field
        return item
