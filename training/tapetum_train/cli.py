"""`python3 -m tapetum_train {train,evaluate,dark-levels,domain-gap,average,export}` (run from training/)."""
import argparse
import json
import os

import numpy as np
import torch

from .self_ensemble import MIRRORS

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.normpath(os.path.join(HERE, '..', '..', 'shared', 'data'))


def add_data_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument('--val-dir', default=os.path.join(SHARED, 'sid-dev'))
    p.add_argument('--device', default='auto', help='auto, cpu, cuda, cuda:1, ...')
    p.add_argument('--threads', type=int, default=0, help='torch CPU threads (0 = torch default)')


def add_resynthesis_arguments(p: argparse.ArgumentParser) -> None:
    """A checkpoint and the noise model that re-synthesizes sid-dev's dark frames from their references
    (defaults: measured on sid-dev, see README)."""
    p.add_argument('checkpoint')
    p.add_argument('--shot', type=float, default=1e-4, help='shot-noise gain a (normalized units)')
    p.add_argument('--read-variance', type=float, default=1.6e-7, help='read-noise variance b (normalized units)')
    p.add_argument('--step', type=float, default=4.0, help='ADC step in DN (sid-dev: 12-bit codes stored as 14-bit)')
    p.add_argument('--offset', type=float, default=0.2, help='code boundary offset in steps (0 truncates, 0.5 rounds)')
    add_data_arguments(p)


