import factory
from django.contrib.auth.hashers import make_password

from learners.models import Role, User

# Every factory user shares this password, hashed with the tests' hasher (conftest.py: fast).
PASSWORD = "Correct-Horse-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    role = Role.STUDENT
    password = factory.LazyFunction(lambda: make_password(PASSWORD))
