"""The training loop: synthetic batches on the device, AdamW, cosine schedule over a step or time
budget, periodic sid-dev validation, checkpoints, resume, and DistributedDataParallel under torchrun."""
import json
import math
import os
import sys
import time

import torch
import torch.distributed as dist

from .data import list_photos, load_photos, random_crops
from .losses import restoration_loss
from .model import UNet, UNetConfig, checkpoint_model, count_parameters, macs_per_output_megapixel
from .noise import NoiseProfileBank
from .self_ensemble import mirrored_mean
from .synthesis import SynthesisRanges, code_centre_shift, synthesize_batch
from .validate import evaluate_sid_dev


def pick_device(name: str) -> torch.device:
    if name == 'auto':
        return torch.device('cuda' if torch.cuda.is_available() else 'cpu')
    return torch.device(name)


def load_cameras(path: str) -> torch.Tensor:
    cams = json.load(open(path))['cameras']
    return torch.tensor([c['xyz_to_camera_x10000'] for c in cams if not c.get('xtrans')],
                        dtype=torch.float32).view(-1, 3, 3) / 10000.0


def learning_rate(config: dict, progress: float) -> float:
    """Linear warm-up over 2% of the budget, then cosine decay to 1% of the peak."""
    peak = config['lr']
    if progress < 0.02:
        return peak * progress / 0.02
    return peak * (0.01 + 0.99 * 0.5 * (1 + math.cos(math.pi * min(1.0, (progress - 0.02) / 0.98))))


def load_teacher(path: str, device: torch.device) -> UNet:
    """Frozen weights whose four-pass mirrored mean the student is also trained toward (distillation)."""
    return checkpoint_model(torch.load(path, map_location='cpu')).to(device).requires_grad_(False)


def format_seconds(s: float) -> str:
    return f'{int(s // 3600)}:{int(s % 3600 // 60):02d}:{int(s % 60):02d}'


