import torch

from tapetum_train.losses import block_mean_loss, restoration_loss


def test_block_means_average_zero_mean_noise_away():
    torch.manual_seed(0)
    target = torch.full((1, 3, 64, 64), 0.2)
    noisy = target + 0.02 * torch.randn_like(target)
    pixel_error = (noisy - target).abs().mean().item()
    assert block_mean_loss(noisy, target).item() < 0.1 * restoration_loss(noisy, target).item()
    assert pixel_error > 0.01


def best_constant(targets: torch.Tensor, block_mean_weight: float, block_mean_size: int = 8) -> float:
    """The constant output that the loss prefers for these possible clean values."""
    level = torch.tensor(targets.mean().item(), requires_grad=True)
    optimizer = torch.optim.Adam([level], lr=2e-4)
    for _ in range(1500):
        optimizer.zero_grad()
        restoration_loss(level.expand_as(targets), targets, chroma_weight=0, block_mean_weight=block_mean_weight,
                         block_mean_size=block_mean_size).backward()
        optimizer.step()
    return level.item()


def test_block_term_moves_a_dark_estimate_from_the_median_towards_the_mean():
    # Possible clean values of a dark region given its noisy input: skewed to the right (few
    # photons), so the median lies below the mean. The best constant output under the pixel loss
    # is near the median; the block-mean term pulls it towards the mean.
    torch.manual_seed(1)
    targets = torch.distributions.Gamma(torch.tensor(1.5), torch.tensor(1.5 / 0.01)).sample((1, 3, 64, 64))
    mean, median = targets.mean().item(), targets.median().item()
    assert median < 0.85 * mean

    without, with_term = best_constant(targets, 0.0), best_constant(targets, 1.0)
    assert abs(without - median) < abs(without - mean)
    assert abs(with_term - mean) < 0.5 * abs(without - mean)


def test_larger_blocks_reach_the_mean_where_few_photons_leave_small_block_means_skewed():
    # Nearly every pixel dark, a few bright: the mean of 8 x 8 pixels is itself skewed (its
    # median below its mean), the mean of 32 x 32 much less so.
    torch.manual_seed(2)
    targets = torch.distributions.Gamma(torch.tensor(0.05), torch.tensor(0.05 / 0.01)).sample((1, 3, 128, 128))
    mean = targets.mean().item()
    small, large = best_constant(targets, 1.0, 8), best_constant(targets, 1.0, 32)
    assert abs(large - mean) < 0.5 * abs(small - mean)
