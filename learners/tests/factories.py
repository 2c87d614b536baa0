import factory
from django.contrib.auth.hashers import make_password

from learners.models import Role, User

# Hashing once keeps factories fast; every factory user shares this password.
PASSWORD = "Correct-Horse-42"
_HASH = make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    role = Role.STUDENT
    password = _HASH
