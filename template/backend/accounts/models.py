"""The project's User, in place from the first migration (`AUTH_USER_MODEL = "accounts.User"`).

Django advises a custom user model for every new project: swapping one in after the first migration means
rewriting the migrations by hand. This one is Django's own `AbstractUser` with nothing added, so a field can
be added later with an ordinary migration. Refer to it as `settings.AUTH_USER_MODEL` in models and as
`get_user_model()` in code.
"""

from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    pass
