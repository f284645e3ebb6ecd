#!/usr/bin/env bash
# Trains both tiers side by side on one GPU from the bundle made by gpu_bundle.py (carried as .gpu),
# and leaves the model checkpoints (refreshed every minute, so a cut-off run still returns weights)
# and logs in $OUT.
# usage (device tool): bash training/gpu_train.sh MINUTES [INIT_DIR]
# INIT_DIR (relative to the repository root) holds fast.pt and quality.pt to fine-tune from;
# without it a short smoke run comes first and training starts from scratch.
# LR and SEED (environment) set a fine-tune's peak learning rate (default 0.0004) and seed (3);
# a lower LR on a short run anneals weights that a previous run left mid-schedule.
set -u
minutes=${1:-7}
init_dir=${2:-}
cd "$(dirname "$0")"
export PYTHONPATH=. PYTHONUNBUFFERED=1
data=(--photos ../.gpu/photos --cameras ../.gpu/camera-matrices.json --noise-profiles ../.gpu/noise-profiles.json --val-dir none)
nvidia-smi --query-gpu=name,memory.total --format=csv,noheader
python3 -c "import torch; print('torch', torch.__version__)"
[ -z "$init_dir" ] && { python3 -m tapetum_train train configs/fast-gpu.json --out /tmp/smoke --steps 30 \
  --log-seconds 5 "${data[@]}" || exit 1; }
pids=()
for tier in fast quality; do
  init=()
  [ -n "$init_dir" ] && init=(--init "../$init_dir/$tier.pt" --lr "${LR:-0.0004}" --seed "${SEED:-3}")
  python3 -m tapetum_train train configs/$tier-gpu.json --out /tmp/runs/$tier --minutes "$minutes" "${init[@]}" \
    --log-seconds 30 --checkpoint-minutes 1 "${data[@]}" > "$OUT/$tier.log" 2>&1 &
  pids+=($!)
done
(while sleep 20; do for tier in fast quality; do
  [ -f /tmp/runs/$tier/model.pt ] && cp /tmp/runs/$tier/model.pt "$OUT/$tier.pt"; done; done) &
copier=$!
wait "${pids[@]}"
kill $copier
for tier in fast quality; do cp /tmp/runs/$tier/model.pt "$OUT/$tier.pt"; tail -n 3 "$OUT/$tier.log"; done
