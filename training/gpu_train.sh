#!/usr/bin/env bash
# Trains runs side by side on one GPU from the bundle made by gpu_bundle.py (carried as .gpu).
# Per run it leaves in $OUT NAME.pt, the latest weights (refreshed every 15 s, so a run cut off
# still returns weights), and at the end NAME-soup.pt, the equal-weight average of the run's
# snapshots (one a minute) from its second half and its final weights; all runs log to
# $OUT/train.log. Files are few and small enough for the device tool to bring back (8 at most).
# usage (device tool): bash training/gpu_train.sh MINUTES [INIT_DIR [RUN...]]
# RUN is NAME:TIER:LR:SEED: train configs/TIER-gpu.json at peak learning rate LR, from
# INIT_DIR/TIER.pt when INIT_DIR (relative to the repository root) is given. Default runs:
# fast and quality at 0.0004 (fine-tune) or at their configs' rates (from scratch, after a smoke run).
# TIER quality trains the wide architecture (configs/quality-gpu.json, as checkpoints/quality-wide.pt);
# since stop 23 the quality tier runs fast-architecture weights (checkpoints/quality.pt), which a
# folder must hold as fast.pt to be fine-tuned here.
set -u
minutes=${1:-7}
init_dir=${2:-}
shift $(( $# < 2 ? $# : 2 ))
runs=("$@")
cd "$(dirname "$0")"
export PYTHONPATH=. PYTHONUNBUFFERED=1
data=(--photos ../.gpu/photos --cameras ../.gpu/camera-matrices.json --noise-profiles ../.gpu/noise-profiles.json --val-dir none)
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__)"
if [ -z "$init_dir" ]; then
  python3 -m tapetum_train train configs/fast-gpu.json --out /tmp/smoke --steps 30 --log-seconds 5 "${data[@]}" || exit 1
  [ ${#runs[@]} -eq 0 ] && runs=(fast:fast:0.001:3 quality:quality:0.0006:3)
else
  [ ${#runs[@]} -eq 0 ] && runs=(fast:fast:0.0004:3 quality:quality:0.0004:3)
fi
started=$(date +%s)
pids=()
for run in "${runs[@]}"; do
  IFS=: read -r name tier lr seed <<< "$run"
  init=()
  [ -n "$init_dir" ] && init=(--init "../$init_dir/$tier.pt")
  mkdir -p "/tmp/snap/$name"
  python3 -m tapetum_train train "configs/$tier-gpu.json" --out "/tmp/runs/$name" --minutes "$minutes" \
    --lr "$lr" --seed "$seed" "${init[@]}" --log-seconds 30 --checkpoint-minutes 1 "${data[@]}" 2>&1 \
    | sed -u "s/^/[$name] /" >> "$OUT/train.log" &
  pids+=($!)
done
# Each new model.pt becomes a snapshot named by its age in seconds since the runs started.
copy_snapshots() {
  for run in "${runs[@]}"; do
    name=${run%%:*}
    latest=/tmp/runs/$name/model.pt
    [ -f "$latest" ] && [ "$latest" -nt "$OUT/$name.pt" ] || continue
    cp "$latest" "$OUT/$name.pt"
    cp "$latest" "/tmp/snap/$name/$(( $(date +%s) - started )).pt"
  done
}
(while sleep 15; do copy_snapshots; done) &
copier=$!
wait "${pids[@]}"
kill $copier
copy_snapshots
half=$(awk -v m="$minutes" 'BEGIN { print int(m * 30) }')
for run in "${runs[@]}"; do
  name=${run%%:*}
  members=($(ls /tmp/snap/$name | sort -n | awk -v h=$half '$1 + 0 >= h { print "/tmp/snap/'"$name"'/" $1 }'))
  [ ${#members[@]} -ge 2 ] && python3 -m tapetum_train average "${members[@]}" --out "$OUT/$name-soup.pt"
  echo "[$name] soup of ${#members[@]} snapshots: ${members[*]##*/}" >> "$OUT/train.log"
done
tail -n 12 "$OUT/train.log"
