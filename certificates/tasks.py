"""Background tasks of the certificates app (django-tasks)."""

from django_tasks import task


@task()
def bulk_print(job_id: int) -> None:
    """Issue and render a bulk printing run; progress is kept on the BulkJob row."""
    from .bulk import bulk_job_run

    bulk_job_run(job_id)
