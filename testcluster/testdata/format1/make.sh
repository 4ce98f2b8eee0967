#!/bin/sh
# How the format-1 fixture was made (B: a lumbung binary from main at f313fb8).
set -e
B=${B:-lumbung}; K=http://127.0.0.1:9201; N=http://127.0.0.1:9202
$B init --data kec --tier kecamatan --region 32.14.02 --http 127.0.0.1:9201 --raft 127.0.0.1:9301
$B serve --data kec --raft-timeout 300ms & KEC=$!
until curl -sf $K/readyz >/dev/null; do sleep 0.2; done
TOKEN=$($B enroll --node $K --region 32.14.02.2001 | tail -1)
$B init --data desa --tier desa --region 32.14.02.2001 --http 127.0.0.1:9202 --upstream $K --token "$TOKEN"
$B serve --data desa & DESA=$!
until curl -sf $N/readyz >/dev/null; do sleep 0.2; done
$B complaint add --node $N --category infrastruktur --channel walk_in --title "Jalan desa rusak di RT 03" \
  --description "Jalan utama berlubang sejak musim hujan, membahayakan pengendara." \
  --name "Siti Aminah" --nik 3214024506870001 --phone 0812-3456-7890
$B complaint add --node $N --category kesehatan --channel phone --title "Posyandu tutup" \
  --description "Posyandu RW 02 tidak buka dua bulan." --name "Budi" --nik 3214020101800001 --phone 081234567890 --anonymous
$B complaint add --node $N --category lingkungan --channel whatsapp --title "Sampah menumpuk" \
  --description "Sampah di pasar tidak diangkut seminggu." --name "Ani" --nik 3214024101900002 --phone 081298765432
$B monografi set --node $N --period 2026-S1 -v penduduk.jumlah=7412 -v penduduk.laki_laki=3735 \
  -v penduduk.perempuan=3677 -v penduduk.kk=2290 -v wilayah.luas_km2=9.44
$B monografi submit --node $N --period 2026-S1
$B sync now --node $N
# (the tracking numbers below are the ones this run printed)
$B complaint act --node $K 3214022001-S3F3WT-001Z --action verify --officer "Sekcam Dedi"
$B complaint act --node $K 3214022001-S3F3WT-001Z --action forward --unit "Dinas PUPR"
$B complaint act --node $K 3214022001-S3F3WT-003V --action verify
$B monografi approve --node $K --region 32.14.02.2001 --period 2026-S1
$B catalogue add-category --node $K --code bencana_alam --label "Bencana alam" --label-en "Natural disaster" --officer "Admin Kec"
printf 'kode,nama\n32.14.02,Campaka\n32.14.02.2001,Campaka\n32.14.02.2002,Cijaya\n' > reg.csv
$B regions publish --node $K reg.csv
$B complaint add --node $K --category bencana_alam --channel letter --title "Longsor di Cijaya" \
  --description "Tebing longsor menutup jalan desa." --name "Rina" --nik 3214025502950003 --phone 081311112222 --region 32.14.02.2002
$B complaint act --node $N 3214022001-S3F3WT-002X --action verify
$B sync now --node $N
sleep 2
kill $DESA $KEC; wait
find kec desa -name LOCK -delete
