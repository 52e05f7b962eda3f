"""Posting a back-office change form as an operator would: every field as the page
shows it, with the changes typed in."""

from __future__ import annotations

import datetime


def _posted(value):
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return value.pk
    return value


def admin_change(client, obj, **changes):
    """Open `obj`'s admin change page, change `changes` and save it (inlines left as
    they are). Returns the response, which redirects when the form saved."""
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [_posted(v) for v in value]
            elif hasattr(value, "name") and hasattr(value, "storage"):
                continue  # a stored file stays as it is
            else:
                data[key] = _posted(value)
    for name, value in changes.items():
        data[name] = _posted(value)
    response = client.post(url, data)
    if response.status_code != 302:
        raise AssertionError(response.context["adminform"].form.errors)
    return response
