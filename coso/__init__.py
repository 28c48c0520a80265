# Django's SQLite backend on a SQLite without the query planner's bug of versions before 3.42.0
# (coso/lib/sqlite.py): done first, before anything imports sqlite3.
from coso.lib.sqlite import use_bundled

use_bundled()
