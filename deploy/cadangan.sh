#!/bin/sh
# The `backup` service of deploy/compose.yaml (installed in the image as kinerja-cadangan).
#   kinerja-cadangan            every day at KINERJA_CADANGAN_JAM (TZ's clock): back up, then sleep; forever
#   kinerja-cadangan sekarang   back up once, now, and stop
# A backup is two things in KINERJA_CADANGAN_DIR (/cadangan):
# - kinerja-YYYY-MM-DD-HHMMSS.dump: the database by `kinerja backup` (pg_dump, custom format), the file
#   `kinerja restore` takes; those older than KINERJA_CADANGAN_HARI days are deleted, but only after a
#   backup succeeded, so a run of failures never leaves no backup at all;
# - bukti/: a mirror of the evidence files. They are written once under random names and never changed or
#   deleted, so copying the files not copied yet keeps every file any kept dump refers to.
# Messages are for the office's admin (docker compose logs backup), in Indonesian.
set -u
TUJUAN=${KINERJA_CADANGAN_DIR:-/cadangan}
JAM=${KINERJA_CADANGAN_JAM:-01:30}
HARI=${KINERJA_CADANGAN_HARI:-14}
BUKTI=${KINERJA_BUKTI_DIR:-/var/lib/kinerja/bukti}

cadangkan() {
    berkas="$TUJUAN/kinerja-$(date +%F-%H%M%S).dump"
    if ! kinerja backup "$berkas"; then
        echo "$(date -Iseconds) GAGAL: cadangan basis data tidak dibuat; cadangan lama tidak dihapus" >&2
        return 1
    fi
    if ! { mkdir -p "$TUJUAN/bukti" && cp -a -n "$BUKTI/." "$TUJUAN/bukti/"; }; then
        echo "$(date -Iseconds) GAGAL: salinan berkas bukti dukung tidak lengkap" >&2
        return 1
    fi
    find "$TUJUAN" -maxdepth 1 -name 'kinerja-*.dump' -mtime +"$HARI" -print -delete \
        | sed 's/^/Cadangan lama dihapus: /'
    echo "$(date -Iseconds) Cadangan selesai: $berkas dan $TUJUAN/bukti/"
}

if [ "${1:-}" = "sekarang" ]; then
    cadangkan
    exit $?
fi
if ! expr "$JAM" : '[0-2][0-9]:[0-5][0-9]$' >/dev/null || ! date -d "today $JAM" >/dev/null 2>&1; then
    echo "KINERJA_CADANGAN_JAM harus jam JJ:MM (mis. 01:30), bukan '$JAM'" >&2
    exit 2
fi
echo "Cadangan harian pukul $JAM ($(date +%Z)), disimpan $HARI hari di $TUJUAN."
while :; do
    sekarang=$(date +%s)
    nanti=$(date -d "today $JAM" +%s)
    [ "$nanti" -gt "$sekarang" ] || nanti=$(date -d "tomorrow $JAM" +%s)
    sleep $((nanti - sekarang))
    cadangkan || true  # tomorrow is another try; the failure is in the log
done
