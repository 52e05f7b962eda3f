import pytest

from marketplace.regions.loader import load_regions
from marketplace.regions.models import Province, Ward


@pytest.fixture
def regions(transactional_db):
    """Transactional tests start from a flushed database: put the regions (loaded by a
    migration, so flushed away) back when they are missing."""
    if not Province.objects.exists():
        load_regions(Province, Ward)
