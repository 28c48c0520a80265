#!/usr/bin/env bash
# PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup) for the replica test
# (coso/lib/tests/test_replica_servers.py), from Debian, when none are installed. Debian's package
# would create and start a cluster of its own on port 5432: told not to first.
set -euo pipefail
if ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO mkdir -p /etc/postgresql-common
[ -e /etc/postgresql-common/createcluster.conf ] || echo "create_main_cluster = false" | $SUDO tee /etc/postgresql-common/createcluster.conf >/dev/null
"$(dirname "$0")/apt-install.sh" postgresql
