from .models import ExportLog


def log_export(*, user, kind: str, file_format: str, rows: int, organization_id=None, sensitive: bool = False, parameters=None) -> ExportLog:
    """Call once per export, before the file is sent."""
    return ExportLog.objects.create(
        user=user if user is not None and user.pk else None,
        username=user.get_username() if user is not None and user.pk else "system",
        organization_id=organization_id, kind=kind, file_format=file_format, rows=rows, sensitive=sensitive,
        parameters=parameters or {},
    )
