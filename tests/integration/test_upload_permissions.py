"""Evidence a subject sends with an objection is personal data (R6, R14): the files and the
folders they are kept in are readable by the account that serves the platform alone, whether the
upload was held in memory or spooled to a temporary file first."""

import stat

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import ListEntryFactory, SubjectFactory, UserFactory
from xinyong.access.models import SubjectAccount
from xinyong.remedies.models import OnlineObjection

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_evidence_files_and_their_folders_are_private(settings, tmp_path):
    me = SubjectFactory()
    user = UserFactory(username="zhuti")
    SubjectAccount.objects.create(user=user, subject=me)
    client = Client()
    client.force_login(user)
    entry = ListEntryFactory(subject=me, in_publicity=True)
    small = SimpleUploadedFile("决定书.pdf", PDF, content_type="application/pdf")
    # Past the memory limit, Django spools the upload to a temporary file and moves it in.
    spooled = PDF + b"\0" * (django_settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 1)
    large = SimpleUploadedFile("扫描件.pdf", spooled, content_type="application/pdf")
    answer = client.post(
        f"/my/entries/{entry.pk}/objection/",
        {"grounds": "处罚决定已被撤销", "files": [small, large]},
    )
    assert answer.status_code == 302
    stored = [f.stored_name for f in OnlineObjection.objects.get().evidence.all()]
    kept = tmp_path / "objection-evidence"
    files = [kept / name for name in stored]
    assert len(files) == 2 and all(f.is_file() for f in files)
    assert [_mode(f) for f in files] == [0o600, 0o600]
    folders = [kept, *{f.parent for f in files}]
    assert [_mode(folder) for folder in folders] == [0o700] * len(folders)


def test_import_uploads_and_screening_files_are_kept_in_private_folders(settings, tmp_path):
    """The platform's own writers (an import's upload, a screening's files) follow the process's
    umask: their folders are closed to other accounts instead (R14)."""
    import stat

    from xinyong.catalog.services.uploads import store_upload
    from xinyong.measures.screening_jobs import screenings_dir

    settings.VAR_DIR = tmp_path
    stored = store_upload([b"a,b\n"], "penalties.csv")
    for folder in (stored.parent, screenings_dir()):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
