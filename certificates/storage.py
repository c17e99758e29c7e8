"""Where issued PDFs and bulk outputs are kept: never under the public media URL.

Documents carry marks and personal data, so they are served only through the scoped
download views. The folder comes from `CERTIFICATES_FILES_ROOT` (read on each use, so
tests can point it elsewhere); set `CERTIFICATES_STORAGE` to a key of `STORAGES`
(e.g. an S3 bucket without public access) to keep them elsewhere.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages


class PrivateDocumentStorage(FileSystemStorage):
    """A file system storage with no public URL, rooted at CERTIFICATES_FILES_ROOT."""

    def __init__(self):
        super().__init__(base_url=None)

    @property
    def base_location(self):
        return str(settings.CERTIFICATES_FILES_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Issued documents are served by the download view.")


def document_storage():
    alias = getattr(settings, "CERTIFICATES_STORAGE", "")
    if alias:
        return storages[alias]
    return _private


_private = PrivateDocumentStorage()
