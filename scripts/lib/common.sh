# Shared by scripts/test and scripts/demo: system packages and a private PostgreSQL cluster.
# Source it; it defines functions only.

OUTREACH_APT_PACKAGES=(pkg-config libpq-dev libcurl4-openssl-dev libssl-dev postgresql postgresql-contrib systemd curl python3 ca-certificates tzdata)

# install_packages: apt-get install what is missing (quick when everything is present).
install_packages() {
  local missing=()
  for p in "${OUTREACH_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  echo "installing: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  local sudo=""; [[ $(id -u) == 0 ]] || sudo="sudo"
  $sudo apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
    { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${missing[@]}" >/dev/null; }
}

pg_bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [[ -n $d ]] || { echo "no PostgreSQL server binaries under /usr/lib/postgresql" >&2; return 1; }
  echo "$d"
}

# free_port: a loopback port nothing listens on, below the kernel's ephemeral range when it
# leaves room: a port inside that range can be the local end of some outgoing connection, and
# then a server cannot bind it ("Address already in use"; 1 cluster start in 20 on a busy box).
free_port() {
  local p low=0 base=20000 span=40000
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || true
  if ((low > 12000)); then base=10000; span=$((low - 10000)); fi
  for _ in $(seq 1 200); do
    p=$((base + RANDOM % span))
    (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo "$p"; return 0; }
  done
  return 1
}

# as_postgres CMD...: run a command as the `postgres` user (the server refuses to run as root).
as_postgres() {
  if [[ $(id -un) == postgres ]]; then "$@"; else
    local q; printf -v q '%q ' "$@"; su postgres -s /bin/bash -c "$q"
  fi
}

# start_cluster DIR PORT: initdb (once) and start a cluster in DIR listening on 127.0.0.1:PORT.
start_cluster() {
  local dir=$1 port=$2 bin
  bin=$(pg_bindir) || return 1
  mkdir -p "$dir"
  chown postgres "$dir" 2>/dev/null || true
  if [[ ! -f $dir/data/PG_VERSION ]]; then
    as_postgres "$bin/initdb" -D "$dir/data" -A trust -U postgres -E UTF8 >/dev/null || return 1
  fi
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=${PG_FSYNC:-on}" >/dev/null
}

stop_cluster() {
  local dir=$1 bin
  bin=$(pg_bindir) || return 0
  [[ -f $dir/data/postmaster.pid ]] && as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1
  return 0
}
