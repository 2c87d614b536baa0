"""Account pages of the public site: sign up and log in (the rest are Django's own views)."""

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView

from lms.models import PortalSettings

from . import services
from .forms import LoginForm, SignupForm


class SignupView(FormView):
    template_name = "registration/signup.html"
    form_class = SignupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("/")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault(
            "registration_closed", not PortalSettings.load(request_or_site=self.request).registration_open
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            user = services.register(**form.cleaned_data)
        except PermissionDenied:
            return self.render_to_response(self.get_context_data(form=form, registration_closed=True), status=403)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                for message in messages:
                    form.add_error(field if field in form.fields else None, message)
            return self.form_invalid(form)
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        next_url = self.request.POST.get("next") or self.request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(next_url, {self.request.get_host()}, self.request.is_secure()):
            return redirect(next_url)
        return redirect("/")


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True
