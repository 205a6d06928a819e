"""People list/search and person detail, limited to the person.view scope."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from congvu.org import policy
from congvu.org.models import Person, PersonCategory
from congvu.org.roles import Action
from congvu.web.scope import people_in_scope, selected_unit

PAGE_SIZE = 50


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, Action.PERSON_VIEW)
    unit = selected_unit(request)
    query = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    if category not in PersonCategory.values:
        category = ""
    # Searching looks through the whole scope; browsing lists the working unit's subtree.
    everywhere = bool(query) or request.GET.get("all") == "1"
    qs = people_in_scope(request.user, query=query, unit=None if everywhere else unit, category=category,
                         active=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "category": category, "categories": PersonCategory.choices,
               "unit": unit, "everywhere": everywhere}
    template = "web/people/_results.html" if request.headers.get("HX-Request") == "true" else "web/people/list.html"
    return render(request, template, context)


@login_required
def person_detail(request: HttpRequest, uid: uuid.UUID) -> HttpResponse:
    person = get_object_or_404(Person.objects.select_related("unit", "user"), uid=uid)
    policy.require(request.user, Action.PERSON_VIEW, person)
    context = {
        "person": person,
        "positions": person.positions.select_related("unit").order_by("-start"),
        # Birth date is personal data: shown only to those who maintain personnel records.
        "show_private": bool(policy.decide(request.user, Action.PERSON_EDIT, person)),
    }
    return render(request, "web/people/detail.html", context)
