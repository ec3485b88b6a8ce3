from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .models import BareRow


@csrf_exempt
@require_POST
def bare_insert(request: HttpRequest) -> HttpResponse:
    """The baseline: a Django view that inserts one row and answers."""
    row = BareRow.objects.create(key=request.POST.get("key", "")[:64])
    return HttpResponse(str(row.pk), content_type="text/plain")
