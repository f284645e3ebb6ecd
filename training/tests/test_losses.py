import torch

from tapetum_train.losses import block_mean_loss, restoration_loss


def test_block_means_average_zero_mean_noise_away():
    torch.manual_seed(0)
    target = torch.full((1, 3, 64, 64), 0.2)
    noisy = target + 0.02 * torch.randn_like(target)
    pixel_error = (noisy - target).abs().mean().item()
    assert block_mean_loss(noisy, target).item() < 0.1 * restoration_loss(noisy, target).item()
    assert pixel_error > 0.01


def test_block_term_moves_a_dark_estimate_from_the_median_towards_the_mean():
    # Possible clean values of a dark region given its noisy input: skewed to the right (few
    # photons), so the median lies below the mean. The best constant output under the pixel loss
    # is near the median; the block-mean term pulls it towards the mean.
    torch.manual_seed(1)
    targets = torch.distributions.Gamma(torch.tensor(1.5), torch.tensor(1.5 / 0.01)).sample((1, 3, 64, 64))
    mean, median = targets.mean().item(), targets.median().item()
    assert median < 0.85 * mean

    def best_constant(block_mean_weight: float) -> float:
        level = torch.tensor(0.01, requires_grad=True)
        optimizer = torch.optim.Adam([level], lr=2e-4)
        for _ in range(1500):
            optimizer.zero_grad()
            restoration_loss(level.expand_as(targets), targets, chroma_weight=0, block_mean_weight=block_mean_weight).backward()
            optimizer.step()
        return level.item()

    without, with_term = best_constant(0.0), best_constant(1.0)
    assert abs(without - median) < abs(without - mean)
    assert abs(with_term - mean) < 0.5 * abs(without - mean)