def main() -> None:
    parser = argparse.ArgumentParser(prog='tapetum_train')
    sub = parser.add_subparsers(dest='command', required=True)

    t = sub.add_parser('train', help='train a tier on synthetic data')
    t.add_argument('config')
    t.add_argument('--out', required=True, help='run folder (checkpoint last.pt)')
    t.add_argument('--photos', default=os.path.join(SHARED, 'clean'))
    t.add_argument('--cameras', default=os.path.join(SHARED, 'camera-matrices.json'))
    t.add_argument('--noise-profiles', default=os.path.join(SHARED, 'noise-profiles.json'))
    t.add_argument('--seed', type=int, default=1)
    t.add_argument('--lr', type=float, help='peak learning rate (overrides the config)')
    t.add_argument('--patch', type=int, help='packed patch side (overrides the config)')
    t.add_argument('--batch', type=int, help='patches per step (overrides the config)')
    t.add_argument('--steps', type=int, default=0, help='step budget (overrides the config)')
    t.add_argument('--minutes', type=float, default=0, help='wall-time budget when no step budget is set')
    t.add_argument('--resume', action='store_true', help='continue the run in --out (weights, optimizer, budget)')
    t.add_argument('--init', help='start from the weights of this checkpoint (fine-tuning, new schedule)')
    t.add_argument('--teacher', help='also train toward the four-pass mirrored mean of this checkpoint (distillation)')
    t.add_argument('--teacher-weight', type=float, default=0.3, help='share of the loss toward the teacher')
    t.add_argument('--log-seconds', type=float, default=30)
    t.add_argument('--checkpoint-minutes', type=float, default=10)
    add_data_arguments(t)

    e = sub.add_parser('evaluate', help='score a checkpoint on sid-dev')
    e.add_argument('checkpoint')
    e.add_argument('--save', help='folder for 8-bit previews of the outputs')
    e.add_argument('--json', help='write the scores here')
    add_passes_argument(e)
    add_data_arguments(e)

    d = sub.add_parser('dark-levels', help='reference / output channel means on sid-dev, real and re-synthesized frames')
    add_resynthesis_arguments(d)
    g = sub.add_parser('domain-gap', help='scores on real and re-synthesized sid-dev frames, row banding and alignment of the real ones')
    add_resynthesis_arguments(g)

    a = sub.add_parser('average', help='average the weights of checkpoints of one training lineage')
    a.add_argument('checkpoints', nargs='+', help='two (weighted by --weight) or more (equal weights)')
    a.add_argument('--weight', type=float, help='weight of the second of two checkpoints (default 0.5)')
    a.add_argument('--out', required=True)

    x = sub.add_parser('export', help='export a checkpoint to the TensorFlow.js weights format')
    x.add_argument('checkpoint')
    x.add_argument('--out', required=True, help='e.g. ../public/model/fast')
    x.add_argument('--quantization', choices=['uint8', 'float16', 'auto'], default='auto')
    x.add_argument('--notes', help='JSON file with training notes to put in the metadata')
    x.add_argument('--tier', choices=['fast', 'quality'], help="the tier the folder serves (default: the checkpoint's)")
    add_passes_argument(x)
    add_data_arguments(x)

    args = parser.parse_args()
    if args.command == 'train':
        from .train import train
        config = json.load(open(args.config))
        config.update({key: getattr(args, key) for key in ('lr', 'patch', 'batch') if getattr(args, key)})
        if not (args.steps or config.get('steps') or args.minutes):
            parser.error('give --steps or --minutes (or steps in the config)')
        train(config, args)
    elif args.command == 'evaluate':
        from .validate import evaluate_sid_dev
        model, device, shift = model_for_scoring(args)
        scores = evaluate_sid_dev(model, args.val_dir, device, shift, args.save, args.passes)
        for name, s in scores.items():
            print(f"{name:10s} PSNR {s['psnr']:6.2f}  SSIM {s['ssim']:.3f}  chroma {s['chroma_ratio']:.2f}")
        if args.json:
            json.dump(scores, open(args.json, 'w'), indent=1)
    elif args.command == 'dark-levels':
        from .dark_levels import dark_levels
        model, device, shift = model_for_scoring(args)
        results = dark_levels(model, args.val_dir, device, shift, args.shot, args.read_variance, args.step, args.offset)
        for name, r in results.items():
            print(f"{name:10s} reference/output R G B  real {np.round(r['real'], 3)}  simulated {np.round(r['simulated'], 3)}")
    elif args.command == 'domain-gap':
        from .domain_gap import domain_gap
        model, device, shift = model_for_scoring(args)
        results = domain_gap(model, args.val_dir, device, shift, args.shot, args.read_variance, args.step, args.offset)
        for name, r in results.items():
            print(f"{name:10s} real {r['real'][0]:6.2f} / {r['real'][1]:.3f}  re-synthesized {r['simulated'][0]:6.2f} / "
                  f"{r['simulated'][1]:.3f}  input row bands {100 * r['banding']:4.1f} % (columns "
                  f"{100 * r['column_banding']:3.1f} %; output follows rows: "
                  f"{r['band_correlation']:.2f})  with fitted row gains {r['row_gains_psnr']:6.2f}  shift "
                  f"{r['shift'][0]:+.2f} {r['shift'][1]:+.2f} px, aligned {r['aligned_psnr']:6.2f}, "
                  f"aligned and blurred {r['aligned_blurred_psnr']:6.2f}")
        keys = ('real', 'simulated', 'row_gains_psnr', 'aligned_psnr', 'aligned_blurred_psnr')
        means = {key: np.mean([r[key] for r in results.values()], axis=0) for key in keys}
        print(f"mean       real {means['real'][0]:6.2f} / {means['real'][1]:.3f}  re-synthesized "
              f"{means['simulated'][0]:6.2f} / {means['simulated'][1]:.3f}  with fitted row gains {means['row_gains_psnr']:6.2f}  "
              f"aligned {means['aligned_psnr']:6.2f}  aligned and blurred {means['aligned_blurred_psnr']:6.2f}")
    elif args.command == 'average':
        from .average import average_checkpoints, uniform_soup
        if args.weight is not None and len(args.checkpoints) != 2:
            parser.error('--weight needs exactly two checkpoints')
        if len(args.checkpoints) < 2:
            parser.error('average needs at least two checkpoints')
        loaded = [torch.load(path, map_location='cpu') for path in args.checkpoints]
        torch.save(uniform_soup(loaded) if args.weight is None else
                   average_checkpoints(*loaded, args.weight), args.out)
    else:
        from .export import export_checkpoint
        export_checkpoint(args)


def add_passes_argument(parser) -> None:
    parser.add_argument('--passes', type=int, choices=sorted(MIRRORS), default=1,
                        help='mirrored runs averaged per image (self-ensemble, self_ensemble.MIRRORS)')


def model_for_scoring(args):
    """(model on its device, device, code centre shift) of args.checkpoint, with args.threads applied."""
    from .model import checkpoint_model
    from .train import pick_device
    if args.threads:
        torch.set_num_threads(args.threads)
    saved = torch.load(args.checkpoint, map_location='cpu')
    device = pick_device(args.device)
    return checkpoint_model(saved).to(device), device, code_centre_shift_of(saved)


def code_centre_shift_of(saved: dict) -> float:
    """The input convention a loaded checkpoint was trained for (0 before ADC codes were centred)."""
    return saved['config'].get('code_centre_shift', 0.0)
