"""Login: the model backend, refusing an account whose assignment is closed (decision 0007)."""

from django.contrib.auth.backends import ModelBackend

from .models import Assignment


class AssignmentBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        if not super().user_can_authenticate(user):
            return False
        assignment_on = getattr(user, "assignment_on", None)
        return assignment_on is None or assignment_on() != Assignment.CLOSED
