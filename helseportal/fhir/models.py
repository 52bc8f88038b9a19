"""The API's own table: every version of a resource written through the FHIR API (brief decision 6).

`meta.versionId` is the latest version number and the `ETag` is `W/"<versionId>"`. A row changed outside the API
(on a page) since its last stored version counts as one version more (found from `Source.last_updated`), and
that version is stored the next time the API writes the row, so `_history` keeps every state the API served.
The person's key is a plain integer, not a foreign key: the FHIR room knows no domain (nor identity's tables).
"""

from django.db import models


class ResourceVersion(models.Model):
    resource_type = models.CharField(max_length=64)
    logical_id = models.CharField(max_length=64)
    version_id = models.PositiveIntegerField()
    last_updated = models.DateTimeField()
    resource = models.JSONField()  # the resource as the API served it after the write, with its `meta`
    person_id = models.BigIntegerField(null=True, blank=True)  # whose data it is (None: no person's)
    client_id = models.CharField(max_length=200, blank=True)  # the API client that wrote it ("" for a page change)
    method = models.CharField(max_length=8)  # POST or PUT; "" for a change made outside the API

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["resource_type", "logical_id", "version_id"], name="fhir_one_version_number_per_resource"
            ),
        ]
        indexes = [models.Index(fields=["resource_type", "last_updated"], name="fhir_version_type_updated")]

    def __str__(self) -> str:
        return f"{self.resource_type}/{self.logical_id}/_history/{self.version_id}"