def train(config: dict, args) -> None:
    distributed = int(os.environ.get('WORLD_SIZE', '1')) > 1
    rank = 0
    if distributed:
        dist.init_process_group('nccl' if torch.cuda.is_available() else 'gloo')
        rank = dist.get_rank()
        if torch.cuda.is_available():
            torch.cuda.set_device(int(os.environ['LOCAL_RANK']))
    device = torch.device('cuda', torch.cuda.current_device()) if distributed and torch.cuda.is_available() \
        else pick_device(args.device)
    torch.manual_seed(args.seed + rank)
    if args.threads:
        torch.set_num_threads(args.threads)
    main = rank == 0
    os.makedirs(args.out, exist_ok=True)

    net_config = UNetConfig(widths=config['widths'])
    model = UNet(net_config).to(device)
    if device.type == 'cuda':
        torch.backends.cudnn.benchmark = True
        # float32 throughout: on an H200, same speed as bf16 autocast and +0.05 dB on sid-dev (stop 19)
        torch.backends.cudnn.allow_tf32 = torch.backends.cuda.matmul.allow_tf32 = False
        model = model.to(memory_format=torch.channels_last)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config['lr'], weight_decay=config.get('weight_decay', 1e-4))
    state = {'step': 0, 'elapsed': 0.0, 'history': []}
    checkpoint_path = os.path.join(args.out, 'last.pt')
    if args.resume and os.path.exists(checkpoint_path):
        saved = torch.load(checkpoint_path, map_location=device)
        model.load_state_dict(saved['model'])
        optimizer.load_state_dict(saved['optimizer'])
        state = saved['state']
        if main:
            print(f"resumed at step {state['step']} ({format_seconds(state['elapsed'])})", flush=True)
    elif args.init:
        model.load_state_dict(torch.load(args.init, map_location=device)['model'])
        if main:
            print(f'initialized from {args.init}', flush=True)
    net = torch.nn.parallel.DistributedDataParallel(model) if distributed else model
    teacher = load_teacher(args.teacher, device) if args.teacher else None
    if teacher is not None:
        config = {**config, 'teacher': {'checkpoint': args.teacher, 'weight': args.teacher_weight, 'passes': 4}}

    photos = load_photos(list_photos(args.photos), 2 * config['patch'], device)
    cameras = load_cameras(args.cameras)
    noise_bank = NoiseProfileBank.load(args.noise_profiles)
    ranges = SynthesisRanges(**config.get('synthesis', {}))
    # The input convention the weights are trained for; evaluate and export read it back.
    config = {**config, 'code_centre_shift': code_centre_shift(ranges)}
    if main:
        print(f"{config['tier']}: widths {net_config.widths}, {count_parameters(model)} parameters, "
              f"{macs_per_output_megapixel(net_config):.2f} GMAC/MP; {len(photos)} photos, "
              f"{len(cameras)} cameras, {len(noise_bank.a)} noise profiles; device {device}", flush=True)

    terms = dict(chroma_weight=config.get('chroma_weight', 0.5), block_mean_weight=config.get('block_mean_weight', 0.0),
                 block_mean_size=config.get('block_mean_size', 8))
    budget_steps = args.steps or config.get('steps')
    budget_seconds = (args.minutes or 0) * 60
    start = time.time() - state['elapsed']
    last_checkpoint = last_log = time.time()
    running = None
    while True:
        elapsed = time.time() - start
        progress = state['step'] / budget_steps if budget_steps else elapsed / budget_seconds
        if progress >= 1:
            break
        for group in optimizer.param_groups:
            group['lr'] = learning_rate(config, progress)
        with torch.no_grad():
            x, y, _ = synthesize_batch(random_crops(photos, config['batch'], 2 * config['patch']),
                                       cameras, noise_bank, ranges)
        out = net(x)
        loss = restoration_loss(out, y, **terms)
        if teacher is not None:
            # An L1 toward a mixture: the student follows the teacher's mean where it lies within the
            # central part of what the truth could be, and is pulled toward the truth elsewhere.
            with torch.no_grad():
                taught = mirrored_mean(teacher, x)
            loss = (1 - args.teacher_weight) * loss + args.teacher_weight * restoration_loss(out, taught, **terms)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        state['step'] += 1
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        now = time.time()
        state['elapsed'] = now - start
        if main and now - last_log > args.log_seconds:
            left = (1 - progress) / max(progress, 1e-9) * state['elapsed']
            print(f"step {state['step']} loss {running:.4f} lr {optimizer.param_groups[0]['lr']:.2e} "
                  f"{state['step'] / state['elapsed']:.2f} it/s elapsed {format_seconds(state['elapsed'])} "
                  f"left {format_seconds(left)}", flush=True)
            last_log = now
        if main and now - last_checkpoint > args.checkpoint_minutes * 60:
            validate_and_save(model, optimizer, state, config, args, device, checkpoint_path)
            last_checkpoint = time.time()
    if main:
        validate_and_save(model, optimizer, state, config, args, device, checkpoint_path)
    if distributed:
        dist.destroy_process_group()


def validate_and_save(model, optimizer, state, config, args, device, path) -> None:
    if args.val_dir and os.path.isdir(args.val_dir):
        scores = evaluate_sid_dev(model, args.val_dir, device, config['code_centre_shift'])
        mean = scores.get('mean', {})
        print(f"validation step {state['step']}: PSNR {mean.get('psnr', 0):.2f} SSIM {mean.get('ssim', 0):.3f} "
              f"chroma {mean.get('chroma_ratio', 0):.2f}", flush=True)
        state['history'].append({'step': state['step'], 'elapsed': state['elapsed'], **mean})
    elif not state.get('warned_no_val'):
        print(f'no validation: {args.val_dir} is absent', file=sys.stderr, flush=True)
        state['warned_no_val'] = True
    # last.pt resumes training; model.pt (no optimizer state) is what evaluate and export read.
    for name, payload in (('last.pt', {'optimizer': optimizer.state_dict()}), ('model.pt', {})):
        target = os.path.join(os.path.dirname(path), name)
        torch.save({'model': model.state_dict(), 'state': state, 'config': config, **payload}, target + '.tmp')
        os.replace(target + '.tmp', target)
