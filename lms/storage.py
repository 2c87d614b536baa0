"""Uploads in an S3-compatible bucket (django-storages), switched on by `AWS_STORAGE_BUCKET_NAME`.

Two storages over one bucket:

- `PrivateS3Storage`, the default: documents, videos and their posters, images' originals, certificate PDFs.
  Nothing in it is ever handed out by the bucket's address: its `url()` is the portal's own (MEDIA_URL, as
  the local storage gives it), which only the checked views answer (learners.files, courses.serving), and
  those stream the bytes from here. A bucket address, even a presigned one, would go to whoever holds the
  link, for as long as it lasts, past every rule of who may have the file.
- `PublicS3Storage`, Wagtail's rendition storage: the images' renditions, which the catalog shows to
  anyone. Their addresses are plain and stable (no signature that expires inside a cached page), on the
  bucket, or on `AWS_S3_CUSTOM_DOMAIN` (a CDN); the bucket lets anyone read `images/` and nothing else.

Only names go into the settings. The keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY) are read from the
environment by django-storages and boto3 themselves, or come from the machine's role: Wagtail hands a
storage's constructor arguments to its file deletion task, which keeps them with the queued task.
"""

import os
from collections.abc import Mapping
from urllib.parse import urljoin

from botocore.exceptions import ClientError
from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# Settings passed on from the environment when they are set, each as django-storages reads it.
PASSED_ON = (
    "AWS_S3_ENDPOINT_URL",  # another S3-compatible server than AWS, e.g. https://storage.example.net
    "AWS_S3_REGION_NAME",
    "AWS_S3_ADDRESSING_STYLE",  # "path" for servers without a name per bucket
    "AWS_LOCATION",  # a folder of the bucket for the portal's files
    "AWS_S3_CUSTOM_DOMAIN",  # the renditions' public host, as a CDN in front of the bucket
    "AWS_S3_URL_PROTOCOL",  # of that host: "https:" unless set
)


def object_storage_settings(storages: dict, environ: Mapping[str, str] = os.environ) -> dict:
    """The settings that put the uploads in the bucket named by the environment: the AWS_* names above,
    `STORAGES` with the two storages, and Wagtail's rendition storage. None without a bucket: the files
    stay in MEDIA_ROOT."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {}
    return {
        "AWS_STORAGE_BUCKET_NAME": bucket,
        **{name: environ[name].strip() for name in PASSED_ON if environ.get(name, "").strip()},
        "STORAGES": {
            **storages,
            "default": {"BACKEND": "lms.storage.PrivateS3Storage"},
            "renditions": {"BACKEND": "lms.storage.PublicS3Storage"},
        },
        "WAGTAILIMAGES_RENDITION_STORAGE": "renditions",
    }


class PortalS3Storage(S3Storage):
    """What both storages keep from the local one: a new file never replaces another of the same name (two
    teachers' `handout.pdf`; a certificate's PDF made again deletes the old one first), and a large file read whole goes to a
    temporary file rather than memory."""

    file_overwrite = False
    default_acl = None  # what the bucket's policy says, object by object
    max_memory_size = 4 * 1024 * 1024


class PrivateS3Storage(PortalS3Storage):
    """Files served only through the portal's checked views."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        """The portal's address of the file, never the bucket's (see the module's docstring)."""
        return urljoin(settings.MEDIA_URL, filepath_to_uri(clean_name(name)).lstrip("/"))

    def open_range(self, name: str, start: int, end: int):
        """Bytes `start` to `end` (both included) of a file, as a stream that fetches them alone: a video's
        seek must not download the whole file first, as `open` does."""
        key = self._normalize_name(clean_name(name))
        try:
            return self.bucket.Object(key).get(Range=f"bytes={start}-{end}")["Body"]
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                raise FileNotFoundError(name) from error
            raise


class PublicS3Storage(PortalS3Storage):
    """Images' renditions, at plain addresses that anyone may load and caches may keep (a rendition's name
    changes with its image's file)."""

    querystring_auth = False
    object_parameters = {"CacheControl": "public, max-age=86400"}
