"""Forms styled by Designsystemet: every widget gets its `ds-input` class, every error its place."""

from typing import Any

from django import forms


class DsForm(forms.Form):
    template_name = "includes/form_div.html"
    template_name_div = "includes/form_div.html"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "ds-input")
